// Facts the server writes into the page shell (meta tags): read them here, nowhere else.

function meta(name) {
  return document.querySelector(`meta[name="${name}"]`)?.content || "";
}

/** The address the room uses to reach this board (SNOWBALL_PUBLIC_URL, else this page's origin). */
export function publicBase() {
  return (meta("snowball-public-url") || location.origin).replace(/\/$/, "");
}

/** The Socket.IO transports this server allows ("websocket" only when scaled out). */
export function transports() {
  return (meta("snowball-transports") || "polling,websocket").split(",");
}
