// First paint without waiting for wasm, and assets sent compressed: index.html carries a static
// shell (header, heading, loading line; the progress outline on step routes) written by the
// backend in the request's language, which the app replaces as it mounts; the hashed js/wasm/css
// arrive precompressed (scripts/precompress.mjs) and cached as immutable, index.html no-cache.
// The wasm request is held back with page.route until the shell has been checked.
import { test, expect } from './fixtures.mjs';
import { axeCheck } from './helpers.mjs';

// A service worker would answer from its cache, out of page.route's reach.
test.use({ serviceWorkers: 'block' });

/** Holds every .wasm request until the returned release() is called. */
async function holdWasm(page) {
  let release;
  const released = new Promise((resolve) => (release = resolve));
  let requested = false;
  await page.route(/\.wasm(\?|$)/, async (route) => {
    requested = true;
    await released;
    await route.continue();
  });
  return { release: () => release(), requested: () => requested };
}

/** Collects Content Security Policy violations reported on the console. */
function cspViolations(page) {
  const found = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) found.push(m.text());
  });
  return found;
}

async function expectAppReplacedShell(page) {
  await expect(page.locator('#app-shell')).toHaveCount(0);
  await expect(page.locator('header')).toHaveCount(1);
  await expect(page.locator('h1')).toHaveCount(1);
  await expect(page.locator('main')).toHaveCount(1);
}

test('the shell is painted before the wasm arrives, then the app replaces it', async ({ page }) => {
  const violations = cspViolations(page);
  const wasm = await holdWasm(page);
  await page.goto('/', { waitUntil: 'commit' });

  const shell = page.locator('#app-shell');
  await expect(shell).toBeVisible();
  await expect(shell.locator('header .header__title')).toHaveText('Partner onboarding');
  await expect(shell.getByRole('heading', { level: 1 })).toHaveText('Customer onboardings');
  await expect(shell.getByRole('status')).toHaveText('Loading the onboarding wizard…');
  const shellLead = await shell.locator('.lead').textContent();
  expect(shellLead).toMatch(/^Onboard a new business customer/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // Styled by the stylesheet (no inline styles): the header has its dark background.
  const background = await shell.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(background).not.toBe('rgba(0, 0, 0, 0)');
  await expect.poll(wasm.requested).toBe(true);
  await expect(page.locator('#start-new')).toHaveCount(0);
  await axeCheck(page, 'the static shell');

  wasm.release();
  await expect(page.locator('#start-new')).toBeVisible();
  await expectAppReplacedShell(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Customer onboardings');
  await expect(page.getByText('Loading the onboarding wizard…')).toHaveCount(0);
  // The shell drew the app's own lead paragraph, so the largest text was painted at once.
  await expect(page.locator('main .lead').first()).toHaveText(shellLead);
  expect(violations).toEqual([]);
});

test.describe('in Spanish', () => {
  test.use({ locale: 'es-ES' });

  test('a step route shows the Spanish shell with the progress outline, then the app', async ({ page }) => {
    const violations = cspViolations(page);
    const wasm = await holdWasm(page);
    await page.goto('/onboarding/00000000-0000-4000-8000-000000000000/gateway', { waitUntil: 'commit' });

    const shell = page.locator('#app-shell');
    await expect(shell).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(shell.locator('.header__title')).toHaveText('Incorporación para socios');
    await expect(shell.getByRole('heading', { level: 1 })).toHaveText('Configurar el sitio del cliente');
    await expect(shell.getByRole('status')).toHaveText('Cargando el asistente de incorporación…');
    const shellLead = await shell.locator('.lead').textContent();
    const progress = shell.getByRole('navigation', { name: 'Progreso' });
    await expect(progress.getByRole('listitem')).toHaveText(['1 Cliente', '2 Gateway', '3 PBX', '4 Conectar', '5 Revisión']);
    await expect(progress.locator('[aria-current="step"]')).toHaveText('2 Gateway');
    await axeCheck(page, 'the Spanish shell of a step');

    wasm.release();
    // The app's header has the language switcher, which the shell does not draw.
    await expect(page.locator('.header__languages')).toBeVisible();
    await expectAppReplacedShell(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.locator('main .lead').first()).toHaveText(shellLead);
    expect(violations).toEqual([]);
  });
});

test('js, wasm and css arrive brotli-compressed and immutable; index.html is no-cache', async ({ page }) => {
  const responses = new Map();
  page.on('response', async (response) => {
    const path = new URL(response.url()).pathname;
    responses.set(path, { status: response.status(), headers: await response.allHeaders() });
  });
  await page.goto('/');
  await expect(page.locator('#start-new')).toBeVisible();

  const page200 = responses.get('/');
  expect(page200.status).toBe(200);
  expect(page200.headers['cache-control']).toBe('no-cache');
  expect(page200.headers['content-encoding']).toBe('br');
  expect(page200.headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval' 'sha256-");

  const assets = [...responses.keys()].filter((p) => /\.(js|wasm|css)$/.test(p));
  for (const ext of ['.js', '_bg.wasm', '.css']) {
    expect(assets.some((p) => p.endsWith(ext)), `a ${ext} file was loaded: ${assets}`).toBe(true);
  }
  for (const path of assets) {
    const { status, headers } = responses.get(path);
    expect(status, path).toBe(200);
    expect(path, 'Trunk names assets after their content').toMatch(/-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/);
    expect(headers['content-encoding'], path).toBe('br');
    expect(headers['cache-control'], path).toBe('public, max-age=31536000, immutable');
    expect(headers.vary?.toLowerCase(), path).toContain('accept-encoding');
    expect(headers['content-security-policy'], path).toBeTruthy();
  }
});

test('without brotli the server sends gzip, and identity when nothing is accepted', async ({ page, request }) => {
  await page.goto('/');
  const wasmPath = await page.evaluate(() => document.querySelector('link[rel="preload"][href$=".wasm"]')?.getAttribute('href'));
  expect(wasmPath).toMatch(/_bg\.wasm$/);
  // APIRequestContext decompresses bodies but reports the headers as sent.
  const gzip = await request.get(wasmPath, { headers: { 'Accept-Encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  const identity = await request.get(wasmPath, { headers: { 'Accept-Encoding': 'identity' } });
  expect(identity.headers()['content-encoding']).toBeUndefined();
  expect((await gzip.body()).equals(await identity.body())).toBe(true);
  expect(identity.headers()['content-type']).toBe('application/wasm');
  const config = await request.get('/config.json', { headers: { 'Accept-Encoding': 'br' } });
  expect(config.headers()['cache-control']).toBe('no-cache');
});
