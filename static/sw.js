// Marginscope's service worker: after the first visit the app works offline.
// scripts/write-sw fills in VERSION (a hash of the built files) and ASSETS
// (the files the app's own page loads) at build time, so each release has its
// own cache and removes the one before. The first visit fetches only what the
// page needs: the sample pages and the JS API's package are cached when they
// are first fetched, and work offline from then on.
const VERSION = "__VERSION__";
const ASSETS = __ASSETS__;
const CACHE = `marginscope-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("marginscope-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Pages: the network first (a new release shows at once), the cached page offline.
// Built files have content hashes in their names: the cache first.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => keep(url.pathname, response))
        .catch(() => caches.match(url.pathname, { cacheName: CACHE, ignoreSearch: true })
          .then((hit) => hit ?? caches.match("./", { cacheName: CACHE }))),
    );
    return;
  }
  event.respondWith(caches.match(request, { cacheName: CACHE, ignoreSearch: true })
    .then((hit) => hit ?? fetch(request).then((response) => keep(url.pathname, response))));
});

// A successful response is kept in this release's cache (the page it came
// from may be opened offline later) and returned.
function keep(path, response) {
  if (response.ok) {
    const copy = response.clone();
    caches.open(CACHE).then((c) => c.put(path, copy));
  }
  return response;
}
