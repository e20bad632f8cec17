/**
 * QueueCrew service worker (served at /sw.js, scope /): an offline page for navigations, Web Push
 * messages shown as notifications, and a click that focuses or opens the night it is about.
 *
 * It caches only the offline page and its assets: the app itself always comes from the network (its
 * HTML carries a fresh CSP nonce per response), and API answers are never cached.
 * A push payload is JSON {title, body, url}; a URL that is not on this origin is replaced by the home page.
 */
const CACHE = 'queuecrew-offline-v1';
const OFFLINE_URL = '/offline.html';
const OFFLINE_ASSETS = [OFFLINE_URL, '/offline.css', '/icons/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(OFFLINE_ASSETS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Network first; only when the network is unreachable does the offline page answer.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  // The offline page's own assets, while offline.
  if (OFFLINE_ASSETS.includes(url.pathname)) {
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname)));
  }
});

/** A same-origin absolute URL, or the home page. */
function sameOrigin(value) {
  try {
    const url = new URL(typeof value === 'string' ? value : '/', self.location.origin);
    return url.origin === self.location.origin ? url.href : `${self.location.origin}/`;
  } catch {
    return `${self.location.origin}/`;
  }
}

self.addEventListener('push', (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = {};
  }
  const title = typeof data.title === 'string' && data.title ? data.title.slice(0, 120) : 'QueueCrew';
  const body = typeof data.body === 'string' ? data.body.slice(0, 500) : '';
  const url = sameOrigin(data.url);
  event.waitUntil(
    self.registration.showNotification(title, {
      body,
      // One notification per night: a newer one about the same URL replaces the older.
      tag: url,
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = sameOrigin(event.notification.data && event.notification.data.url);
  event.waitUntil(
    clients.matchAll({ type: 'window', includeUncontrolled: true }).then(async (windows) => {
      const exact = windows.find((w) => w.url === url);
      if (exact) return exact.focus();
      const ours = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (ours) {
        const focused = await ours.focus();
        return focused.navigate(url);
      }
      return clients.openWindow(url);
    }),
  );
});
