// Offline app shell for the onboarding wizard. Plain JavaScript, copied to dist/ as is by Trunk.
//
// The page registers `/sw.js?build=<id of its hashed assets>`, so every build is a new worker
// version with its own cache; a changed sw.js is one too (the browser compares the bytes).
// - install: caches `/` (index.html), `/config.json`, every same-origin file index.html names
//   and the locale files `/locales/index.json` lists (src/i18n.rs loads them). No
//   skipWaiting() here: an update waits until the page asks for it at its next load
//   (src/offline.rs), so it never takes over in the middle of an edit.
// - activate: deletes this app's older caches, then controls the open pages.
// - fetch: same-origin GETs only; `/api/` is never touched (submissions go to the network, the
//   app keeps its own outbox). Navigations: network first, the cached index.html when the
//   network fails. config.json: network first (refreshing the cache), cached copy offline.
//   Hashed assets and `/locales/` (this build's, as cached): cache first, then the network.

const SHELL_VERSION = '1';
const CACHE_PREFIX = 'onboarding-wizard-shell-';
const BUILD = new URL(self.location.href).searchParams.get('build') || 'unversioned';
const CACHE = `${CACHE_PREFIX}v${SHELL_VERSION}-${BUILD}`;
const INDEX = '/';
const CONFIG = '/config.json';
const LOCALES = '/locales/';

// href="..." / src="..." attributes, and quoted absolute paths in inline scripts (Trunk's
// loader imports the JS glue and passes the .wasm path to init()).
const ATTRIBUTE_URL = /\b(?:href|src)\s*=\s*["']([^"']+)["']/gi;
const SCRIPT_PATH = /["'](\/[^"'\s]+\.(?:js|mjs|wasm|css))["']/gi;
// Trunk's hashed file names: name-<hex hash>[_bg].ext
const HASHED_ASSET = /-[0-9a-f]{8,}(?:_bg)?\.(?:js|mjs|wasm|css)$/;

/** Same-origin paths of the files index.html needs, without the page itself. */
function assetsOf(html) {
  const found = new Set();
  for (const re of [ATTRIBUTE_URL, SCRIPT_PATH]) {
    re.lastIndex = 0;
    let m;
    while ((m = re.exec(html)) !== null) {
      let url;
      try {
        url = new URL(m[1], self.location.origin);
      } catch {
        continue;
      }
      if (url.origin !== self.location.origin) continue;
      if (url.pathname === INDEX || url.pathname.startsWith('/api/')) continue;
      found.add(url.pathname + url.search);
    }
  }
  return [...found];
}

/** This build's locale files (scripts/locales-index.mjs). */
async function localeFiles() {
  const index = await fetch(new Request(`${LOCALES}index.json`, { cache: 'no-cache' }));
  if (index.status === 404) return [];
  if (!index.ok) throw new Error(`locales/index.json: HTTP ${index.status}`);
  const { languages } = await index.json();
  return languages.flatMap((l) => l.files);
}

async function precache() {
  const cache = await caches.open(CACHE);
  // Bypass the HTTP cache: this copy is what the app runs on while offline.
  const page = await fetch(new Request(INDEX, { cache: 'no-cache' }));
  if (!page.ok) throw new Error(`index.html: HTTP ${page.status}`);
  const html = await page.clone().text();
  // All or nothing: a half-cached shell must not replace a working one.
  await cache.addAll(assetsOf(html));
  await cache.addAll(await localeFiles());
  const config = await fetch(new Request(CONFIG, { cache: 'no-cache' })).catch(() => null);
  if (config && config.ok) await cache.put(CONFIG, config);
  await cache.put(INDEX, page);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(
      names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE).map((n) => caches.delete(n)),
    );
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'skip-waiting') self.skipWaiting();
});

/** An app route (`/onboarding/<id>/gateway`), not a file: the last segment has no dot. */
function isAppRoute(pathname) {
  return !pathname.slice(pathname.lastIndexOf('/') + 1).includes('.');
}

async function navigation(request) {
  try {
    const response = await fetch(request);
    // A server that is down behind a proxy answers 502/503/504: the offline copy is better.
    if (response.status < 500) return response;
    const cached = await caches.match(INDEX, { cacheName: CACHE });
    return cached || response;
  } catch (offline) {
    const cached = await caches.match(INDEX, { cacheName: CACHE });
    if (cached) return cached;
    throw offline;
  }
}

async function config(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(CONFIG, response.clone());
    // The deployment removed the file: defaults apply online, so they must offline too.
    else if (response.status === 404) await cache.delete(CONFIG);
    return response;
  } catch (offline) {
    const cached = await cache.match(CONFIG);
    if (cached) return cached;
    throw offline;
  }
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return;

  if (request.mode === 'navigate') {
    if (isAppRoute(url.pathname)) event.respondWith(navigation(request));
    return;
  }
  if (url.pathname === CONFIG) {
    event.respondWith(config(request));
    return;
  }
  if (HASHED_ASSET.test(url.pathname) || url.pathname.startsWith(LOCALES)) {
    event.respondWith(asset(request));
  }
  // Anything else (including an API under another base path) goes to the network untouched.
});
