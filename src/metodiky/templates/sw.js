// Service worker: after the first visit every page, asset and the search index are read from
// the cache, so field workers can use the site without a signal (on a large site: the common
// pages, and each methodology once a reader opens it). Documents are kept once opened.
// Permanent links (/odkaz/…, what the QR codes in print open) are resolved here, without the
// network; a page that is not stored gets the Czech offline page instead of the browser's error.
// Generated at build time by metodiky.offline; the lists and version below belong to one build.
"use strict";

const VERSION = "__VERSION__";
const PRECACHE = [] /* __PRECACHE__ */;
// "kp-uvod" or "kp-uvod/1.0" → target URLs relative to the site root, to try in order.
const PERMALINKS = {} /* __PERMALINKS__ */;
const PERMALINK_ROOT = "odkaz/";
const OFFLINE_PAGE = "__OFFLINE_PAGE__";
// On a site too large to store whole on the first visit: each methodology's pages ("slug/" →
// URLs), stored together when a reader opens one of them, and kept when the site is updated.
const ON_DEMAND = {} /* __ON_DEMAND__ */;
// A key in the cache that says a methodology has been stored.
const STORED_MARK = "__ulozeno__/";
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
      .then(() => storeAgainWhatWasStored().catch(() => undefined))
      .then(() => self.skipWaiting()),
  );
});

// The methodologies a reader had stored with the previous build are stored again with this one.
async function storeAgainWhatWasStored() {
  const older = (await caches.keys())
    .filter((name) => name.startsWith("metodiky-web-") && name !== SITE_CACHE);
  for (const name of older) {
    const cache = await caches.open(name);
    for (const prefix of Object.keys(ON_DEMAND)) {
      if (await cache.match(storedMark(prefix))) {
        await storeMethodology(prefix);
      }
    }
  }
}

function storedMark(prefix) {
  return new URL(STORED_MARK + prefix, siteRoot()).href;
}

// The methodology a page belongs to, when its pages are stored on demand.
function onDemandPrefix(url) {
  const root = siteRoot();
  const path = url.pathname.slice(root.pathname.length);
  return Object.keys(ON_DEMAND).find((prefix) => path.startsWith(prefix)) || null;
}

// Every page of the methodology into this build's cache, then the mark; one download at a time
// per methodology, and none once the mark is there.
const storing = new Map();
function storeMethodology(prefix) {
  if (!storing.has(prefix)) {
    const done = (async () => {
      const cache = await caches.open(SITE_CACHE);
      if (await cache.match(storedMark(prefix))) {
        return;
      }
      const missing = [];
      for (const page of ON_DEMAND[prefix]) {
        const address = new URL(page, siteRoot()).href;
        if (!(await cache.match(address))) {
          missing.push(new Request(address, { cache: "reload" }));
        }
      }
      await cache.addAll(missing);
      await cache.put(storedMark(prefix), new Response(""));
    })();
    storing.set(prefix, done);
    const forget = () => storing.delete(prefix);
    done.then(forget, forget);
  }
  return storing.get(prefix);
}

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
    event.respondWith(networkThenCache(request).catch(() => offlineFallback(request)));
    return;
  }
  const prefix = request.mode === "navigate" ? onDemandPrefix(url) : null;
  if (prefix !== null) {
    // Alongside the page: the rest of its methodology, for reading it without a signal.
    event.waitUntil(storeMethodology(prefix).catch(() => undefined));
  }
  const permalink = permalinkKey(url);
  if (permalink !== null && request.mode === "navigate") {
    event.respondWith(resolvePermalink(request, permalink));
    return;
  }
  event.respondWith(cacheThenNetwork(request, url).catch(() => offlineFallback(request)));
});

// The site's address as a folder ("https://host/" or "https://host/metodiky/").
function siteRoot() {
  return new URL("./", self.registration.scope);
}

function permalinkKey(url) {
  const root = siteRoot();
  const path = url.pathname.slice(root.pathname.length);
  if (!url.pathname.startsWith(root.pathname) || !path.startsWith(PERMALINK_ROOT)) {
    return null;
  }
  const key = decodeURIComponent(path.slice(PERMALINK_ROOT.length)).replace(/\/+$/, "");
  return Object.prototype.hasOwnProperty.call(PERMALINKS, key) ? key : null;
}

// Forward to the first target that is stored; otherwise to the first one the network has; a
// link to a release that equals the current text falls back to the current page, stored offline.
async function resolvePermalink(request, key) {
  const cache = await caches.open(SITE_CACHE);
  const targets = PERMALINKS[key].map((target) => new URL(target, siteRoot()));
  for (const target of targets) {
    if (await cache.match(pageAddress(target))) {
      return Response.redirect(target.href, 302);
    }
  }
  try {
    const first = await fetch(pageAddress(targets[0]));
    if (first.ok) {
      await cache.put(pageAddress(targets[0]), first);
      return Response.redirect(targets[0].href, 302);
    }
  } catch (error) {
    // Offline and the target is not stored: the offline page says what is.
  }
  return offlineFallback(request);
}

function pageAddress(url) {
  const page = new URL(url.href);
  page.hash = "";
  return page.href;
}

// A page that is neither stored nor reachable: the Czech offline page, shown at the address the
// reader asked for (so reloading it works once the signal is back). Its links are relative to
// its own folder, which a <base> element restores.
async function offlineFallback(request) {
  if (request.mode !== "navigate") {
    return Response.error();
  }
  const cache = await caches.open(SITE_CACHE);
  const page = await cache.match(new URL(OFFLINE_PAGE, siteRoot()).href);
  if (!page) {
    return Response.error();
  }
  const base = `<base href="${new URL(OFFLINE_PAGE, siteRoot()).href}">`;
  const html = (await page.text()).replace(/<head>/i, (head) => head + base);
  const headers = new Headers(page.headers);
  headers.delete("content-length");
  return new Response(html, { status: 503, statusText: "Offline", headers });
}

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
