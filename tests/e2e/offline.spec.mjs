// Offline app shell (sw.js + src/offline.rs): after one visit the wizard loads and works with
// the network off, drafts included; a new version takes over only on the next load; the page
// says when it is offline.
import { test, expect } from './fixtures.mjs';
import { axeCheck, ids, openStart, startNew, storedDraft, waitForAutosave } from './helpers.mjs';

const CACHE_PREFIX = 'onboarding-wizard-shell-';

/** Waits until a service worker controls the page (it has cached the shell by then). */
/** Until a worker controls the page and has finished activating (it claims the page while its
 * `activate` handler still clears older caches). */
async function waitForControl(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 15_000 });
}

async function shellCaches(page) {
  return page.evaluate(async (prefix) => (await caches.keys()).filter((n) => n.startsWith(prefix)).sort(), CACHE_PREFIX);
}

/** What the registration holds, as { active, waiting, installing, controller } script URLs/states. */
async function workers(page) {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    const describe = (w) => (w ? { url: w.scriptURL, state: w.state } : null);
    return {
      active: describe(reg?.active),
      waiting: describe(reg?.waiting),
      installing: describe(reg?.installing),
      controller: describe(navigator.serviceWorker.controller),
    };
  });
}

test('after one visit, a reload with the network off loads the wizard; a draft is edited and resumed', async ({ page, context }) => {
  const draftId = await startNew(page);
  await waitForControl(page);
  // The shell (page, config, hashed assets) is in one versioned cache.
  const [cacheName] = await shellCaches(page);
  expect(cacheName).toMatch(new RegExp(`^${CACHE_PREFIX}v\\d.*-[0-9a-f]{16}$`));
  const cachedPaths = await page.evaluate(async (name) => {
    const cache = await caches.open(name);
    return (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
  }, cacheName);
  expect(cachedPaths).toEqual(expect.arrayContaining(['/', '/config.json']));
  expect(cachedPaths.some((p) => /\.wasm$/.test(p))).toBe(true);
  expect(cachedPaths.some((p) => /\.js$/.test(p))).toBe(true);
  expect(cachedPaths.some((p) => /\.css$/.test(p))).toBe(true);

  await page.fill(ids.name, 'Clínica Sin Red');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Clínica Sin Red');

  await context.setOffline(true);
  // The network really is off for the page: a request the worker does not serve fails.
  expect(await page.evaluate(() => fetch('/api/onboardings/probe').then(() => 'reached', () => 'failed'))).toBe('failed');

  const config = page.waitForResponse((r) => new URL(r.url()).pathname === '/config.json');
  const reloaded = await page.reload();
  expect(reloaded?.fromServiceWorker()).toBe(true);
  // config.json comes from the cache (a failed fetch would leave no response at all).
  expect((await config).status()).toBe(200);
  expect((await config).fromServiceWorker()).toBe(true);
  await expect(page.locator(ids.name)).toHaveValue('Clínica Sin Red');
  await expect(page.locator('#offline-notice')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'You are offline' })).toHaveText(
    'You are offline. Your changes are saved on this device; submitting waits until you are back online.',
  );

  // Editing works offline and is autosaved.
  await page.fill(ids.city, 'Toledo');
  await waitForAutosave(page, draftId, (w) => w.customer.address.city === 'Toledo');

  // The start page loads offline too, lists the draft, and Resume brings the edits back.
  const start = await page.goto('/');
  expect(start?.fromServiceWorker()).toBe(true);
  await expect(page.locator('#start-new')).toBeVisible();
  await expect(page.locator('#offline-notice')).toBeVisible();
  await page.getByRole('link', { name: 'Resume Clínica Sin Red', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/customer`));
  await expect(page.locator(ids.name)).toHaveValue('Clínica Sin Red');
  await expect(page.locator(ids.city)).toHaveValue('Toledo');

  // A deep link opened offline (a fresh navigation to an app route) works as well.
  await page.goto(`/onboarding/${draftId}/customer`);
  await expect(page.locator(ids.city)).toHaveValue('Toledo');

  await context.setOffline(false);
  await expect(page.locator('#offline-notice')).toHaveCount(0);
  expect((await storedDraft(page, draftId))?.working.customer.address.city).toBe('Toledo');
});

test('the offline notice appears and disappears with the network', async ({ page, context }) => {
  await openStart(page);
  // Spanish comes from /locales, which the service worker keeps for offline use once it runs.
  await waitForControl(page);
  await expect(page.locator('#offline-notice')).toHaveCount(0);
  await context.setOffline(true);
  await expect(page.locator('#offline-notice')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'You are offline' })).toHaveCount(1);
  await context.setOffline(false);
  await expect(page.locator('#offline-notice')).toHaveCount(0);
  await context.setOffline(true);
  await expect(page.locator('#offline-notice')).toBeVisible();
  // Translated, and it follows the language switch.
  await page.getByRole('button', { name: 'Español' }).click();
  await expect(page.locator('#offline-notice')).toHaveText(
    'No hay conexión. Sus cambios se guardan en este dispositivo; el envío esperará hasta que vuelva a estar en línea.',
  );
  await context.setOffline(false);
  await expect(page.locator('#offline-notice')).toHaveCount(0);
});

test('accessibility: no axe violations with the offline notice shown', async ({ page, context }) => {
  await startNew(page);
  await waitForControl(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('#offline-notice')).toBeVisible();
  await axeCheck(page, 'Customer step, offline');
  await page.goto('/');
  await expect(page.locator('#offline-notice')).toBeVisible();
  await axeCheck(page, 'start page, offline');
});

test('the worker never answers API requests, online or offline', async ({ page, context }) => {
  await openStart(page);
  await waitForControl(page);
  // page.route sees only requests the worker leaves to the network.
  await page.route('**/api/onboardings/probe', (route) => route.fulfill({ status: 418, body: 'from page.route' }));
  expect(await page.evaluate(() => fetch('/api/onboardings/probe').then((r) => r.status))).toBe(418);
  await page.unroute('**/api/onboardings/probe');
  await context.setOffline(true);
  expect(await page.evaluate(() => fetch('/api/onboardings/probe').then(() => 'reached', () => 'failed'))).toBe('failed');
});

// Chromium fetches the script of a first registration through the page's routes, but not the
// update checks: so the first visit installs a routed "previous release" of sw.js, and the real
// sw.js on the server is the changed version the update check then finds.
test('a changed sw.js waits while the page is open and takes over on the next load', async ({ page, context }) => {
  const SW = /\/sw\.js(\?|$)/;
  let routed = 0;
  await context.route(SW, async (route) => {
    const response = await route.fetch();
    const current = await response.text();
    const previous = current.replace("const SHELL_VERSION = '1';", "const SHELL_VERSION = '0-previous';");
    expect(previous).not.toBe(current);
    routed += 1;
    await route.fulfill({ response, body: previous });
  });
  const draftId = await startNew(page);
  await waitForControl(page);
  expect(routed).toBe(1);
  const before = await workers(page);
  expect(before.controller?.state).toBe('activated');
  const [oldCache] = await shellCaches(page);
  expect(oldCache).toContain('v0-previous-');

  // The server now has a different sw.js; the browser finds it at an update check.
  await context.unroute(SW);
  await page.evaluate(() => {
    window.__controllerChanges = 0;
    window.__samePage = true;
    navigator.serviceWorker.addEventListener('controllerchange', () => { window.__controllerChanges += 1; });
  });
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
  // Installed (its cache is filled) but waiting: the open page keeps its worker.
  await expect.poll(async () => (await workers(page)).waiting?.state).toBe('installed');
  const newCache = (await shellCaches(page)).find((n) => n !== oldCache);
  expect(newCache).toContain('v1-');

  // Editing goes on under the old worker; nothing reloads the page.
  await page.fill(ids.name, 'Talleres Durante la Actualización');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Talleres Durante la Actualización');
  await page.waitForTimeout(1_000);
  const during = await workers(page);
  expect(during.controller).toEqual(before.controller);
  expect(during.active).toEqual(before.active);
  expect(during.waiting?.state).toBe('installed');
  expect(await page.evaluate(() => [window.__controllerChanges, window.__samePage])).toEqual([0, true]);
  expect(await shellCaches(page)).toEqual([oldCache, newCache].sort());

  // The next load hands over to the new version, which drops the old cache.
  await page.reload();
  await expect(page.locator(ids.name)).toHaveValue('Talleres Durante la Actualización');
  await expect.poll(() => shellCaches(page)).toEqual([newCache]);
  await expect.poll(async () => (await workers(page)).waiting).toBeNull();
  const after = await workers(page);
  expect(after.active?.state).toBe('activated');
  expect(after.controller?.state).toBe('activated');

  // And the new version serves the shell offline.
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator(ids.name)).toHaveValue('Talleres Durante la Actualización');
});
