// Partner sessions (SPEC: Partners and sessions) as a partner meets them: signed in by a link
// (standalone) or by the host's init (embedded), signed out with the submission waiting, a
// session that ends mid-edit renewed by the host, and no session or key anywhere a page, a URL,
// storage or a message could leak it.
import { test, expect, mintSession, signIn, signInLink, partnerKey, partnerId, PARTNER_NAME, API } from './fixtures.mjs';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { completeToReview, storedOnboarding, allStorage, openStart } from './helpers.mjs';

const WIZARD = 'http://127.0.0.1:8089';
const HOST_PORT = 8094;
const HOST = `http://127.0.0.1:${HOST_PORT}`;

/** What a page could leak a credential through: storage, script-readable cookies, addresses. */
async function leakSurface(page) {
  const out = [];
  for (const frame of page.frames()) {
    out.push(frame.url());
    try {
      out.push(...await frame.evaluate(() => {
        const items = [document.cookie, location.href];
        for (const store of [localStorage, sessionStorage]) {
          for (let i = 0; i < store.length; i++) items.push(`${store.key(i)}=${store.getItem(store.key(i))}`);
        }
        return items;
      }));
    } catch { /* a frame of another origin: its own entry covers it */ }
  }
  return out.join('\n');
}

test.describe('standalone', () => {
  test('signed in by a link: the header names the partner, the cookie is HttpOnly, and nothing the page can read holds the session', async ({ page }) => {
    await openStart(page);
    await expect(page.locator('#signed-in-as')).toHaveText(`Signed in as ${PARTNER_NAME}`);
    await expect(page.locator('#signin-notice')).toHaveCount(0);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'onboarding_session');
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const typed = await completeToReview(page);
    const surface = await leakSurface(page);
    expect(surface).not.toContain(cookie.value);
    expect(surface).not.toContain('onb_ses1.');
    expect(surface).not.toContain(partnerKey());
    // Drafts live under the session's partner.
    const keys = await page.evaluate(() => Object.keys(localStorage));
    expect(keys).toContain(`onboarding-wizard:drafts:${partnerId()}:${typed.draftId}`);
  });

  test('an account admin\'s session decides the role, whatever the address says', async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, { role: 'account_admin' });
    await completeToReview(page, 'pbx', { query: '?role=partner' });
    await expect(page.locator('#save-and-return')).toHaveCount(0);
    await context.close();
  });

  test.describe('without a session', () => {
    test.use({ signIn: null });

    test('edits on the device, keeps the submission waiting, and sends it with every answer once the partner signs in in another tab', async ({ page, context, request }) => {
      const posts = [];
      page.on('response', (r) => { if (r.request().method() === 'POST' && r.url().endsWith('/api/onboardings')) posts.push(r.status()); });
      await openStart(page);
      await expect(page.locator('#signin-notice')).toContainText('You are not signed in');
      await expect(page.locator('#signin-notice')).toContainText('cannot submit');
      await expect(page.locator('#signed-in-as')).toHaveCount(0);
      const typed = await completeToReview(page);
      await page.locator('#next').click();
      const status = page.locator('#submission-status [data-state="sign-in-needed"]');
      await expect(status).toContainText('you are not signed in');
      expect(posts.every((s) => s === 401)).toBe(true);

      // The partner signs in through a link, in another tab of the same browser.
      const other = await context.newPage();
      const { url } = await signInLink(other.request);
      await other.goto(url);
      await expect(other.locator('#signed-in-as')).toBeVisible();
      await other.close();

      await expect(page).toHaveURL(/\/submitted/, { timeout: 15_000 });
      const id = (await page.locator('#onboarding-id').textContent()).trim();
      const stored = await storedOnboarding(request, id);
      expect(stored.onboarding.customer.name).toBe(typed.customer.name);
      expect(stored.onboarding.gateway.mac_address.toLowerCase().replace(/[^0-9a-f]/g, '')).toBe(typed.gateway.mac.toLowerCase().replace(/[^0-9a-f]/g, ''));
      expect(stored.onboarding.pbx.host).toBe(typed.pbx.host);
      expect(stored.onboarding.admin_contacts.map((a) => a.email)).toEqual(typed.customer.admins.map((a) => a.email));
    });

    test('a used sign-in link gets a page that sends the partner back to the dashboard', async ({ page }) => {
      const { url } = await signInLink(page.request);
      await page.goto(url);
      await expect(page.locator('#signed-in-as')).toBeVisible();
      const again = await page.goto(url);
      expect(again.status()).toBe(410);
      await expect(page.locator('a[href]')).not.toHaveCount(0);
    });
  });
});

test.describe('embedded', () => {
  test.use({ signIn: null });
  test.describe.configure({ mode: 'serial' });
  const pages = new Map();
  let server;
  let shortLived;

  test.beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = pages.get(new URL(req.url, HOST).pathname);
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    await new Promise((resolve) => server.listen(HOST_PORT, '127.0.0.1', resolve));
    // A second instance on the same database, minting sessions that live 4 seconds: sessions
    // are verified by any instance sharing the database, so the wizard's backend accepts them.
    shortLived = spawn('target/release/partner-backend', ['--addr', '127.0.0.1:8098', '--db', 'target/e2e/onboarding.db', '--static', 'dist',
      '--config', 'tests/e2e/config.e2e.json', '--session-ttl', '4s'], { stdio: 'ignore' });
    await expect.poll(async () => fetch('http://127.0.0.1:8098/api/session').then((r) => r.status, () => 0), { timeout: 10_000 }).toBe(401);
  });
  test.afterAll(async () => {
    shortLived?.kill();
    await new Promise((resolve) => server.close(resolve));
  });

  /** A host that answers ready with `init` carrying `session`, logs every message, and answers
   * `onboarding.session_requested` only when the test hands it a session. */
  function host(session) {
    return `<!doctype html><html lang="en"><head><title>Host</title></head><body>
<iframe id="wizard" title="Onboarding wizard" src="${WIZARD}/" style="width:900px;height:900px;border:0"></iframe>
<script>
  window.messages = [];
  const frame = document.getElementById('wizard');
  const post = (m) => frame.contentWindow.postMessage({ source: 'partner-dashboard', version: 1, ...m }, '${WIZARD}');
  window.answer = (session) => post({ type: 'onboarding.session', session });
  window.addEventListener('message', (e) => {
    if (e.origin !== '${WIZARD}' || e.source !== frame.contentWindow) return;
    window.messages.push(e.data);
    if (e.data.type === 'onboarding.ready') post({ type: 'onboarding.init', locale: 'en', draft_id: 'new', session: ${JSON.stringify(session)} });
  });
</script></body></html>`;
  }

  test('a session that expires mid-edit is renewed by the host, and the submission goes through with every answer', async ({ page, request }) => {
    const res = await request.post('http://127.0.0.1:8098/api/sessions', { headers: { Authorization: `Bearer ${partnerKey()}` }, data: { role: 'partner' } });
    expect(res.status()).toBe(201);
    const brief = (await res.json()).session;
    pages.set('/renew.html', host(brief));
    await page.goto(`${HOST}/renew.html`);
    const frame = page.frameLocator('#wizard');
    await expect(frame.locator('#signed-in-as')).toHaveText(`Signed in as ${PARTNER_NAME}`);
    // Within a minute of expiry, the wizard asks for a fresh one; this host does not answer yet.
    await expect.poll(() => page.evaluate(() => window.messages.filter((m) => m.type === 'onboarding.session_requested').length)).toBeGreaterThan(0);

    const wizard = page.frames().find((f) => f.url().startsWith(WIZARD));
    const typed = await fillInFrame(wizard);
    // The brief session is over by now.
    await expect.poll(async () => (await request.get(`${API}/session`, { headers: { Authorization: `Bearer ${brief}` } })).status(), { timeout: 10_000 }).toBe(401);
    const asked = await page.evaluate(() => window.messages.filter((m) => m.type === 'onboarding.session_requested').length);
    await wizard.locator('#next').click();
    await expect(wizard.locator('#submission-status [data-state="sign-in-needed"]')).toBeVisible();
    await expect.poll(() => page.evaluate(() => window.messages.filter((m) => m.type === 'onboarding.session_requested').length)).toBeGreaterThan(asked);

    const fresh = await mintSession(request);
    await page.evaluate((s) => window.answer(s), fresh);
    await expect.poll(() => page.evaluate(() => window.messages.find((m) => m.type === 'onboarding.completed')), { timeout: 15_000 }).toBeTruthy();
    const completed = await page.evaluate(() => window.messages.find((m) => m.type === 'onboarding.completed'));
    const stored = await storedOnboarding(request, completed.onboarding_id);
    expect(stored.onboarding.customer.name).toBe(typed.customer.name);
    expect(stored.onboarding.pbx.host).toBe(typed.pbx.host);
    expect(stored.onboarding.partner_id).toBe(partnerId());

    // No message the wizard sent, no storage entry and no address holds a session or the key.
    const sent = JSON.stringify(await page.evaluate(() => window.messages));
    for (const secret of [brief, fresh, partnerKey()]) expect(sent).not.toContain(secret);
    const surface = await leakSurface(page);
    for (const secret of [brief, fresh, partnerKey(), 'onb_ses1.']) expect(surface).not.toContain(secret);
  });

  test('without a session in init the frame says it is not signed in and still edits', async ({ page }) => {
    pages.set('/nosession.html', host(undefined));
    await page.goto(`${HOST}/nosession.html`);
    const frame = page.frameLocator('#wizard');
    await expect(frame.locator('#signin-notice')).toContainText('did not sign you in');
    await frame.locator('#customer-name').fill('Ferretería Luna');
    await expect(frame.locator('#customer-name')).toHaveValue('Ferretería Luna');
  });
});

/** Completes a new onboarding inside the frame (Customer to Review, PBX path). */
async function fillInFrame(frame) {
  const { fillValidCustomer, fillGateway, fillPbx, pressNext, UUID_RE } = await import('./helpers.mjs');
  const expectStep = async (f, slug) => {
    await expect.poll(() => new URL(f.url()).pathname).toMatch(new RegExp(`/onboarding/${UUID_RE.source}/${slug}$`));
    await expect(f.locator('#step-heading')).toBeVisible();
  };
  const customer = await fillValidCustomer(frame);
  await pressNext(frame);
  await expectStep(frame, 'gateway');
  const gateway = await fillGateway(frame);
  await pressNext(frame);
  await expectStep(frame, 'pbx');
  const pbx = await fillPbx(frame);
  await pressNext(frame);
  await expectStep(frame, 'connect');
  await pressNext(frame);
  await expectStep(frame, 'review');
  return { customer, gateway, pbx };
}
