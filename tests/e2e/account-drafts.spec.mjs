// Drafts in the partner's account (SPEC: Drafts in the partner's account): two browser contexts
// are two computers of one partner; a host page on another *site* (localhost) than the wizard
// (127.0.0.1) is the usual dashboard deployment, where the frame's storage is not the
// standalone wizard's (or is refused outright).
import { test, expect, signIn, mintSession, partnerKey, API } from './fixtures.mjs';
import http from 'node:http';
import { startNew, fillValidCustomer, pressNext, expectStep, ids, openStart, later, fillGateway } from './helpers.mjs';

const WIZARD = 'http://127.0.0.1:8089';

/** The account's copy, read with the partner's key as its server would. */
async function accountCopy(request, draftId) {
  const res = await request.get(`${API}/drafts/${draftId}`, { headers: { Authorization: `Bearer ${partnerKey()}` } });
  return res.status() === 200 ? res.json() : null;
}

/** A second computer of the same partner: its own browser context, signed in by its own link. */
async function computer(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  return { context, page };
}

test('start on A, Save and return, resume on B with every answer; edit on B; A shows B\'s version and says so', async ({ page, browser, request }) => {
  const draftId = await startNew(page);
  const typed = await fillValidCustomer(page, { name: 'Clínica Dental Sonrisa (A)' });
  await page.getByRole('button', { name: 'Save and return', exact: true }).click();
  await expect(page.locator('#start-new')).toBeVisible();
  await expect.poll(async () => (await accountCopy(request, draftId))?.draft.working.customer.name).toBe('Clínica Dental Sonrisa (A)');
  const row = page.locator('table#drafts tbody tr', { hasText: 'Clínica Dental Sonrisa (A)' });
  await expect(row).toContainText('On this device and in your account');

  const b = await computer(browser);
  await openStart(b.page);
  const listed = b.page.locator('table#drafts tbody tr', { hasText: 'Clínica Dental Sonrisa (A)' });
  await expect(listed).toContainText('In your account');
  await listed.getByRole('link', { name: /Resume/ }).click();
  await expect(b.page.locator(ids.name)).toHaveValue('Clínica Dental Sonrisa (A)');
  await expect(b.page.locator(ids.city)).toHaveValue(typed.city);
  await expect(b.page.locator(ids.admin(0, 'email'))).toHaveValue(typed.admins[0].email);
  await expect(b.page.locator(ids.support(1, 'name'))).toHaveValue(typed.supports[1].name);
  // Edited on B, and sent at Next.
  await b.page.fill(ids.name, 'Clínica Dental Sonrisa (B)');
  await pressNext(b.page);
  await expectStep(b.page, 'gateway');
  await expect.poll(async () => (await accountCopy(request, draftId))?.draft.working.customer.name).toBe('Clínica Dental Sonrisa (B)');

  // Back on A: the account's newer copy is taken, and the page says so.
  await page.goto(`/onboarding/${draftId}/customer`);
  await expect(page.locator('#account-notice')).toContainText('updated with changes saved elsewhere');
  await expect(page.locator(ids.name)).toHaveValue('Clínica Dental Sonrisa (B)');
  await b.context.close();
});

test('both computers edit offline: the one back second chooses, and the chosen version ends up in the account', async ({ page, browser, request }) => {
  const draftId = await startNew(page);
  await fillValidCustomer(page, { name: 'Ferretería Luna' });
  await pressNext(page);
  await expectStep(page, 'gateway');
  await expect.poll(async () => (await accountCopy(request, draftId))?.draft.working.customer.name).toBe('Ferretería Luna');

  const b = await computer(browser);
  await b.page.goto(`/onboarding/${draftId}/gateway`);
  await expect(b.page.locator(later.siteName)).toBeVisible();
  await expect.poll(() => b.page.evaluate((id) => Object.keys(localStorage).some((k) => k.endsWith(id)), draftId)).toBe(true);

  await page.context().setOffline(true);
  await b.context.setOffline(true);
  await page.fill(later.siteName, 'Sede de A');
  await b.page.fill(later.siteName, 'Sede de B');
  await pressNext(page);
  await pressNext(b.page);
  // A is back first: its version goes to the account.
  await page.context().setOffline(false);
  await expect.poll(async () => (await accountCopy(request, draftId))?.draft.working.gateway.site_name, { timeout: 15_000 }).toBe('Sede de A');
  // B is back: its send is refused as stale, and B chooses.
  await b.context.setOffline(false);
  const dialog = b.page.locator('#account-conflict-dialog');
  await expect(dialog).toBeVisible({ timeout: 15_000 });
  await expect(dialog).toContainText('changed on another device or by a colleague');
  await dialog.getByRole('button', { name: 'Keep the version on this page' }).click();
  await expect.poll(async () => (await accountCopy(request, draftId))?.draft.working.gateway.site_name, { timeout: 15_000 }).toBe('Sede de B');
  await b.context.close();
});

test.describe('with the dashboard on another site than the wizard', () => {
  test.describe.configure({ mode: 'serial' });
  const HOST_PORT = 8097;
  // localhost is another site than 127.0.0.1: the frame's storage is not the wizard's own.
  const HOST = `http://localhost:${HOST_PORT}`;
  const pages = new Map();
  let server;
  test.beforeAll(async () => {
    server = http.createServer((req, res) => {
      const body = pages.get(new URL(req.url, HOST).pathname);
      res.writeHead(body ? 200 : 404, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(body ?? 'not found');
    });
    await new Promise((resolve) => server.listen(HOST_PORT, '127.0.0.1', resolve));
  });
  test.afterAll(() => new Promise((resolve) => server.close(resolve)));

  function host(session, draftId) {
    return `<!doctype html><html lang="en"><head><title>Host</title></head><body>
<iframe id="wizard" title="Onboarding wizard" src="${WIZARD}/" style="width:900px;height:1200px;border:0"></iframe>
<script>
  window.messages = [];
  const frame = document.getElementById('wizard');
  window.addEventListener('message', (e) => {
    if (e.origin !== '${WIZARD}' || e.source !== frame.contentWindow) return;
    window.messages.push(e.data);
    if (e.data.type === 'onboarding.ready') frame.contentWindow.postMessage({ source: 'partner-dashboard', version: 1, type: 'onboarding.init',
      locale: 'en', draft_id: ${JSON.stringify(draftId)}, session: ${JSON.stringify(session)} }, '${WIZARD}');
  });
</script></body></html>`;
  }

  async function openFrame(page, draftId) {
    const path = `/host-${Math.random().toString(36).slice(2)}.html`;
    pages.set(path, host(await mintSession(page.request), draftId));
    await page.goto(`${HOST}${path}`);
    const frame = page.frames().find((f) => f.url().startsWith(WIZARD));
    return frame;
  }

  test('a draft begun standalone is resumed in the frame, and one begun in the frame is resumed standalone; a reload of the frame loses nothing', async ({ page, request }) => {
    // Standalone (top level on the wizard's own site).
    const draftId = await startNew(page);
    await fillValidCustomer(page, { name: 'Hotel Miramar' });
    await pressNext(page);
    await expectStep(page, 'gateway');
    await expect.poll(async () => (await accountCopy(request, draftId))?.draft.working.customer.name).toBe('Hotel Miramar');

    // In the dashboard's frame: the draft comes from the account, on the step it was left at.
    let frame = await openFrame(page, draftId);
    await expect(frame.locator(later.siteName)).toBeVisible({ timeout: 10_000 });
    await frame.locator('a.back-link').click();
    await expect(frame.locator(ids.name)).toHaveValue('Hotel Miramar');
    await frame.fill(ids.name, 'Hotel Miramar Playa');
    // Sent soon after typing stops (sooner where the frame keeps nothing), then reloaded.
    await expect.poll(async () => (await accountCopy(request, draftId))?.draft.working.customer.name, { timeout: 15_000 }).toBe('Hotel Miramar Playa');
    await page.reload();
    frame = page.frames().find((f) => f.url().startsWith(WIZARD));
    await expect(frame.locator(ids.name)).toHaveValue('Hotel Miramar Playa', { timeout: 10_000 });

    // A new draft begun in the frame, resumed standalone.
    const fresh = await openFrame(page, 'new');
    await expect(fresh.locator(ids.name)).toBeVisible();
    await fresh.fill(ids.name, 'Panadería del Frame');
    const newId = new URL(fresh.url()).pathname.split('/')[2];
    await expect.poll(async () => (await accountCopy(request, newId))?.draft.working.customer.name, { timeout: 15_000 }).toBe('Panadería del Frame');
    await page.goto(`${WIZARD}/`);
    const row = page.locator('table#drafts tbody tr', { hasText: 'Panadería del Frame' });
    await row.getByRole('link', { name: /Resume/ }).click();
    await expect(page.locator(ids.name)).toHaveValue('Panadería del Frame');
  });
});
