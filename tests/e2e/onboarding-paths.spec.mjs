// Both platform paths from the start page to the confirmation, against the real reference
// backend; the stored onboarding must hold exactly what was typed (trimmed and normalised).
import { test, expect, partnerId } from './fixtures.mjs';
import {
  CERTIFICATE, completeToReview, expectStep, fillGateway, fillPbx, fillValidCustomer, later, pressNext,
  startNew, storedDraft, storedOnboarding, waitForAutosave,
} from './helpers.mjs';

function expectedCustomer(c) {
  return {
    name: c.name,
    business_type: c.businessType,
    default_language: c.language,
    address: { street: c.street, street2: c.street2, city: c.city, region: c.region, postal_code: c.postal, country: c.country },
  };
}

async function submitAndConfirm(page) {
  await page.locator('#next').click();
  await expect(page).toHaveURL(/\/submitted(\?|$)/);
  await expect(page.locator('h1')).toHaveText('Onboarding submitted');
  const id = (await page.locator('#onboarding-id').textContent()).trim();
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
  return id;
}

test('PBX path: start page to confirmation; the backend row holds exactly the answers', async ({ page, request }) => {
  const { draftId, customer } = await completeToReview(page, 'pbx', { certificate: CERTIFICATE });
  const id = await submitAndConfirm(page);
  const stored = await storedOnboarding(request, id);
  expect(stored.id).toBe(id);
  expect(stored.status).toBe('received');
  expect(stored.onboarding).toEqual({
    schema_version: 1,
    draft_id: draftId,
    // The session's partner, which the backend records whatever the body says.
    partner_id: partnerId(),
    customer: expectedCustomer(customer),
    admin_contacts: customer.admins,
    support_contacts: customer.supports,
    gateway: { platform: 'mivoice_business', site_name: 'Sede Alcalá', site_address: null, mac_address: 'AA:BB:CC:00:11:22' },
    // The password is stored but never echoed back by the API.
    pbx: { host: 'pbx.sonrisa.example.es', port: 5061, username: 'gw-admin', password: null, use_tls: true, certificate_pem: CERTIFICATE },
    sync: null,
  });
  // The draft has left the device; the confirmation stays, across a reload.
  expect(await storedDraft(page, draftId)).toBeNull();
  await page.reload();
  await expect(page.locator('#onboarding-id')).toHaveText(id);
  await page.goto('/');
  await expect(page.locator('#start-new')).toBeVisible();
  await expect(page.getByText('Clínica Dental Sonrisa')).toHaveCount(0);
});

test('Review shows values as they will be sent: the postal code in its country\'s form, the port as a number', async ({ page, request }) => {
  await completeToReview(page, 'pbx', {
    customer: { country: 'GB', region: '', postal: ' sw1a2aa ' },
    pbx: { port: ' 0443 ' },
  });
  const value = (label) => page.locator('.summary-list__row', { has: page.locator('.summary-list__key', { hasText: new RegExp(`^${label}$`) }) })
    .locator('.summary-list__value');
  await expect(value('Address')).toContainText('SW1A 2AA');
  await expect(value('Address')).not.toContainText('sw1a2aa');
  await expect(value('Port')).toHaveText('443');
  const id = await submitAndConfirm(page);
  const stored = (await storedOnboarding(request, id)).onboarding;
  expect(stored.customer.address.postal_code).toBe('SW1A 2AA');
  expect(stored.pbx.port).toBe(443);
});

test('SMBC path: Customer · Gateway · Sync · Review, a separate site address, no PBX section', async ({ page, request }) => {
  const site = { street: '  Avenida Diagonal 640 ', city: 'Barcelona', region: 'Barcelona', postal_code: '08017', country: 'ES' };
  const { draftId, customer } = await completeToReview(page, 'sync', {
    // The address names another partner: signed in, the session's partner counts.
    query: '?partner_id=acme-42',
    gateway: { site },
    syncUsers: 'with_email',
    noWelcome: true,
  });
  await expect(page.getByRole('navigation', { name: 'Progress' }).getByRole('listitem')).toHaveText([/Customer/, /Gateway/, /Sync/, /Review/]);
  await expect(page.getByText('MAC address')).toHaveCount(0);
  const id = await submitAndConfirm(page);
  const stored = await storedOnboarding(request, id);
  expect(stored.onboarding).toEqual({
    schema_version: 1,
    draft_id: draftId,
    partner_id: partnerId(),
    customer: expectedCustomer(customer),
    admin_contacts: customer.admins,
    support_contacts: customer.supports,
    gateway: {
      platform: 'smbc',
      site_name: 'Sede Alcalá',
      site_address: { street: 'Avenida Diagonal 640', street2: '', city: 'Barcelona', region: 'Barcelona', postal_code: '08017', country: 'ES' },
      mac_address: null,
    },
    pbx: null,
    sync: { users: 'with_email', send_welcome_emails: false },
  });
});

test('changing the platform changes the path, keeps answers that still apply and drops the rest from the submission', async ({ page, request }) => {
  const { draftId } = await completeToReview(page, 'pbx');
  const progress = page.getByRole('navigation', { name: 'Progress' }).getByRole('listitem');
  await expect(progress).toHaveText([/Customer/, /Gateway/, /PBX/, /Connect/, /Review/]);
  // Change the platform from Review: the new path needs Sync before Review again.
  await page.getByRole('link', { name: 'Change Platform' }).click();
  await expectStep(page, 'gateway');
  // Focus lands on the chosen platform, not on the group's first radio: a screen reader says
  // "checked", and Space does not switch the platform.
  await expect(page.locator(later.platform('mivoice_business'))).toBeFocused();
  await page.locator(later.platform('va')).check();
  await expect(progress).toHaveText([/Customer/, /Gateway/, /Sync/, /Review/]);
  await pressNext(page);
  await expectStep(page, 'sync');
  await pressNext(page);
  await expectStep(page, 'review');
  await expect(page.getByText('PBX address')).toHaveCount(0);
  // Back to a MiVoice platform: the PBX answers were kept, password included (same page).
  await page.getByRole('link', { name: 'Change Platform' }).click();
  await page.locator(later.platform('mx_one')).check();
  await pressNext(page);
  await expectStep(page, 'review');
  await expect(page.locator('.summary-list__value', { hasText: 'pbx.sonrisa.example.es' })).toHaveCount(1);
  await page.getByRole('link', { name: 'Change Platform' }).click();
  await page.locator(later.platform('va')).check();
  await pressNext(page);
  await expectStep(page, 'review');
  const id = await submitAndConfirm(page);
  const stored = await storedOnboarding(request, id);
  expect(stored.onboarding.gateway.platform).toBe('va');
  expect(stored.onboarding.gateway.mac_address).toBeNull();
  expect(stored.onboarding.pbx).toBeNull();
  expect(stored.onboarding.sync).toEqual({ users: 'all', send_welcome_emails: true });
  expect(stored.onboarding.draft_id).toBe(draftId);
});

test('a Change link goes to the field and Next comes back to Review with the new answer', async ({ page }) => {
  await completeToReview(page, 'pbx');
  await page.getByRole('link', { name: 'Change Site name' }).click();
  await expectStep(page, 'gateway');
  await expect(page.locator(later.siteName)).toBeFocused();
  await page.fill(later.siteName, 'Clínica norte');
  await pressNext(page);
  await expectStep(page, 'review');
  await expect(page.locator('.summary-list__row', { hasText: 'Site name' })).toContainText('Clínica norte');
  // A contact's Change link lands in that contact's row.
  await page.getByRole('link', { name: 'Change Support contact 2' }).click();
  await expectStep(page, 'customer');
  await expect(page.locator('#support_contacts-1-role')).toBeFocused();
  await pressNext(page);
  await expectStep(page, 'review');
});

test('Back and browser back return to every step exactly as it was left', async ({ page }) => {
  const draftId = await startNew(page);
  await fillValidCustomer(page);
  await pressNext(page);
  await fillGateway(page, { site: { street: 'Calle Mayor 1', city: 'Sevilla', postal_code: '41001', country: 'ES' } });
  await pressNext(page);
  await fillPbx(page);
  await pressNext(page);
  await expectStep(page, 'connect');
  await page.fill(later.certificate, CERTIFICATE);
  await page.locator(later.useTls).uncheck();
  await page.locator('.back-link').click();
  await expectStep(page, 'pbx');
  // A new step reads like a new page: from its heading.
  await expect(page.locator('#step-heading')).toBeFocused();
  await expect(page.locator(later.host)).toHaveValue('pbx.sonrisa.example.es');
  await expect(page.locator(later.port)).toHaveValue('5061');
  await expect(page.locator(later.password)).toHaveValue('S3cr3t-Ñandú 42!');
  await page.locator('.back-link').click();
  await expectStep(page, 'gateway');
  await expect(page.locator(later.platform('mivoice_business'))).toBeChecked();
  await expect(page.locator(later.sameAddress)).not.toBeChecked();
  await expect(page.locator(later.site('city'))).toHaveValue('Sevilla');
  await expect(page.locator(later.mac)).toHaveValue('aa-bb-cc-00-11-22');
  // Browser back: gateway ← pbx ← connect, as left.
  await page.goBack();
  await expectStep(page, 'pbx');
  await page.goBack();
  await expectStep(page, 'connect');
  await expect(page.locator(later.useTls)).not.toBeChecked();
  // Without TLS the certificate field is hidden, its answer kept for when TLS is on again.
  await expect(page.locator(later.certificate)).toHaveCount(0);
  // And from the device, after a reload (all but the password).
  await waitForAutosave(page, draftId, (w) => w.pbx.use_tls === false && w.pbx.certificate_pem === CERTIFICATE);
  await page.reload();
  await expect(page.locator(later.useTls)).not.toBeChecked();
  await page.locator(later.useTls).check();
  await expect(page.locator(later.certificate)).toHaveValue(CERTIFICATE);
});
