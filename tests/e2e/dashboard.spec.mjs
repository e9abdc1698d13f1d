// The demo partner dashboard (dashboard/, served by the reference backend on a second origin,
// http://127.0.0.1:8090) embedding the wizard (http://127.0.0.1:8089) in an iframe: the page
// itself, and the whole message protocol as a host sees it (SPEC.md, "Embedding"). The
// dashboard's server holds the demo partner's key (--dashboard-key-file, the partner `demo`
// added by the e2e server command) and hands the page sessions and sign-in links.
import { test, expect, partnerKey, API } from './fixtures.mjs';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { axeCheck, fillGateway, fillPbx, fillValidCustomer, pressNext, UUID_RE } from './helpers.mjs';

const DASHBOARD = 'http://127.0.0.1:8090/';
const WIZARD_ORIGIN = 'http://127.0.0.1:8089';
const CUSTOMER_NAME = 'Clínica Dental Sonrisa'; // fillValidCustomer's
/** The partner whose key the dashboard's server holds. */
const PARTNER_ID = 'demo';

/**
 * A stored-draft document as the wizard keeps it (crates/onboarding-core/src/draft_codec.rs),
 * for the partner `demo`: `name` (may be empty) on `step`, begun somewhere else.
 */
function draftDocument(draftId, { name, step = 'gateway', siteName = '' }) {
  return {
    schema_version: 1,
    updated_at: Date.now(),
    working: {
      id: draftId,
      partner_id: PARTNER_ID,
      current_step: step,
      completed: step === 'customer' ? [] : ['customer'],
      customer: {
        name,
        business_type: 'healthcare',
        default_language: 'es',
        address: { street: 'Calle Mayor 1', street2: '', city: 'Madrid', region: '', postal_code: '28013', country: 'ES' },
      },
      admin_contacts: [{ id: 1, first_name: 'Ana', last_name: 'Ruiz', email: 'ana@example.com' }],
      support_contacts: [{ id: 2, role: 'maintainer', name: 'Luis Gil', email: 'luis@example.com' }],
      gateway: { platform: 'mivoice_business', site_name: siteName, site_same_as_customer: true, mac_address: 'AA:BB:CC:DD:EE:FF' },
    },
    saved: null,
  };
}

/** Saves a new draft in the partner's account with its key, as another browser's wizard would. */
async function saveDraftInAccount(request, draftId, options) {
  const res = await request.put(`${API}/drafts/${draftId}`, {
    headers: { Authorization: `Bearer ${partnerKey()}`, 'If-None-Match': '*' },
    data: { draft: draftDocument(draftId, options) },
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).version;
}

/** Whether the partner's account holds draft `draftId` (read with the key, as its server would). */
async function inAccount(request, draftId) {
  const res = await request.get(`${API}/drafts/${draftId}`, { headers: { Authorization: `Bearer ${partnerKey()}` } });
  return res.status() === 200;
}

/** Opens the dashboard and waits until it knows where the wizard is. */
async function openDashboard(page) {
  await page.goto(DASHBOARD);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#new-onboarding')).toBeEnabled();
}

/**
 * Collects the dashboard's own console errors (CSP violations among them) and page errors: a
 * clean page has none. The wizard's messages, from its frame, are the wizard's business.
 */
function watchProblems(page) {
  const problems = [];
  page.on('console', (msg) => {
    const from = msg.location()?.url ?? '';
    if (msg.type() === 'error' && !from.startsWith(WIZARD_ORIGIN)) problems.push(`console: ${msg.text()} (${from})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/** The log entries of one type, as parsed messages, oldest first. */
async function logged(page, type, direction) {
  const selector = `#message-log li[data-type="${type}"]${direction ? `[data-direction="${direction}"]` : ''} .log-json`;
  return (await page.locator(selector).allTextContents()).map((text) => JSON.parse(text));
}

/** Waits for a message of `type` in the log and returns the newest one. */
async function waitForMessage(page, type, direction = 'received') {
  const entries = page.locator(`#message-log li[data-type="${type}"][data-direction="${direction}"]`);
  await expect(entries.first(), `${type} in the message log`).toBeAttached();
  return JSON.parse(await entries.last().locator('.log-json').textContent());
}

/** The wizard's frame (a Playwright Frame, usable by the shared helpers) once it has loaded. */
async function wizardFrame(page) {
  const handle = await page.locator('#wizard-frame').elementHandle();
  const frame = await handle.contentFrame();
  await expect.poll(() => frame.url()).toMatch(new RegExp(`^${WIZARD_ORIGIN}/`));
  return frame;
}

/** Waits for a wizard step inside the frame (the frame's URL and its heading). */
async function expectFrameStep(frame, slug) {
  await expect.poll(() => new URL(frame.url()).pathname).toMatch(new RegExp(`^/onboarding/${UUID_RE.source}/${slug}$`));
  await expect(frame.locator('#step-heading')).toBeVisible();
}

/** New onboarding → (init with draft_id "new") → the Customer step of a new draft. */
async function startNewInDashboard(page) {
  await page.locator('#new-onboarding').click();
  const frame = await wizardFrame(page);
  await expectFrameStep(frame, 'customer');
  return frame;
}

/**
 * Records, in every document of the wizard's origin, whether its start page was ever shown
 * (`window.sawStartPage`): a page that merely flashed by is caught too.
 */
async function watchForStartPage(page) {
  await page.addInitScript((origin) => {
    if (location.origin !== origin) return;
    window.sawStartPage = false;
    new MutationObserver(() => {
      if (document.getElementById('start-new') || document.getElementById('start-heading')) window.sawStartPage = true;
    }).observe(document, { childList: true, subtree: true });
  }, WIZARD_ORIGIN);
}

// The dashboard signs the wizard in through init; no standalone cookie helps it.
test.use({ signIn: null, ownPartner: false });

test.describe('the dashboard page', () => {
  test('renders its controls, empty lists and log; no CSP violation; passes axe', async ({ page }) => {
    const problems = watchProblems(page);
    await openDashboard(page);
    await expect(page).toHaveTitle(/Acme Telecom partner portal/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Customer onboardings');
    await expect(page.getByRole('banner')).toContainText('Acme Telecom');
    await expect(page.getByRole('main')).toBeVisible();
    await expect(page.getByRole('complementary', { name: 'Message log' })).toBeVisible();
    await expect(page.locator('#partner-line')).toBeVisible();
    await expect(page.locator('#partner-problem')).toBeHidden();
    await expect(page.getByRole('link', { name: 'Open the wizard in a new tab' })).toBeVisible();
    await expect(page.getByLabel('Role')).toHaveValue('partner');
    await expect(page.getByLabel('Language')).toHaveValue('en');
    await expect(page.locator('#role option')).toHaveText(['Partner', 'Account admin']);
    await expect(page.locator('#locale option')).toHaveText(['English', 'Español']);
    await expect(page.getByRole('heading', { name: 'Drafts' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Completed onboardings' })).toBeVisible();
    // Both lists are the partner's, from the server (other tests add to them).
    await expect(page.locator('#drafts-problem')).toBeHidden();
    await expect(page.locator('#completed-problem')).toBeHidden();
    await expect(page.locator('#message-log li')).toHaveCount(0);
    // The frame exists (titled for assistive technology) but shows nothing until asked.
    await expect(page.locator('#wizard-frame')).toHaveAttribute('title', 'Customer onboarding wizard');
    await expect(page.locator('#wizard-frame')).toBeHidden();
    await axeCheck(page, 'dashboard');
    // Keyboard: the skip link comes first and is visible when focused.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
    await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeInViewport();
    expect(problems).toEqual([]);
  });

  test('is served with its own strict headers and knows the wizard origin', async ({ request }) => {
    const res = await request.get(DASHBOARD);
    expect(res.status()).toBe(200);
    const csp = res.headers()['content-security-policy'];
    expect(csp).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self'; frame-src ${WIZARD_ORIGIN}; ` +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    const config = await request.get(`${DASHBOARD}dashboard-config.json`);
    expect(await config.json()).toEqual({ wizard_origin: WIZARD_ORIGIN });
    // The wizard's own config (served through --config) allows this dashboard, and only by
    // its exact origin (localhost:8090 is another origin, which the wizard must refuse).
    const wizardConfig = await request.get(`${WIZARD_ORIGIN}/config.json`);
    const allowed = (await wizardConfig.json()).allowed_parent_origins;
    expect(allowed).toContain('http://127.0.0.1:8090');
    expect(allowed).not.toContain('http://localhost:8090');
  });

  test('its server mints sessions for its own pages only, and never shows the key', async ({ request }) => {
    const minted = await request.post(`${DASHBOARD}partner/session`, { headers: { Origin: 'http://127.0.0.1:8090' } });
    expect(minted.status()).toBe(200);
    expect(minted.headers()['cache-control']).toBe('no-store');
    const session = await minted.json();
    expect(session).toMatchObject({ partner_id: PARTNER_ID, role: 'partner' });
    expect(session.session).toMatch(/^onb_ses1\./);
    expect(JSON.stringify(session)).not.toContain('onb_sk_');
    // The wizard accepts it.
    const who = await request.get(`${WIZARD_ORIGIN}/api/session`, { headers: { Authorization: `Bearer ${session.session}` } });
    expect(await who.json()).toMatchObject({ partner_id: PARTNER_ID, partner_name: 'Demo Partner' });
    // Another site's page cannot.
    for (const headers of [{ Origin: 'http://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }, {}]) {
      const refused = await request.post(`${DASHBOARD}partner/session`, { headers });
      expect(refused.status()).toBe(403);
      expect((await refused.json()).code).toBe('cross_site');
    }
    const link = await request.post(`${DASHBOARD}partner/signin-link`, { headers: { Origin: 'http://127.0.0.1:8090' } });
    expect((await link.json()).url).toMatch(new RegExp(`^${WIZARD_ORIGIN}/signin\\?code=`));
  });

  test('docs/embedding.md quotes dashboard.js verbatim', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const doc = readFileSync(resolve(root, 'docs/embedding.md'), 'utf8');
    const js = readFileSync(resolve(root, 'dashboard/dashboard.js'), 'utf8');
    const excerpts = [...doc.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1].trimEnd());
    expect(excerpts.length).toBeGreaterThan(5);
    for (const excerpt of excerpts) expect(js, 'docs excerpt out of date').toContain(excerpt.trim());
  });

  test('keeps the session controls across reloads', async ({ page }) => {
    await openDashboard(page);
    await page.getByLabel('Role').selectOption('account_admin');
    await page.getByLabel('Language').selectOption('es');
    await page.reload();
    await expect(page.getByLabel('Role')).toHaveValue('account_admin');
    await expect(page.getByLabel('Language')).toHaveValue('es');
  });

  test('ignores messages that do not come from its wizard frame', async ({ page }) => {
    await openDashboard(page);
    // Right shape, wrong sender: the page itself (another source and origin than the frame).
    await page.evaluate(() => {
      const draftId = '00000000-0000-4000-8000-000000000001';
      window.postMessage({ source: 'onboarding-wizard', version: 1, type: 'onboarding.completed', draft_id: draftId, onboarding_id: 'forged' }, '*');
      window.postMessage({ source: 'onboarding-wizard', version: 1, type: 'onboarding.saved_and_returned', draft_id: draftId }, '*');
    });
    // Give the (ignored) messages time to be delivered.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    await expect(page.locator('#message-log li')).toHaveCount(0);
    // The completed list is the partner's, from the server (other tests add to it): the forged
    // id is never in it.
    await expect(page.locator('#completed')).not.toContainText('forged');
    await expect(page.locator('#drafts li[data-draft-id="00000000-0000-4000-8000-000000000001"]')).toHaveCount(0);
  });
});

// These need the wizard side of the iframe contract (src/embed/) in the dist/ being served.
test.describe('the wizard inside the dashboard', () => {
  test('New onboarding: ready, then init for a new draft, straight to the Customer step; the frame fits its content', async ({ page }) => {
    const problems = watchProblems(page);
    await watchForStartPage(page);
    await openDashboard(page);
    await page.locator('#new-onboarding').click();
    await expect(page.locator('#wizard-frame')).toBeVisible();
    await expect(page.locator('#new-onboarding')).toBeHidden();
    await expect(page.locator('#wizard-heading')).toBeFocused();
    const frame = await wizardFrame(page);
    // The Customer step of a new draft, with its one heading; no start page before it.
    await expectFrameStep(frame, 'customer');
    await expect(frame.locator('h1')).toHaveCount(1);
    await expect(frame.locator('h1')).toHaveText('Enter customer information');
    await expect(frame.locator('#start-new')).toHaveCount(0);
    expect(await frame.evaluate(() => window.sawStartPage)).toBe(false);

    const ready = await waitForMessage(page, 'onboarding.ready');
    expect(ready).toEqual({ source: 'onboarding-wizard', version: 1, type: 'onboarding.ready' });
    const init = await waitForMessage(page, 'onboarding.init', 'sent');
    expect(init).toEqual({
      source: 'partner-dashboard',
      version: 1,
      type: 'onboarding.init',
      role: 'partner',
      locale: 'en',
      partner_id: PARTNER_ID,
      draft_id: 'new',
      // A session from the dashboard's server; the log never shows it.
      session: '…',
    });
    await expect(page.locator('#partner-name')).toHaveText(PARTNER_ID);
    // Log order: ready came in before init went out.
    const types = await page.locator('#message-log li').evaluateAll((items) => items.map((li) => li.dataset.type));
    expect(types.indexOf('onboarding.ready')).toBeLessThan(types.indexOf('onboarding.init'));

    // The frame's height is the last height the wizard reported, and the wizard has no
    // scrollbar of its own.
    const fits = async () => {
      const sizes = await logged(page, 'onboarding.resized', 'received');
      if (sizes.length === 0) return 'no onboarding.resized yet';
      const reported = sizes.at(-1).height;
      const frameHeight = await page.locator('#wizard-frame').evaluate((el) => el.style.height);
      const scrolls = await frame.evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 1);
      return frameHeight === `${reported}px` && !scrolls ? 'fits' : `frame ${frameHeight}, reported ${reported}, scrolls ${scrolls}`;
    };
    await expect.poll(fits).toBe('fits');
    // The frame grows with the content (another admin contact).
    const before = (await logged(page, 'onboarding.resized', 'received')).at(-1).height;
    await frame.locator('#add-admin-contact').click();
    await expect.poll(async () => (await logged(page, 'onboarding.resized', 'received')).at(-1).height).toBeGreaterThan(before);
    await expect.poll(fits).toBe('fits');
    const step = await waitForMessage(page, 'onboarding.step_changed');
    expect(step.step).toBe('customer');
    // The first step the wizard announced is the Customer step: nothing before it.
    expect((await logged(page, 'onboarding.step_changed', 'received')).map((m) => m.step)).toEqual(['customer']);
    await expect(page.locator('#wizard-step')).toHaveText('Current step: Customer');
    await axeCheck(page, 'dashboard with the wizard open');
    expect(await frame.evaluate(() => window.sawStartPage)).toBe(false);
    expect(problems).toEqual([]);
  });

  test('a full onboarding inside the dashboard ends in onboarding.completed and the completed list', async ({ page, request }) => {
    await openDashboard(page);
    const frame = await startNewInDashboard(page);
    await fillValidCustomer(frame);
    await pressNext(frame);
    await expectFrameStep(frame, 'gateway');
    await fillGateway(frame);
    await pressNext(frame);
    await expectFrameStep(frame, 'pbx');
    await fillPbx(frame);
    await pressNext(frame);
    await expectFrameStep(frame, 'connect');
    await pressNext(frame);
    await expectFrameStep(frame, 'review');
    await pressNext(frame); // Submit onboarding

    const completed = await waitForMessage(page, 'onboarding.completed');
    expect(completed.draft_id).toMatch(new RegExp(`^${UUID_RE.source}$`));
    expect(completed.onboarding_id).toMatch(new RegExp(`^${UUID_RE.source}$`));
    expect(completed.customer_name).toBe(CUSTOMER_NAME);
    // Back on the dashboard: the frame is gone, the onboarding is listed (by its customer),
    // the draft is not.
    await expect(page.locator('#wizard-frame')).toBeHidden();
    const listed = page.locator(`#completed li[data-onboarding-id="${completed.onboarding_id}"]`);
    await expect(listed).toHaveCount(1);
    await expect(listed.locator('.record-title')).toHaveText(CUSTOMER_NAME);
    await expect(listed).toContainText('received');
    await expect(page.locator(`#drafts li[data-draft-id="${completed.draft_id}"]`)).toHaveCount(0);
    await expect(page.locator('#dashboard-status')).toContainText(completed.onboarding_id);
    // Every step was announced, and the draft's saves too.
    const steps = (await logged(page, 'onboarding.step_changed', 'received')).map((m) => m.step);
    expect(steps).toEqual(expect.arrayContaining(['customer', 'gateway', 'pbx', 'connect', 'review']));
    const saves = await logged(page, 'onboarding.draft_saved', 'received');
    expect(saves.length).toBeGreaterThan(0);
    expect(saves.every((m) => m.draft_id === completed.draft_id)).toBe(true);
    // Saves say the step the draft is on, and its name once it has one.
    expect(saves.every((m) => ['customer', 'gateway', 'pbx', 'connect', 'review'].includes(m.step))).toBe(true);
    expect(saves.at(-1).customer_name).toBe(CUSTOMER_NAME);
    // The backend has it, as the session's partner's: the dashboard's server lists it.
    const list = await (await request.get(`${DASHBOARD}partner/onboardings`)).json();
    const entry = list.onboardings.find((o) => o.id === completed.onboarding_id);
    expect(entry).toMatchObject({ draft_id: completed.draft_id, customer_name: CUSTOMER_NAME });
    // The list survives a reload (it is the server's).
    await page.reload();
    await expect(page.locator(`#completed li[data-onboarding-id="${completed.onboarding_id}"]`)).toHaveCount(1);
  });

  test('Save and return lists the draft; Resume re-opens it where it was left', async ({ page }) => {
    await openDashboard(page);
    let frame = await startNewInDashboard(page);
    await fillValidCustomer(frame);
    await pressNext(frame);
    await expectFrameStep(frame, 'gateway');
    await frame.locator('#gateway-site_name').fill('Sede Alcalá');
    await frame.locator('#save-and-return').click();

    const saved = await waitForMessage(page, 'onboarding.saved_and_returned');
    expect(saved.draft_id).toMatch(new RegExp(`^${UUID_RE.source}$`));
    // The account confirmed it before the wizard returned.
    expect(saved).toMatchObject({ customer_name: CUSTOMER_NAME, step: 'gateway', synced: true });
    await expect(page.locator('#wizard-frame')).toBeHidden();
    await expect(page.locator('#drafts-heading')).toBeFocused();
    await expect(page.locator('#dashboard-status')).toHaveText(
      `The draft for ${CUSTOMER_NAME} saved to your account. Resume it from the list when you are ready, in this browser or another.`,
    );
    await expect(page.locator('#message-log li[data-type="onboarding.saved_and_returned"] .log-note')).toHaveText('saved to your account');
    // Listed from the account by its customer's name and step (the id stays, smaller).
    const item = page.locator(`#drafts li[data-draft-id="${saved.draft_id}"]`);
    await expect(item).toHaveCount(1);
    await expect(item.locator('.record-title')).toHaveText(CUSTOMER_NAME);
    await expect(item).toContainText(saved.draft_id);
    await expect(item.locator('.record-meta')).toContainText('step: Gateway · last saved');
    await axeCheck(page, 'dashboard with a draft');

    // Resume: a fresh frame, init with that draft id, the wizard on the Gateway step as left.
    const initsBefore = (await logged(page, 'onboarding.init', 'sent')).length;
    await item.getByRole('button', { name: `Resume the draft for ${CUSTOMER_NAME}` }).click();
    await expect(page.locator('#wizard-step')).toHaveText(new RegExp(`^(Resuming the draft for ${CUSTOMER_NAME}…|Current step: Gateway)$`));
    frame = await wizardFrame(page);
    await expect.poll(async () => (await logged(page, 'onboarding.init', 'sent')).length).toBe(initsBefore + 1);
    const init = (await logged(page, 'onboarding.init', 'sent')).at(-1);
    expect(init).toMatchObject({ type: 'onboarding.init', draft_id: saved.draft_id, partner_id: PARTNER_ID, role: 'partner', session: '…' });
    await expectFrameStep(frame, 'gateway');
    expect(new URL(frame.url()).pathname).toContain(saved.draft_id);
    await expect(frame.locator('#gateway-site_name')).toHaveValue('Sede Alcalá');
  });

  test('Cancel returns to the dashboard; a never-saved onboarding is not listed', async ({ page }) => {
    await openDashboard(page);
    const frame = await startNewInDashboard(page);
    await frame.locator('#customer-name').fill('Ferretería Luna');
    await waitForMessage(page, 'onboarding.draft_saved');
    await frame.locator('#cancel').click();
    // There are changes to lose: the wizard asks first. (By keyboard: in a frame as tall as its
    // content the dialog is not where the user is looking, see the fixme test below.)
    await expect(frame.getByRole('dialog')).toBeVisible();
    await frame.getByRole('button', { name: 'Discard changes' }).press('Enter');

    const cancelled = await waitForMessage(page, 'onboarding.cancelled');
    expect(cancelled.draft_id).toMatch(new RegExp(`^${UUID_RE.source}$`));
    expect(cancelled).toMatchObject({ customer_name: 'Ferretería Luna', step: 'customer' });
    await expect(page.locator('#wizard-frame')).toBeHidden();
    await expect(page.locator('#new-onboarding')).toBeVisible();
    await expect(page.locator('#dashboard-status')).toHaveText('Onboarding for Ferretería Luna cancelled.');
    // Gone from the account too (the list is read again a few seconds after closing).
    await expect.poll(() => inAccount(page.request, cancelled.draft_id), { timeout: 15_000 }).toBe(false);
    await expect(page.locator(`#drafts li[data-draft-id="${cancelled.draft_id}"]`)).toHaveCount(0, { timeout: 10_000 });
  });



  test('onboarding.session_requested is answered with a fresh session, kept out of storage, URLs and the log', async ({ page }) => {
    await openDashboard(page);
    const frame = await startNewInDashboard(page);
    await waitForMessage(page, 'onboarding.init', 'sent');
    // As the wizard asks when its session is about to expire.
    await frame.evaluate(() => parent.postMessage({ source: 'onboarding-wizard', version: 1, type: 'onboarding.session_requested' }, 'http://127.0.0.1:8090'));
    const renewed = await waitForMessage(page, 'onboarding.session', 'sent');
    expect(renewed).toEqual({ source: 'partner-dashboard', version: 1, type: 'onboarding.session', session: '…' });
    const everywhere = await page.evaluate(() => JSON.stringify({ storage: { ...localStorage, ...sessionStorage }, url: location.href, log: document.getElementById('message-log').textContent }));
    expect(everywhere).not.toContain('onb_ses1');
    expect(everywhere).not.toContain('onb_sk_');
    expect(frame.url()).not.toContain('onb_ses1');
  });

  test('role and language from the dashboard reach the wizard', async ({ page }) => {
    await openDashboard(page);
    await page.getByLabel('Role').selectOption('account_admin');
    await page.getByLabel('Language').selectOption('es');
    const frame = await startNewInDashboard(page);
    const init = await waitForMessage(page, 'onboarding.init', 'sent');
    expect(init).toMatchObject({ role: 'account_admin', locale: 'es' });
    await expect(frame.locator('#step-heading')).toHaveText('Ingrese la información del cliente');
    // Save and return is for partners only.
    await expect(frame.locator('#cancel')).toBeVisible();
    await expect(frame.locator('#save-and-return')).toHaveCount(0);
  });

  // The frame is as tall as its content, so a dialog centred in its viewport could open far
  // from what the dashboard shows: framed, the wizard opens it level with its trigger.
  test('the Cancel confirmation opens where the user is looking', async ({ page }) => {
    await openDashboard(page);
    const frame = await startNewInDashboard(page);
    await frame.locator('#customer-name').fill('Ferretería Luna');
    await waitForMessage(page, 'onboarding.draft_saved');
    await frame.locator('#cancel').click();
    await expect(frame.getByRole('dialog')).toBeInViewport();
    await expect(frame.getByRole('button', { name: 'Keep editing' })).toBeInViewport();
    await expect(frame.getByRole('button', { name: 'Keep editing' })).toBeFocused();
  });

  test('an autosaved draft is listed once the wizard has sent it to the account', async ({ page }) => {
    await openDashboard(page);
    const frame = await startNewInDashboard(page);
    await frame.locator('#customer-name').pressSequentially('  Ferretería Luna  ', { delay: 20 });
    await expect.poll(async () => (await logged(page, 'onboarding.draft_saved', 'received')).at(-1)?.customer_name).toBe('Ferretería Luna');
    const saved = (await logged(page, 'onboarding.draft_saved', 'received')).at(-1);
    expect(saved).toMatchObject({ step: 'customer' });
    // Autosaves are coalesced: a few for 19 keystrokes, not one per keystroke.
    expect((await logged(page, 'onboarding.draft_saved', 'received')).length).toBeLessThan(5);
    // Sent in the background within about 10 s after typing stops.
    await expect.poll(() => inAccount(page.request, saved.draft_id), { timeout: 20_000 }).toBe(true);
    await page.locator('#close-wizard').click();
    const item = page.locator(`#drafts li[data-draft-id="${saved.draft_id}"]`);
    await expect(item.locator('.record-title')).toHaveText('Ferretería Luna');
    await expect(item.locator('.record-meta')).toContainText('step: Customer · last saved');
    await expect(item.getByRole('button', { name: 'Resume the draft for Ferretería Luna' })).toBeVisible();
  });

  test('a draft begun in another browser is listed from the account, and Resume opens it in the frame', async ({ page, request }) => {
    const problems = watchProblems(page);
    const draftId = randomUUID();
    await saveDraftInAccount(request, draftId, { name: 'Óptica Norte', step: 'gateway', siteName: 'Sede Norte' });
    await openDashboard(page);
    const item = page.locator(`#drafts li[data-draft-id="${draftId}"]`);
    await expect(item.locator('.record-title')).toHaveText('Óptica Norte');
    await expect(item.locator('.record-meta')).toContainText('step: Gateway · last saved');
    // No notes of the dashboard's own: the list is the account's.
    expect(await page.evaluate(() => localStorage.getItem('acme-portal:drafts'))).toBeNull();

    await item.getByRole('button', { name: 'Resume the draft for Óptica Norte' }).click();
    const frame = await wizardFrame(page);
    const init = await waitForMessage(page, 'onboarding.init', 'sent');
    expect(init).toMatchObject({ draft_id: draftId, partner_id: PARTNER_ID, session: '…' });
    // This browser's wizard never had it: it comes from the account.
    await expectFrameStep(frame, 'gateway');
    expect(new URL(frame.url()).pathname).toContain(draftId);
    await expect(frame.locator('#gateway-site_name')).toHaveValue('Sede Norte');
    expect(problems).toEqual([]);
  });

  test('a draft without a customer name is listed as an unnamed customer', async ({ page, request }) => {
    const draftId = randomUUID();
    await saveDraftInAccount(request, draftId, { name: '', step: 'customer' });
    await openDashboard(page);
    const item = page.locator(`#drafts li[data-draft-id="${draftId}"]`);
    await expect(item.locator('.record-title')).toHaveText('Unnamed customer');
    await expect(item.locator('.record-id')).toHaveText(`Draft ${draftId}`);
    await expect(item.locator('.record-meta')).toContainText('step: Customer');
    await expect(item.getByRole('button', { name: `Resume draft ${draftId.slice(0, 8)}` })).toBeVisible();
  });

  test('the drafts list says so when the server cannot read it', async ({ page }) => {
    await page.route('**/partner/drafts', (route) => route.fulfill({
      status: 502, contentType: 'application/json',
      body: JSON.stringify({ code: 'wizard_api_failed', message: 'The wizard\'s API could not be reached.' }),
    }));
    await openDashboard(page);
    await expect(page.locator('#drafts-problem')).toHaveText('The drafts in your account could not be read: The wizard\'s API could not be reached.');
    await expect(page.locator('#drafts-empty')).toBeHidden();
    // The rest of the page works: a new onboarding still opens.
    await startNewInDashboard(page);
  });
});

// localhost:8090 is the same dashboard under an origin the wizard's config does not allow: the
// wizard's server refuses the frame (frame-ancestors), so no onboarding.ready ever comes.
test.describe('a dashboard the wizard refuses', () => {
  const REFUSED = 'http://localhost:8090/';

  test('says so after the ready timeout, with the wizard in a new tab instead; passes axe', async ({ page }) => {
    await page.goto(`${REFUSED}?ready_timeout_ms=1500`);
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    await page.getByLabel('Language').selectOption('es');
    await page.locator('#new-onboarding').click();
    await expect(page.locator('#wizard-step')).toHaveText('Opening the wizard…');
    // Not for ever: once the timeout has passed, the page says what happened.
    const problem = page.getByRole('alert');
    await expect(problem).toBeVisible();
    await expect(problem).toContainText(`The wizard at ${WIZARD_ORIGIN} did not answer within 1.5 seconds`);
    await expect(problem).toContainText('http://localhost:8090');
    await expect(problem).toContainText('allowed_parent_origins');
    await expect(page.locator('#wizard-step')).toHaveText('The wizard did not open.');
    // The refused frame (the browser's error page) is gone.
    await expect(page.locator('#wizard-frame')).toBeHidden();
    expect(page.frames().filter((f) => f !== page.mainFrame()).map((f) => f.url())).not.toContainEqual(expect.stringContaining(WIZARD_ORIGIN));
    const link = problem.getByRole('link', { name: 'Open the wizard in a new tab' });
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener');
    // The href is the unsigned fallback; a click opens a fresh sign-in link instead.
    await expect(link).toHaveAttribute('href', `${WIZARD_ORIGIN}/?lang=es`);
    expect(await logged(page, 'onboarding.ready', 'received')).toEqual([]);
    expect(await logged(page, 'onboarding.init', 'sent')).toEqual([]);
    await axeCheck(page, 'dashboard whose wizard did not open');

    // The link opens the wizard standalone, where no parent has to be allowed, signed in through
    // a one-time link (which lands on the start page; its language is the browser's).
    const [tab] = await Promise.all([page.context().waitForEvent('page'), link.click()]);
    await expect(tab.locator('#start-new')).toBeVisible();
    expect(new URL(tab.url()).origin).toBe(WIZARD_ORIGIN);
    await tab.close();

    // Try again: another frame, another wait, the same answer.
    await problem.getByRole('button', { name: 'Try again' }).click();
    await expect(page.locator('#wizard-step')).toHaveText('Opening the wizard…');
    await expect(page.getByRole('alert')).toBeHidden();
    await expect(page.getByRole('alert')).toBeVisible();
    // Close wizard brings the lists back.
    await page.locator('#close-wizard').click();
    await expect(page.locator('#new-onboarding')).toBeVisible();
  });
});
