// The service worker: Snowball's app shell opens from this device when the server cannot be reached
// (a reload on a dropped Wi-Fi). Network first, so an online page is always the server's latest; the
// cache is only the fallback. The board's last snapshot is kept by the page (js/net/board_cache.js);
// the socket (/socket.io/), the API and downloads are never cached here.

const SHELL = "snowball-shell-v1";
const SHELL_PAGE = "/__shell"; // every page is the same HTML shell: any board opens from it

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith("snowball-shell-") && name !== SHELL) await caches.delete(name);
    await self.clients.claim();
  })());
});

// The page lists what it loaded before this worker controlled it (its modules, styles, the page).
self.addEventListener("message", (event) => {
  if (event.data?.type !== "cache-shell") return;
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL);
    await Promise.all((event.data.urls || []).filter((url) => cacheable(new URL(url, self.location.origin)))
      .map((url) => cache.add(url).catch(() => null)));
    if (event.data.page) {
      const page = await cache.match(event.data.page);
      if (page) await cache.put(SHELL_PAGE, page.clone());
    }
    event.source?.postMessage({ type: "shell-cached" });
  })());
});

function cacheable(url) {
  if (url.origin !== self.location.origin) return false;
  return !["/socket.io/", "/api/", "/healthz"].some((prefix) => url.pathname.startsWith(prefix));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !cacheable(new URL(request.url))) return; // the network, untouched
  event.respondWith(networkFirst(event));
});

async function networkFirst(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (response.ok) {
      // Kept in the background: the page gets the response without waiting for the cache.
      const copies = [response.clone(), request.mode === "navigate" ? response.clone() : null];
      event.waitUntil(caches.open(SHELL).then((cache) => Promise.all([
        cache.put(request, copies[0]), copies[1] && cache.put(SHELL_PAGE, copies[1])])));
    }
    return response;
  } catch (error) {
    const cache = await caches.open(SHELL);
    const cached = (await cache.match(request)) || (request.mode === "navigate" ? await cache.match(SHELL_PAGE) : null);
    if (cached) return cached;
    throw error;
  }
}
