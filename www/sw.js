// The service worker: keeps the whole site in one cache per version, so both pages work offline
// after one visit. precache.js (written by tools/precache.mjs) lists the files and names the
// version, a hash of their contents. A new version fills its own cache completely while the old one
// keeps serving; it takes over at a load of the page that leaves no tab on the old one (a reload of
// the only one, or the first tab), and then the old cache is deleted. Until then each tab gets every
// file from the version it started with. The generator weights are not stored here: the gallery's
// worker keeps them in its own cache (www/js/workers/gallery.js).
importScripts('precache.js');

const { version, precache, runtime } = self.PRECACHE;
const PREFIX = 'ganplay-site-';
const CACHE = PREFIX + version;
const SCOPE = new URL('./', self.location.href);
const STORED = new Set(precache);
const LATER = new Set(runtime);

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Revalidated with the server, never taken unchecked from the HTTP cache; all or nothing.
    await cache.addAll(precache.map((path) => new Request(new URL(path, SCOPE), { cache: 'no-cache' })));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    // The first visit's page too: its WebGPU module is then stored when it loads.
    await self.clients.claim();
  })());
});

// The version in charge hands over to this one, waiting: it asks for the cache to serve from.
self.addEventListener('message', (event) => {
  if (event.data !== 'take-over') return;
  event.ports[0]?.postMessage(CACHE);
  self.skipWaiting();
});

/** Set once this version has handed over: the cache of the next one, which serves every file from then on. */
let handedTo = null;

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  let path = url.pathname.slice(SCOPE.pathname.length);
  if (path === '' || path.endsWith('/')) path += 'index.html';
  // Files are keyed without their query: ?lang=, ?embed, a worker's ?lang= all name the same file.
  if (handedTo) event.respondWith(stored(path, request));
  else if (STORED.has(path)) event.respondWith(request.mode === 'navigate' ? page(path, request) : stored(path, request));
  else if (LATER.has(path)) event.respondWith(storedWhenUsed(path, request, event));
});

const key = (path) => new URL(path, SCOPE).href;

async function stored(path, request) {
  const hit = await caches.match(key(path), { cacheName: handedTo ?? CACHE });
  return hit ?? fetch(request);
}

async function storedWhenUsed(path, request, event) {
  const hit = await caches.match(key(path), { cacheName: CACHE });
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok && res.type === 'basic') {
    const copy = res.clone();
    event.waitUntil(caches.open(CACHE).then((c) => c.put(key(path), copy)).catch(() => {}));
  }
  return res;
}

/**
 * A page load. Where a new version waits and this load leaves no tab on this one, the new version
 * takes over: this load and every request after it are served from its cache (until it is in
 * charge itself, moments later).
 */
async function page(path, request) {
  const waiting = self.registration.waiting;
  if (waiting && alone(await self.clients.matchAll({ type: 'window' }), request)) handedTo = await handOver(waiting);
  return stored(path, request);
}

/** Tells `waiting` to take over; resolves to its cache's name (null if it does not answer). */
function handOver(waiting) {
  return new Promise((done) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => done(e.data);
    setTimeout(done, 5000, null);
    waiting.postMessage('take-over', [channel.port2]);
  });
}

/** Whether `request` opens the first of `clients` (the tabs on this version), or reloads the only one. */
function alone(clients, request) {
  if (clients.length === 0) return true;
  // A reload revalidates (cache mode "no-cache" or "reload"); a new tab on the same address does not.
  if (clients.length > 1 || request.cache === 'default') return false;
  const bare = (url) => url.split('#')[0];
  return bare(clients[0].url) === bare(request.url);
}
