// The app shell on this device: register the service worker (client/sw.js) and hand it what this
// page loaded, so a reload without a connection still opens Snowball (the board comes from
// board_cache.js). Service workers need a secure context: https, or 127.0.0.1/localhost.

/** Register the service worker and cache the shell; resolves true once it is cached (false if unavailable). */
export async function keepShellOnDevice() {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return false;
  try {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    const ready = await navigator.serviceWorker.ready;
    const page = location.href.split("#")[0];
    const urls = [page, ...performance.getEntriesByType("resource").map((entry) => entry.name)]
      .filter((url) => url.startsWith(location.origin));
    const cached = new Promise((resolve) => {
      const done = (event) => {
        if (event.data?.type !== "shell-cached") return;
        navigator.serviceWorker.removeEventListener("message", done);
        resolve(true);
      };
      navigator.serviceWorker.addEventListener("message", done);
    });
    ready.active.postMessage({ type: "cache-shell", urls: [...new Set(urls)], page });
    await cached;
    document.documentElement.dataset.offlineReady = "true"; // for people inspecting the page, and tests
    return true;
  } catch {
    return false; // private mode, or a browser without it: the board still works online
  }
}
