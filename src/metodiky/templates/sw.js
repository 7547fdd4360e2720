// Service worker: after the first visit every page, asset and the search index are read from
// the cache, so field workers can use the site without a signal. Documents are kept once opened.
// Generated at build time by metodiky.offline; the list and version below belong to one build.
"use strict";

const VERSION = "__VERSION__";
const PRECACHE = [] /* __PRECACHE__ */;
const SITE_CACHE = "metodiky-web-" + VERSION;
// Documents (the PDF handbooks, Word forms) are large, so they are cached only when a reader
// opens one, and kept across builds.
const DOCUMENT_CACHE = "metodiky-dokumenty";
const DOCUMENT = /\.(pdf|docx)$/;

self.addEventListener("install", (event) => {
  // "reload" bypasses the HTTP cache: the precache must hold this build's files, not older copies.
  const requests = PRECACHE.map((url) => new Request(url, { cache: "reload" }));
  event.waitUntil(
    caches.open(SITE_CACHE)
      .then((cache) => cache.addAll(requests))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names
          .filter((name) => name.startsWith("metodiky-web-") && name !== SITE_CACHE)
          .map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) {
    return;
  }
  if (DOCUMENT.test(url.pathname)) {
    event.respondWith(networkThenCache(request));
    return;
  }
  event.respondWith(cacheThenNetwork(request, url));
});

// The whole precache belongs to one build, so pages and assets always match each other;
// a new build installs a new worker with a new cache. Pages left out of the precache
// (archived versions, embedded views) join the cache when a reader visits them.
async function cacheThenNetwork(request, url) {
  const cache = await caches.open(SITE_CACHE);
  const hit = await cache.match(request, { ignoreSearch: true })
    || (!url.pathname.endsWith("/") && !url.pathname.split("/").pop().includes(".")
      ? await cache.match(url.pathname + "/")
      : undefined);
  if (hit) {
    return hit;
  }
  const response = await fetch(request);
  if (response.status === 200 && response.type === "basic") {
    await cache.put(request, response.clone());
  }
  return response;
}

// A newer document wins when the network answers; the cached copy serves the reader offline.
async function networkThenCache(request) {
  const cache = await caches.open(DOCUMENT_CACHE);
  try {
    const response = await fetch(request);
    if (response.status === 200) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) {
      return hit;
    }
    throw error;
  }
}
