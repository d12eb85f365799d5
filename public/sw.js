// Leche's service worker: makes the site work offline after one visit.
//
// Every file of one build is cached together, in a cache named after the
// build (BUILD.version, a hash of every file's contents, written below by
// scripts/pwa_postbuild.py after each trunk build). The page is always served
// from one build's files, so an old index.html never meets a new wasm:
// - install: download the whole build into its own cache, checking each file
//   against its hash (a half-uploaded deploy fails the install, which the
//   browser retries at its next update check); until then the old worker and
//   its cache keep serving;
// - the new worker then waits; the page offers "Nueva versión disponible —
//   recargar" and, when accepted, posts 'skip-waiting';
// - activate: delete this scope's older caches, take control of the pages
//   (they reload on `controllerchange`).
// A new deploy is noticed because the browser re-downloads this script,
// bypassing the HTTP cache, on every navigation; the script changes whenever
// any file of the build changes. Requests outside the build's files go to the
// network untouched. Relative URLs only: works at the root or under a sub-path.
'use strict';

// Replaced after each build by scripts/pwa_postbuild.py (one line, keep it so).
const BUILD = { version: 'unbuilt', files: {} };

const SCOPE = new URL('./', self.location).href;
const INDEX = new URL('index.html', SCOPE).href;
// Named after the scope too: two copies of the app on one origin (two
// sub-paths) share CacheStorage and must not delete each other's caches.
const PREFIX = `leche:${SCOPE}:`;
const CACHE = PREFIX + BUILD.version;

self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(SCOPE)) return;
  event.respondWith(respond(request));
});

/** Downloads every file of the build and checks it against its hash. */
async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(
    Object.entries(BUILD.files).map(async ([file, sha256]) => {
      const url = new URL(file, SCOPE).href;
      // A retried install keeps what an interrupted one already verified.
      if (await cache.match(url)) return;
      // 'no-cache' revalidates (a 304 is cheap); a validator too coarse to
      // tell two deploys apart (Last-Modified has one-second steps) gives the
      // old copy, so on a mismatch download it again past the HTTP cache.
      let response = await download(url, 'no-cache', sha256);
      if (!response) response = await download(url, 'reload', sha256);
      if (!response) throw new Error(`${file}: not this build's file (deploy still in progress?)`);
      await cache.put(url, response);
    }),
  );
}

/** The file, if its contents have this build's hash. */
async function download(url, mode, sha256) {
  const response = await fetch(new Request(url, { cache: mode }));
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const digest = await crypto.subtle.digest('SHA-256', await response.clone().arrayBuffer());
  return hex(digest) === sha256 ? response : null;
}

/** This build's copy when it has one, else the network; the app shell for navigations. */
async function respond(request) {
  const cache = await caches.open(CACHE);
  const navigate = request.mode === 'navigate';
  const url = new URL(request.url);
  const key = navigate && url.pathname.endsWith('/') ? INDEX : request;
  const cached = await cache.match(key, { ignoreSearch: navigate });
  if (cached) return cached;
  try {
    return await fetch(request);
  } catch (error) {
    const shell = navigate ? await cache.match(INDEX) : undefined;
    if (shell) return shell;
    throw error;
  }
}

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}
