// What a partner meets in ordinary use (issue 15): where the page scrolls when focus moves, the
// skip link, an onboarding the backend already holds (Back after the confirmation, a lost 201
// then an edit: 409), a submission waiting offline, and Save and return on a device that
// refuses storage.
import { test, expect, fetchAsBrowser } from './fixtures.mjs';
import {
  axeCheck, CERTIFICATE, completeToReview, expectStep, fillValidCustomer, ids, openStart, pressNext, startNew, storedDraft, storedOnboarding,
} from './helpers.mjs';

const DASHBOARD = 'http://127.0.0.1:8090/';

/** Where an element is in the window: its top and bottom, and the window's height. */
function placeOf(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, height: window.innerHeight };
  });
}

/** True when the element is wholly inside the window. */
async function inView(page, selector) {
  const p = await placeOf(page, selector);
  return p.top >= 0 && p.bottom <= p.height;
}

test.describe('focus moves scroll as GOV.UK Frontend does', () => {
  test('Next starts the new step at the top of the page, header and stepper shown', async ({ page }) => {
    await startNew(page);
    await fillValidCustomer(page);
    // Filling the last support contact has scrolled the page well down.
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await pressNext(page);
    await expectStep(page, 'gateway');
    await expect(page.locator('#step-heading')).toBeFocused();
    expect(await page.evaluate(() => window.scrollY), 'the page starts at its top').toBe(0);
    expect(await inView(page, 'header')).toBe(true);
    expect(await inView(page, 'nav.stepper, nav[aria-label="Progress"]')).toBe(true);
    expect(await inView(page, '.back-link')).toBe(true);
  });

  test('an error summary link shows the field with its label; one already in view scrolls nothing', async ({ page }) => {
    await startNew(page);
    await pressNext(page);
    await expect(page.locator('#error-summary')).toBeFocused();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    // With the customer name and its label in view, following its link moves nothing (the
    // link is clicked where it is, above the window: a person would use the keyboard).
    await page.evaluate(() => window.scrollTo(0, document.querySelector('label[for="customer-name"]').getBoundingClientRect().top + window.scrollY - 150));
    expect(await inView(page, 'label[for="customer-name"]')).toBe(true);
    expect(await inView(page, ids.name)).toBe(true);
    const before = await page.evaluate(() => window.scrollY);
    await page.locator('#error-summary a[href="#customer-name"]').evaluate((a) => a.click());
    await expect(page.locator(ids.name)).toBeFocused();
    expect(await page.evaluate(() => window.scrollY), 'nothing scrolls for a field in view').toBe(before);
    expect(new URL(page.url()).hash, 'the link does not navigate').toBe('');

    // A support contact's email is far below: it comes into view with its label and message.
    await page.locator('#error-summary').focus();
    await page.locator(`#error-summary a[href="${ids.support(1, 'email')}"]`).click();
    await expect(page.locator(ids.support(1, 'email'))).toBeFocused();
    expect(await inView(page, ids.support(1, 'email'))).toBe(true);
    expect(await inView(page, `label[for="${ids.support(1, 'email').slice(1)}"]`), 'the label is shown with the field').toBe(true);
    expect(await inView(page, `${ids.support(1, 'email')}-error`), 'so is its message').toBe(true);
  });

  test('a Change link on Review shows the field with its label (a radio group with its legend)', async ({ page }) => {
    await completeToReview(page, 'sync');
    await page.locator(`a.change-link[href*="field=${ids.street.slice(1)}"]`).click();
    await expectStep(page, 'customer');
    await expect(page.locator(ids.street)).toBeFocused();
    expect(await inView(page, `label[for="${ids.street.slice(1)}"]`)).toBe(true);
    expect(await inView(page, ids.street)).toBe(true);
    await pressNext(page);
    await expectStep(page, 'review');
    await page.locator('a.change-link[href*="field=gateway-platform"]').click();
    await expectStep(page, 'gateway');
    await expect(page.locator('#gateway-platform-smbc')).toBeFocused();
    expect(await inView(page, 'fieldset:has(#gateway-platform-smbc) > legend')).toBe(true);
  });

  test('in the dashboard, Next shows the frame from its top and a field link does not jump the host page', async ({ page }) => {
    await page.goto(DASHBOARD);
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    await page.locator('#new-onboarding').click();
    const frameEl = page.locator('#wizard-frame');
    const frame = await (await frameEl.elementHandle()).contentFrame();
    await expect.poll(() => frame.url()).toMatch(/^http:\/\/127\.0\.0\.1:8089\//);
    await expect(frame.locator(ids.name)).toBeVisible();
    await fillValidCustomer(frame);
    expect(await page.evaluate(() => window.scrollY), 'the host page scrolled down with the typing').toBeGreaterThan(200);
    await frame.locator('#next').click();
    await expect(frame.locator('#step-heading')).toHaveText('Configure the customer site');
    await expect(frame.locator('#step-heading')).toBeFocused();
    // The frame's header (its top) is in the host's window, not above it.
    const headerTop = async () => {
      const box = await frameEl.boundingBox();
      const inner = await frame.locator('header').evaluate((el) => el.getBoundingClientRect().top);
      return box.y + inner;
    };
    // (The frame's own border may sit a pixel or two above the window's edge.)
    await expect.poll(headerTop, { message: "the frame's header is in the host's window" }).toBeGreaterThanOrEqual(-3);
    expect(await headerTop()).toBeLessThan(await page.evaluate(() => window.innerHeight));

    // Errors on the Gateway step; with the site name field and its label in the host's window,
    // its summary link moves nothing: the host page does not jump.
    await frame.locator('#next').click();
    await expect(frame.locator('#error-summary')).toBeFocused();
    const labelInFrame = await frame.locator('label[for="gateway-site_name"]').evaluate((el) => el.getBoundingClientRect().top);
    const frameTop = await frameEl.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    await page.evaluate((y) => window.scrollTo(0, y), frameTop + labelInFrame - 150);
    const hostBefore = await page.evaluate(() => window.scrollY);
    await frame.locator('#error-summary a[href="#gateway-site_name"]').evaluate((a) => a.click());
    await expect(frame.locator('#gateway-site_name')).toBeFocused();
    expect(await page.evaluate(() => window.scrollY), 'the host page does not jump').toBe(hostBefore);
    // A field far below is brought into the host's window with its label.
    await frame.locator('#error-summary').focus();
    await page.evaluate(() => window.scrollTo(0, 0));
    await frame.locator('#error-summary a[href="#gateway-mac_address"]').evaluate((a) => a.click());
    await expect(frame.locator('#gateway-mac_address')).toBeFocused();
    const labelTop = await frame.locator('label[for="gateway-mac_address"]').evaluate((el) => el.getBoundingClientRect().top);
    const box = await frameEl.boundingBox();
    const inHost = box.y + labelTop;
    expect(inHost, 'the label is in the host window').toBeGreaterThanOrEqual(0);
    expect(inHost).toBeLessThan(await page.evaluate(() => window.innerHeight));
  });
});

test('the skip link moves focus into <main>: the next Tab reaches its first control', async ({ page }) => {
  await startNew(page);
  // A fresh load of the step: the first Tab reaches the skip link.
  await page.reload();
  await expect(page.locator(ids.name)).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  await page.keyboard.press('Tab');
  const inMain = await page.evaluate(() => !!document.activeElement.closest('main') && document.activeElement.tagName !== 'MAIN');
  expect(inMain, 'Tab after the skip link goes to a control inside main').toBe(true);
  // main gives up its tabindex once focus leaves it.
  await expect(page.locator('main')).not.toHaveAttribute('tabindex');
});

test.describe('an onboarding the backend already holds', () => {
  test('browser Back from the confirmation shows the confirmation, never a Submit', async ({ page }) => {
    const { draftId } = await completeToReview(page, 'sync');
    await pressNext(page);
    await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
    const id = (await page.locator('#onboarding-id').textContent()).trim();
    await page.goBack();
    await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/review`));
    await expect(page.locator('#done-heading')).toBeVisible();
    await expect(page.locator('#onboarding-id')).toHaveText(id);
    await expect(page.locator('#next')).toHaveCount(0);
    // Every other route of the draft too, after a reload.
    await page.goto(`/onboarding/${draftId}/customer`);
    await expect(page.locator('#onboarding-id')).toHaveText(id);
  });

  test('a second tab on the same draft shows the confirmation instead of submitting again', async ({ page, context }) => {
    const { draftId } = await completeToReview(page, 'sync');
    const other = await context.newPage();
    await other.goto(`/onboarding/${draftId}/review`);
    await expectStep(other, 'review');
    let posts = 0;
    await other.route('**/api/onboardings', (route) => { posts += 1; return route.continue(); });
    await pressNext(page);
    await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
    const id = (await page.locator('#onboarding-id').textContent()).trim();
    await other.locator('#next').click();
    await expect(other.locator('#onboarding-id')).toHaveText(id);
    expect(posts, 'the second tab sent nothing').toBe(0);
  });

  test('a lost 201 then an edit: the 409 is final, said plainly, never retried, and the answers go on in a copy', async ({ page }) => {
    await completeToReview(page, 'sync');
    let posts = 0;
    let edited = false;
    await page.route('**/api/onboardings', async (route) => {
      posts += 1;
      if (posts === 1) {
        // The backend accepts it; the answer never reaches the browser.
        await fetchAsBrowser(route);
        return route.abort('connectionreset');
      }
      // Automatic retries before the edit would replay the same body: keep them failing.
      if (!edited) return route.abort('connectionreset');
      return route.continue();
    });
    await pressNext(page);
    await expect(page.locator('#submission-status [data-state="waiting"]')).toBeVisible();
    await page.locator(`a.change-link[href*="field=${ids.name.slice(1)}"]`).click();
    await expectStep(page, 'customer');
    await page.fill(ids.name, 'Clínica Dental Sonrisa Norte');
    await pressNext(page);
    await expectStep(page, 'review');
    edited = true;
    await page.locator('#retry-now').click();
    const status = page.locator('#submission-status [data-state="already-submitted"]');
    await expect(status).toContainText('This onboarding was already submitted');
    await expect(page.locator('#submission-status')).toBeFocused();
    await axeCheck(page, 'already submitted');
    const sent = posts;
    // Long past every backoff delay: nothing more is sent, and no countdown appears.
    await page.waitForTimeout(6_000);
    expect(posts, 'a 409 is never retried').toBe(sent);
    await expect(page.locator('#submission-countdown')).toHaveCount(0);
    // Submit again does not send either; it points at the message.
    await page.locator('#next').click();
    await page.waitForTimeout(500);
    expect(posts).toBe(sent);

    await page.unroute('**/api/onboardings');
    await page.locator('#copy-to-new').click();
    await expectStep(page, 'review');
    await expect(page.locator('main')).toContainText('Clínica Dental Sonrisa Norte');
    await pressNext(page);
    await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
  });
});

test.describe('a submission waiting offline', () => {
  test('says to keep the page open, warns on leaving, and the start page marks the draft as not sent', async ({ page, context }) => {
    const { draftId } = await completeToReview(page, 'pbx');
    await context.setOffline(true);
    await pressNext(page);
    const waiting = page.locator('#submission-status [data-state="offline"]');
    await expect(waiting).toContainText('Keep this page open until it is sent');
    // A notice, not the error box.
    await expect(waiting).toHaveClass(/status--waiting/);
    await expect(waiting).not.toHaveClass(/status--problem/);
    await axeCheck(page, 'submission waiting offline');
    await expect.poll(async () => (await storedDraft(page, draftId))?.submission_waiting).toBe(true);

    // Leaving asks first.
    const dialogs = [];
    page.on('dialog', (d) => { dialogs.push(d.type()); d.dismiss().catch(() => {}); });
    await page.close({ runBeforeUnload: true });
    await expect.poll(() => dialogs).toContain('beforeunload');

    // The partner stayed; then the tab is closed anyway (no beforeunload this time).
    await page.close();

    const start = await context.newPage();
    await context.setOffline(false);
    await openStart(start);
    const row = start.locator('#drafts tbody tr', { hasText: 'Clínica Dental Sonrisa' });
    await expect(row).toContainText('Not sent');
    await expect(row).toContainText('PBX password');
    await axeCheck(start, 'start page with a draft not sent');
  });
});

test('Save and return on a device that refuses storage, with the account out of reach too, says so and keeps the partner on the page', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
  });
  // The partner's account, the other place a draft is kept, does not answer either.
  await page.route('**/api/drafts/**', (route) => route.abort('connectionrefused'));
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Clínica sin almacenamiento');
  // The storage notice gives no advice the button cannot follow.
  await expect(page.locator('#storage-notice')).not.toContainText('Save and return');
  await page.locator('#save-and-return').click();
  const refused = page.locator('#save-refused');
  await expect(refused).toContainText('Nothing could be kept on this device');
  await expect(refused).toBeFocused();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/customer`));
  await expect(page.locator(ids.name)).toHaveValue('Clínica sin almacenamiento');
  await axeCheck(page, 'Save and return refused');
});

test('Save and return on a device that refuses storage goes through the partner\'s account, and Resume brings every answer back', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
  });
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Clínica en la cuenta');
  await expect(page.locator('#storage-notice')).toContainText('kept in your partner account instead');
  await page.locator('#save-and-return').click();
  await expect(page.locator('#start-new')).toBeVisible();
  const row = page.locator('table#drafts tbody tr', { hasText: 'Clínica en la cuenta' });
  await expect(row).toContainText('In your account');
  await row.getByRole('link', { name: /Resume/ }).click();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/customer`));
  await expect(page.locator(ids.name)).toHaveValue('Clínica en la cuenta');
});

test('the confirmation names a customer whose name ends in a period without doubling it', async ({ page }) => {
  await completeToReview(page, 'sync', { customer: { name: 'Sonrisa Dental S.L.' } });
  await pressNext(page);
  await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
  // Read as a person reads it: invisible isolate characters (which hid the doubled period
  // from a plain text search) do not count.
  const text = (await page.locator('main').textContent()).replace(/[\u2066-\u2069]/g, '');
  expect(text).toContain('Sonrisa Dental S.L.');
  expect(text).not.toContain('S.L..');
});

test('Port offers the numeric keyboard; the PBX password is not one for the browser to generate', async ({ page }) => {
  await completeToReview(page, 'pbx');
  await page.locator('a.change-link[href*="field=pbx-port"]').click();
  await expect(page.locator('#pbx-port')).toHaveAttribute('inputmode', 'numeric');
  await expect(page.locator('#pbx-password')).not.toHaveAttribute('autocomplete', 'new-password');
});

test('Resume and Delete on the start page are the same size', async ({ page }) => {
  await startNew(page);
  await page.fill(ids.name, 'Clínica tamaños');
  await expect.poll(async () => (await page.evaluate(() => Object.keys(localStorage).length))).toBeGreaterThan(0);
  await openStart(page);
  const row = page.locator('#drafts tbody tr').first();
  const resume = await row.getByRole('link').boundingBox();
  const del = await row.getByRole('button').boundingBox();
  expect(Math.abs(resume.height - del.height), `Resume ${resume.height}px high, Delete ${del.height}px`).toBeLessThanOrEqual(1);
});

test('Spanish: the start page title does not repeat itself', async ({ page }) => {
  await openStart(page, '?lang=es');
  // It read "Incorporaciones de clientes – Incorporación de clientes".
  await expect(page).toHaveTitle('Incorporaciones de clientes – Incorporación para socios');
});

test('with TLS off a certificate is neither shown on Review nor sent', async ({ page, request }) => {
  await completeToReview(page, 'pbx', { certificate: CERTIFICATE, noTls: true });
  await expect(page.locator('.summary-list__row', { hasText: 'Use TLS' })).toContainText('No');
  await expect(page.locator('a.change-link[href*="field=pbx-certificate_pem"]')).toHaveCount(0);
  await pressNext(page);
  await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
  const id = (await page.locator('#onboarding-id').textContent()).trim();
  const stored = (await storedOnboarding(request, id)).onboarding;
  expect(stored.pbx.use_tls).toBe(false);
  expect(stored.pbx.certificate_pem).toBeNull();
});

test.describe('a private key pasted with the certificate', () => {
  const KEY_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
  const PKCS8 = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY}\nMIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END PRIVATE KEY-----`;
  const EC = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIrYSSNQFaA2Hwf1duRSxKtLYX5CB04fSeQ6tF1aY/PuoAoGCCqGSM49\n-----END EC PRIVATE KEY-----';
  const ENCRYPTED = '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQIc2VjcmV0c2FsdAIC\n-----END ENCRYPTED PRIVATE KEY-----';
  const RSA = '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\nMIIEowIBAAKCAQEAzRsaHalfPastedKeyWithoutItsEndLine';

  for (const [flavour, key] of [['PKCS#8', PKCS8], ['EC', EC], ['encrypted PKCS#8', ENCRYPTED], ['a half-pasted encrypted RSA', RSA]]) {
    test(`${flavour}: removed at once, said plainly, never stored or sent`, async ({ page, request }) => {
      const bodies = [];
      await page.route('**/api/onboardings', (route) => { bodies.push(route.request().postData() ?? ''); return route.continue(); });
      const typed = await completeToReview(page, 'pbx');
      await page.locator('a.change-link[href*="field=pbx-certificate_pem"]').click();
      await expectStep(page, 'connect');
      await page.fill('#pbx-certificate_pem', `${CERTIFICATE}\n${key}\n`);
      const notice = page.locator('#pbx-certificate_pem-key-removed');
      await expect(notice).toContainText('A private key was pasted here');
      await expect(notice).toContainText('must never be shared');
      // Only the certificate block is left in the field.
      await expect(page.locator('#pbx-certificate_pem')).toHaveValue(CERTIFICATE);
      await axeCheck(page, 'private key removed');
      await expect.poll(async () => (await storedDraft(page, typed.draftId))?.working?.pbx?.certificate_pem).toBe(CERTIFICATE);
      // Every storage entry, read back: no trace of the key.
      const storage = (await page.evaluate(() => {
        const out = [];
        for (const store of [localStorage, sessionStorage]) {
          for (let i = 0; i < store.length; i++) out.push(`${store.key(i)}=${store.getItem(store.key(i))}`);
        }
        return out;
      })).join('\n');
      expect(storage).toContain('BEGIN CERTIFICATE');
      expect(storage).not.toContain('PRIVATE KEY');
      expect(storage).not.toContain(key.split('\n').find((l) => /^[A-Za-z0-9+/]{40,}/.test(l)));

      await pressNext(page);
      await expectStep(page, 'review');
      await pressNext(page);
      await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
      expect(bodies.join('\n')).not.toContain('PRIVATE KEY');
      const id = (await page.locator('#onboarding-id').textContent()).trim();
      expect((await storedOnboarding(request, id)).onboarding.pbx.certificate_pem).toBe(CERTIFICATE);
    });
  }
});

test.describe('addresses and MACs as partners write them', () => {
  test('US, CA, AU and MX offer their states or provinces; a typed name becomes its code', async ({ page }) => {
    await startNew(page);
    await page.fill(ids.region, 'california');
    await page.selectOption(ids.country, 'US');
    const region = page.locator(ids.region);
    await expect(region).toHaveJSProperty('tagName', 'SELECT');
    await expect(region).toHaveValue('CA');
    await expect(region.locator('option[value="NY"]')).toHaveText('New York');
    await page.selectOption(ids.country, 'MX');
    // A US state does not carry over to another country's list.
    await expect(page.locator(ids.region)).toHaveValue('');
    await expect(page.locator(`${ids.region} option[value="NLE"]`)).toHaveText('Nuevo León');
    await page.selectOption(ids.region, 'NLE');
    await page.selectOption(ids.country, 'AU');
    await expect(page.locator(ids.region)).toHaveValue('');
    await page.selectOption(ids.region, 'WA');
    await page.selectOption(ids.country, 'US');
    await expect(page.locator(ids.region), "Western Australia's WA is not Washington").toHaveValue('');
    await page.selectOption(ids.country, 'CA');
    await expect(page.locator(`${ids.region} option[value="ON"]`)).toHaveText('Ontario');
    await page.selectOption(ids.country, 'AU');
    await expect(page.locator(`${ids.region} option[value="NSW"]`)).toHaveText('New South Wales');
    // Elsewhere the region is free text again.
    await page.selectOption(ids.country, 'ES');
    await expect(page.locator(ids.region)).toHaveJSProperty('tagName', 'INPUT');
    await axeCheck(page, 'free-text region');
    await page.selectOption(ids.country, 'US');
    await axeCheck(page, 'region select');
  });

  test('a Cisco-style MAC is accepted and sent as upper-case colons', async ({ page, request }) => {
    await completeToReview(page, 'pbx', { gateway: { mac: 'aabb.ccdd.eeff' } });
    await expect(page.locator('.summary-list__row', { hasText: 'MAC' })).toContainText('AA:BB:CC:DD:EE:FF');
    await pressNext(page);
    await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
    const id = (await page.locator('#onboarding-id').textContent()).trim();
    expect((await storedOnboarding(request, id)).onboarding.gateway.mac_address).toBe('AA:BB:CC:DD:EE:FF');
  });
});

test("a 422 code the wizard does not know shows the backend's own reason, as text", async ({ page }) => {
  await completeToReview(page, 'sync');
  await page.route('**/api/onboardings', (route) => route.fulfill({
    status: 422,
    contentType: 'application/json',
    body: JSON.stringify({ errors: [{ field: 'gateway.site_name', code: 'site_name_taken', message: 'A site called <b>Sede Alcalá</b> already exists for this customer: choose another name.' }] }),
  }));
  await pressNext(page);
  await expectStep(page, 'gateway');
  const reason = 'The partner system did not accept this answer: A site called <b>Sede Alcalá</b> already exists for this customer: choose another name.';
  await expect(page.locator('#gateway-site_name-error')).toContainText(reason);
  await expect(page.locator('#error-summary a[href="#gateway-site_name"]')).toHaveText(reason);
  // As text: no element came from the backend's words.
  await expect(page.locator('#gateway-site_name-error b')).toHaveCount(0);
});

test("the site's postal-code error names the site and its country's form", async ({ page }) => {
  await startNew(page);
  await fillValidCustomer(page);
  await pressNext(page);
  await expectStep(page, 'gateway');
  const { fillGateway } = await import('./helpers.mjs');
  await fillGateway(page, { site: { street: 'Unter den Linden 1', city: 'Berlin', postal_code: '1011', country: 'DE' } });
  await pressNext(page);
  const { expectFieldError } = await import('./helpers.mjs');
  await expectFieldError(page, 'gateway-site_address-postal_code', "Enter the site's postal code as 5 digits, like 10115");
});

test('a submission waiting in a tab survives that tab taking the version another tab saved', async ({ page, context }) => {
  const { draftId } = await completeToReview(page, 'sync');
  await context.setOffline(true);
  await pressNext(page);
  await expect(page.locator('#submission-status [data-state="offline"]')).toBeVisible();
  // Another tab of the same device changes an answer (the waiting tab has no edits of its own,
  // so it takes that version).
  const other = await context.newPage();
  await other.goto(`/onboarding/${draftId}/gateway`);
  await expectStep(other, 'gateway');
  await other.fill('#gateway-site_name', 'Sede Alcalá Norte');
  await expect.poll(async () => (await storedDraft(other, draftId))?.working?.gateway?.site_name).toBe('Sede Alcalá Norte');
  await expect(page.locator('#tabs-notice')).toBeVisible();
  await expect(page.locator('#submission-status [data-state="offline"]')).toBeVisible();
  await other.close();
  // Back online, the waiting submission goes, with the other tab's answer.
  await context.setOffline(false);
  await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
  const id = (await page.locator('#onboarding-id').textContent()).trim();
  expect((await (await import('./helpers.mjs')).storedOnboarding(page.request, id)).onboarding.gateway.site_name).toBe('Sede Alcalá Norte');
});
