// The iframe contract, with the host page on one origin (127.0.0.1:8093, allowed by the e2e
// config) and the wizard on another (127.0.0.1:8089). Host pages come from a small server this
// file starts, so each test controls exactly what the host does; `localhost:8093` is the same
// server under an origin that is not allowed. (Pages fulfilled by request routing have no
// address, and Chromium's local-network checks then block the loopback frame.)
import { test, expect, mintSession, otherPartnerKey, partnerId } from './fixtures.mjs';
import http from 'node:http';
import { fillGateway, fillPbx, fillValidCustomer, later, pressNext, VALID_CUSTOMER } from './helpers.mjs';

const WIZARD = 'http://127.0.0.1:8089';
const HOST_PORT = 8093;
const HOST = `http://127.0.0.1:${HOST_PORT}`;
const pages = new Map();
let server;

test.describe.configure({ mode: 'serial' });
// Embedded, the wizard is signed in by its host's init (a session minted with the partner's key),
// never by the standalone cookie.
test.use({ signIn: null });
test.beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = pages.get(new URL(req.url, HOST).pathname);
    res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(body ?? 'not found');
  });
  await new Promise((resolve) => server.listen(HOST_PORT, '127.0.0.1', resolve));
});
test.afterAll(() => new Promise((resolve) => server.close(resolve)));

/** A minimal host: records the wizard's messages, answers ready with `init`, sizes the frame. */
function hostPage({ init = {}, autoInit = true, extraFrame = '' } = {}) {
  const message = { source: 'partner-dashboard', version: 1, type: 'onboarding.init', role: 'partner', locale: 'en', partner_id: 'acme', ...init };
  return `<!doctype html><html lang="en"><head><title>Host</title></head><body style="margin:0">
<h1>Partner dashboard</h1>
<iframe id="wizard" title="Onboarding wizard" src="${WIZARD}/" style="width:900px;height:300px;border:0;display:block"></iframe>
${extraFrame}
<script>
  window.messages = [];
  const frame = document.getElementById('wizard');
  window.sendInit = () => frame.contentWindow.postMessage(${JSON.stringify(message)}, '${WIZARD}');
  window.addEventListener('message', (e) => {
    if (e.origin !== '${WIZARD}' || e.source !== frame.contentWindow) return;
    window.messages.push(e.data);
    if (e.data.type === 'onboarding.ready' && ${autoInit}) window.sendInit();
    if (e.data.type === 'onboarding.resized') frame.style.height = e.data.height + 'px';
  });
</script></body></html>`;
}

/** Serves `html` at `url`: on the test's host server, or routed when on the wizard's origin. */
async function serveHost(page, url, html) {
  const u = new URL(url);
  if (u.port === String(HOST_PORT)) pages.set(u.pathname, html);
  else await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
}

/** Opens a host page whose init carries a fresh session of the demo partner, unless
 * `options.init.session` says otherwise (`null`: an init without one). */
async function openHost(page, options = {}, url = `${HOST}/host.html`) {
  const given = options.init?.session;
  const session = given === undefined ? await mintSession(page.request) : given;
  const init = { ...options.init, session: session ?? undefined };
  await serveHost(page, url, hostPage({ ...options, init }));
  await page.goto(url);
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().startsWith(WIZARD));
  expect(frame, 'the wizard frame').not.toBeNull();
  return frame;
}

const messages = (page) => page.evaluate(() => window.messages);
const types = async (page) => (await messages(page)).map((m) => m.type);
const lastOf = async (page, type) => (await messages(page)).filter((m) => m.type === type).at(-1);

async function frameStep(frame, slug) {
  await expect.poll(() => new URL(frame.url()).pathname, { message: `frame on ${slug}` }).toMatch(new RegExp(`/${slug}$`));
  await expect(frame.locator('#step-heading')).toBeVisible();
}

test('a full onboarding in the frame: the message sequence, exact origins, the frame fitting its content', async ({ page }) => {
  const frame = await openHost(page);
  await expect(frame.locator('#start-new')).toBeVisible();
  await frame.locator('#start-new').click();
  await frameStep(frame, 'customer');
  await fillValidCustomer(frame);
  await pressNext(frame);
  await frameStep(frame, 'gateway');
  await fillGateway(frame);
  await pressNext(frame);
  await frameStep(frame, 'pbx');
  await fillPbx(frame);
  await pressNext(frame);
  await frameStep(frame, 'connect');
  await pressNext(frame);
  await frameStep(frame, 'review');
  await frame.locator('#next').click();
  await expect(frame.locator('#onboarding-id')).toBeVisible();
  const id = (await frame.locator('#onboarding-id').textContent()).trim();
  await expect.poll(() => types(page)).toContain('onboarding.completed');

  const all = await messages(page);
  for (const m of all) {
    expect(m.source).toBe('onboarding-wizard');
    expect(m.version).toBe(1);
  }
  expect(all[0].type).toBe('onboarding.ready');
  const steps = all.filter((m) => m.type === 'onboarding.step_changed').map((m) => m.step);
  expect(steps).toEqual(['customer', 'gateway', 'pbx', 'connect', 'review']);
  // Each step change names the draft once it has a name (the first, on a new draft, has none).
  expect(all.filter((m) => m.type === 'onboarding.step_changed').map((m) => m.customer_name ?? null)).toEqual([
    null, VALID_CUSTOMER.name, VALID_CUSTOMER.name, VALID_CUSTOMER.name, VALID_CUSTOMER.name,
  ]);
  const draftId = new URL(frame.url()).pathname.split('/')[2];
  const saves = all.filter((m) => m.type === 'onboarding.draft_saved');
  expect(saves.length).toBeGreaterThan(0);
  expect(saves.every((m) => m.draft_id === draftId)).toBe(true);
  // Saves name the draft and its step: the last one, Review's, with the customer's name.
  expect(saves.at(-1)).toEqual({ source: 'onboarding-wizard', version: 1, type: 'onboarding.draft_saved', draft_id: draftId, customer_name: VALID_CUSTOMER.name, step: 'review' });
  expect(all.filter((m) => m.type === 'onboarding.completed')).toEqual([
    { source: 'onboarding-wizard', version: 1, type: 'onboarding.completed', draft_id: draftId, onboarding_id: id, customer_name: VALID_CUSTOMER.name },
  ]);
  // The drafts went to the session's partner's namespace, whatever init's partner_id says.
  // (The draft itself is gone after completion; the confirmation stays under the same partner.)
  const keys = await frame.evaluate(() => Object.keys(localStorage));
  expect(keys).toContain(`onboarding-wizard:submitted:${partnerId()}:${draftId}`);
  expect(keys.join(' ')).not.toContain(':acme:');

  // The frame follows the content: the last reported height is the frame's, and no scrollbar.
  const heights = all.filter((m) => m.type === 'onboarding.resized').map((m) => m.height);
  expect(new Set(heights).size).toBeGreaterThan(1);
  const frameHeight = await page.locator('#wizard').evaluate((f) => f.getBoundingClientRect().height);
  expect(Math.round(frameHeight)).toBe((await messages(page)).filter((m) => m.type === 'onboarding.resized').at(-1).height);
  expect(await frame.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1)).toBe(true);
});

test('the frame height follows the content as it grows and shrinks', async ({ page }) => {
  const frame = await openHost(page);
  await frame.locator('#start-new').click();
  await frameStep(frame, 'customer');
  const lastHeight = async () => (await messages(page)).filter((m) => m.type === 'onboarding.resized').at(-1).height;
  const before = await lastHeight();
  for (let i = 0; i < 3; i++) await frame.locator('#add-admin-contact').click();
  await expect.poll(lastHeight).toBeGreaterThan(before);
  const grown = await lastHeight();
  for (let i = 0; i < 3; i++) await frame.getByRole('button', { name: 'Remove admin contact 1' }).click();
  await expect.poll(lastHeight).toBeLessThan(grown);
  await expect.poll(() => page.locator('#wizard').evaluate((f) => Math.round(f.getBoundingClientRect().height))).toBe(await lastHeight());
  expect(await frame.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1)).toBe(true);
});

test('Save and return and Cancel tell the host instead of navigating; init resumes a draft', async ({ page }) => {
  let frame = await openHost(page, { init: { partner_id: 'acme', locale: 'es' } });
  await frame.locator('#start-new').click();
  await frameStep(frame, 'customer');
  await expect(frame.locator('h1')).toHaveText('Ingrese la información del cliente');
  await fillValidCustomer(frame);
  await pressNext(frame);
  await frameStep(frame, 'gateway');
  const draftId = new URL(frame.url()).pathname.split('/')[2];
  await frame.locator('#save-and-return').click();
  await expect.poll(() => types(page)).toContain('onboarding.saved_and_returned');
  // The partner's account holds it (the wizard waited for it before returning).
  expect(await lastOf(page, 'onboarding.saved_and_returned')).toEqual({
    source: 'onboarding-wizard', version: 1, type: 'onboarding.saved_and_returned', draft_id: draftId, synced: true, customer_name: VALID_CUSTOMER.name, step: 'gateway',
  });
  // Still on the wizard's origin (not sent to dashboard_url by navigation), on its start page.
  expect(new URL(frame.url()).origin).toBe(WIZARD);
  expect(await frame.evaluate(() => Object.keys(localStorage))).toContain(`onboarding-wizard:drafts:${partnerId()}:${draftId}`);

  // A new host page resumes that draft through init.
  frame = await openHost(page, { init: { partner_id: 'acme', draft_id: draftId } }, `${HOST}/resume.html`);
  await frameStep(frame, 'gateway');
  await frame.locator(later.siteName).fill('Sede nueva');
  await frame.locator('#cancel').click();
  await frame.getByRole('button', { name: 'Discard changes' }).click();
  await expect.poll(() => types(page)).toContain('onboarding.cancelled');
  // Named as Cancel leaves it: the draft as it was saved.
  expect(await lastOf(page, 'onboarding.cancelled')).toEqual({
    source: 'onboarding-wizard', version: 1, type: 'onboarding.cancelled', draft_id: draftId, customer_name: VALID_CUSTOMER.name, step: 'gateway',
  });
  expect(new URL(frame.url()).origin).toBe(WIZARD);
});

test('init with draft_id "new" opens the Customer step of a new draft, with no start page on the way; fields of later versions are ignored', async ({ page }) => {
  // Record whether the wizard's start page is ever drawn in the frame, even for a moment.
  await page.addInitScript((origin) => {
    if (location.origin !== origin) return;
    window.sawStartPage = false;
    new MutationObserver(() => {
      if (document.getElementById('start-new')) window.sawStartPage = true;
    }).observe(document, { childList: true, subtree: true });
  }, WIZARD);
  const frame = await openHost(page, {
    init: {
      draft_id: 'new',
      // Host SDK fields (not used yet): they must not stop the init.
      prefill: { customer: { name: 'Prefilled later' } },
      appearance: { colorPrimary: '#0b4f8a', borderRadius: 4 },
    },
  }, `${HOST}/new.html`);
  await frameStep(frame, 'customer');
  const draftId = new URL(frame.url()).pathname.split('/')[2];
  expect(draftId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  await expect(frame.locator('h1')).toHaveCount(1);
  await expect(frame.locator('h1')).toHaveText('Enter customer information');
  await expect(frame.locator('#customer-name')).toHaveValue('');
  expect(await frame.evaluate(() => window.sawStartPage)).toBe(false);
  await expect.poll(() => types(page)).toContain('onboarding.step_changed');
  expect((await messages(page)).filter((m) => m.type === 'onboarding.step_changed')).toEqual([
    { source: 'onboarding-wizard', version: 1, type: 'onboarding.step_changed', step: 'customer' },
  ]);
  // Nothing is stored until the partner types; then the draft is under the session's partner.
  expect(await frame.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':drafts:')))).toEqual([]);
  await frame.locator('#customer-name').fill('Nuevo cliente');
  await expect.poll(() => lastOf(page, 'onboarding.draft_saved')).toEqual({
    source: 'onboarding-wizard', version: 1, type: 'onboarding.draft_saved', draft_id: draftId, customer_name: 'Nuevo cliente', step: 'customer',
  });
  expect(await frame.evaluate(() => Object.keys(localStorage))).toContain(`onboarding-wizard:drafts:${partnerId()}:${draftId}`);
});

test('role and partner come from the session, not init: an account admin gets no Save and return; partners never see each other\'s drafts', async ({ page }) => {
  // The init claims the demo partner and the partner role; the session is another partner's
  // account admin's.
  const session = await mintSession(page.request, { role: 'account_admin', key: otherPartnerKey() });
  const frame = await openHost(page, { init: { role: 'partner', partner_id: partnerId(), session } });
  await expect(frame.locator('#signed-in-as')).toHaveText('Signed in as Other Partner');
  await frame.locator('#start-new').click();
  await frameStep(frame, 'customer');
  await expect(frame.locator('#save-and-return')).toHaveCount(0);
  await frame.locator('#customer-name').fill('Only for other-partner');
  await expect.poll(() => frame.evaluate(() => Object.keys(localStorage).join(' '))).toContain('onboarding-wizard:drafts:other-partner:');
  expect(await frame.evaluate(() => Object.keys(localStorage).join(' '))).not.toContain(`:drafts:${partnerId()}:`);
  const demo = await openHost(page, { init: { partner_id: 'other-partner' } }, `${HOST}/demo.html`);
  await expect(demo.locator('#signed-in-as')).toHaveText('Signed in as Demo Partner');
  await expect(demo.locator('#start-new')).toBeVisible();
  await expect(demo.getByText('Only for other-partner')).toHaveCount(0);
});

test('a parent that is not allowed gets the refusal page, no message, and no draft is touched', async ({ page }) => {
  // Same origin as the wizard: the CSP's frame-ancestors 'self' lets it load, the app refuses.
  const frame = await openHost(page, {}, `${WIZARD}/not-a-dashboard.html`);
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('This wizard cannot be shown here');
  await expect(frame.locator('#embed-refused')).toContainText('No draft on this device has been read or changed');
  await page.waitForTimeout(500);
  expect(await messages(page)).toEqual([]);
  expect(await frame.evaluate(() => localStorage.length)).toBe(0);
});

test('an origin outside frame-ancestors cannot load the wizard at all', async ({ page }) => {
  // localhost:8093 is another origin than 127.0.0.1:8093: the browser blocks the frame.
  await serveHost(page, `${HOST}/outsider.html`, hostPage());
  await page.goto(`http://localhost:${HOST_PORT}/outsider.html`);
  await page.waitForTimeout(1500);
  expect(await messages(page)).toEqual([]);
  // The frame holds the browser's error page, not the wizard.
  const framed = page.frames().filter((f) => f !== page.mainFrame());
  expect(framed).toHaveLength(1);
  expect(framed[0].url()).not.toContain(WIZARD);
  await expect(framed[0].locator('#start-new, #customer-name, main')).toHaveCount(0);
});

test('messages from another origin are ignored; only the parent\'s init opens the wizard', async ({ page }) => {
  // A frame of another origin on the host page posts a forged init to the wizard frame.
  pages.set('/evil.html', `<!doctype html><title>evil</title><script>
      setInterval(() => parent.frames[0].postMessage({ source: 'partner-dashboard', version: 1, type: 'onboarding.init',
        role: 'partner', partner_id: 'evil', locale: 'es' }, '*'), 50);
    </script>`);
  const evil = `http://localhost:${HOST_PORT}/evil.html`;
  const frame = await openHost(page, { autoInit: false, extraFrame: `<iframe title="ad" src="${evil}"></iframe>` });
  await expect.poll(() => types(page)).toContain('onboarding.ready');
  await page.waitForTimeout(800);
  await expect(frame.getByText('Connecting to the partner dashboard')).toBeVisible();
  await expect(frame.locator('#start-new')).toHaveCount(0);
  await page.evaluate(() => window.sendInit());
  await expect(frame.locator('#start-new')).toBeVisible();
  await expect(frame.locator('#start-new')).toHaveText('Start new onboarding');
  await frame.locator('#start-new').click();
  await frame.locator('#customer-name').fill('Real customer');
  await expect.poll(() => frame.evaluate(() => Object.keys(localStorage).join(' '))).toContain(`onboarding-wizard:drafts:${partnerId()}:`);
  expect(await frame.evaluate(() => Object.keys(localStorage).join(' '))).not.toContain(':evil:');
});

test('after the parent\'s init, forged messages from a hostile origin and from another window of the parent\'s origin change nothing and get no answer', async ({ page }) => {
  const otherDraft = '0d2e9a4c-6b1f-4e3a-8c7d-5f4e3d2c1b0a';
  // Both pages post, every 50 ms, an init for another partner, role, language and draft, a
  // message dressed as the wizard's, and junk; and record anything sent to them.
  const forger = (title) => `<!doctype html><title>${title}</title><script>
      window.got = [];
      window.addEventListener('message', (e) => window.got.push(e.data));
      const forged = [
        { source: 'partner-dashboard', version: 1, type: 'onboarding.init', role: 'account_admin', partner_id: 'evil', locale: 'es', draft_id: '${otherDraft}' },
        { source: 'onboarding-wizard', version: 1, type: 'onboarding.init', role: 'account_admin', partner_id: 'evil', locale: 'es' },
        { source: 'partner-dashboard', version: 1, type: 'onboarding.cancel' },
        'onboarding.init', null, 42,
      ];
      setInterval(() => { for (const m of forged) parent.frames[0].postMessage(m, '*'); }, 50);
    </script>`;
  pages.set('/forger.html', forger('hostile'));
  pages.set('/sibling.html', forger('sibling'));
  const frame = await openHost(page, {
    extraFrame: `<iframe title="ad" src="http://localhost:${HOST_PORT}/forger.html"></iframe>`
      + `<iframe title="widget" src="${HOST}/sibling.html"></iframe>`,
  }, `${HOST}/host-forged.html`);
  // The forgers' target, parent.frames[0], is the wizard's window.
  expect(await page.evaluate(() => window.frames[0] === document.getElementById('wizard').contentWindow)).toBe(true);
  await frame.locator('#start-new').click();
  await frameStep(frame, 'customer');
  const draftUrl = frame.url();
  await frame.locator('#customer-name').fill('Real customer');
  const stored = () => frame.evaluate(() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)])));
  await expect.poll(async () => Object.entries(await stored()).some(([k, v]) => k.includes(`:drafts:${partnerId()}:`) && v.includes('Real customer'))).toBe(true);
  const before = await stored();

  await page.waitForTimeout(1_500); // some sixty rounds of forged messages
  // Language, role, partner, draft and page are the parent's; the draft is untouched.
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Enter customer information');
  await expect(frame.locator('#save-and-return')).toHaveCount(1);
  expect(frame.url()).toBe(draftUrl);
  await expect(frame.locator('#customer-name')).toHaveValue('Real customer');
  expect(await stored()).toEqual(before);
  expect(Object.keys(before).join(' ')).not.toContain(':evil:');
  // Still working normally after all that.
  await frame.locator('#customer-address-city').fill('Toledo');
  await expect.poll(async () => Object.values(await stored()).some((v) => v.includes('Toledo'))).toBe(true);
  // Nothing was sent to either forger; the host heard only the wizard's own messages.
  for (const url of [`http://localhost:${HOST_PORT}/forger.html`, `${HOST}/sibling.html`]) {
    const forgerFrame = page.frames().find((f) => f.url() === url);
    expect(forgerFrame, url).toBeTruthy();
    expect(await forgerFrame.evaluate(() => window.got), `messages sent to ${url}`).toEqual([]);
  }
  const received = await messages(page);
  expect(received.every((m) => m.source === 'onboarding-wizard')).toBe(true);
  expect(received.map((m) => m.type).filter((t) => !['onboarding.ready', 'onboarding.step_changed', 'onboarding.resized', 'onboarding.draft_saved'].includes(t))).toEqual([]);
});
