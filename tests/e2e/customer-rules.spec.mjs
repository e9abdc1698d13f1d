// Each rule of the Customer step, as a partner meets it in the browser.
import { test, expect } from './fixtures.mjs';
import {
  startNew, fillValidCustomer, pressNext, summaryTexts, expectFieldError, expectNoFieldError,
  supportGroupErrors, ids, VALID_CUSTOMER,
} from './helpers.mjs';

async function expectGateway(page, draftId) {
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/gateway(\\?|$)`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Configure the customer site');
}

test('length limits count trimmed characters', async ({ page }) => {
  const id = await startNew(page);
  await fillValidCustomer(page);
  const tooLong = [
    [ids.name, 'customer-name', 'x'.repeat(101), 'Customer name must be 100 characters or fewer: it has 101'],
    [ids.street, 'customer-address-street', 's'.repeat(201), 'Street address must be 200 characters or fewer: it has 201'],
    [ids.street2, 'customer-address-street2', 't'.repeat(201), 'Address line 2 must be 200 characters or fewer: it has 201'],
    [ids.city, 'customer-address-city', 'c'.repeat(101), 'City must be 100 characters or fewer: it has 101'],
    [ids.region, 'customer-address-region', 'r'.repeat(101), 'State or province must be 100 characters or fewer: it has 101'],
    [ids.admin(0, 'first_name'), 'admin_contacts-0-first_name', 'f'.repeat(51), 'First name of admin contact 1 must be 50 characters or fewer: it has 51'],
    [ids.admin(0, 'last_name'), 'admin_contacts-0-last_name', 'l'.repeat(51), 'Last name of admin contact 1 must be 50 characters or fewer: it has 51'],
    [ids.support(1, 'name'), 'support_contacts-1-name', 'n'.repeat(101), 'Name of support contact 2 must be 100 characters or fewer: it has 101'],
  ];
  for (const [sel, , value] of tooLong) await page.fill(sel, value);
  await pressNext(page);
  await expect(page.locator('#error-summary')).toBeFocused();
  for (const [, fieldId, , message] of tooLong) await expectFieldError(page, fieldId, message);
  expect(await summaryTexts(page)).toHaveLength(tooLong.length);

  // Exactly at the limit, with surrounding spaces (not counted) and non-ASCII letters (counted
  // as one character each): accepted.
  const atLimit = {
    [ids.name]: `  ${'N'.repeat(100)}  `,
    [ids.street]: ` ${'é'.repeat(200)} `,
    [ids.street2]: `\t${'t'.repeat(200)}   `,
    [ids.city]: `  ${'ñ'.repeat(100)}`,
    [ids.region]: `${'r'.repeat(100)}  `,
    [ids.admin(0, 'first_name')]: ` ${'Á'.repeat(50)} `,
    [ids.admin(0, 'last_name')]: `${'l'.repeat(50)} `,
    [ids.support(1, 'name')]: ` ${'n'.repeat(100)} `,
  };
  for (const [sel, value] of Object.entries(atLimit)) await page.fill(sel, value);
  for (const [, fieldId] of tooLong) await expectNoFieldError(page, fieldId);
  await expect(page.locator('#error-summary')).toHaveCount(0);
  await pressNext(page);
  await expectGateway(page, id);
});

test('an email address over 254 characters is rejected', async ({ page }) => {
  await startNew(page);
  await fillValidCustomer(page);
  await page.fill(ids.admin(0, 'email'), `${'a'.repeat(64)}@${'b'.repeat(187)}.es`); // 255 characters
  await pressNext(page);
  await expectFieldError(page, 'admin_contacts-0-email', 'Email address of admin contact 1 must be 254 characters or fewer: it has 255');
});

test('State / Province is required for the US but not for Spain', async ({ page }) => {
  const id = await startNew(page);
  await fillValidCustomer(page, { country: 'US', region: '', postal: '94105', city: 'San Francisco' });
  await pressNext(page);
  expect(await summaryTexts(page)).toEqual(['Enter the state or province']);
  await expectFieldError(page, 'customer-address-region', 'Enter the state or province');

  // Spain (with a Spanish postal code): region optional, the error goes away live.
  await page.selectOption(ids.country, 'ES');
  await page.fill(ids.postal, '28009');
  await expectNoFieldError(page, 'customer-address-region');
  await expect(page.locator('#error-summary')).toHaveCount(0);
  await pressNext(page);
  await expectGateway(page, id);
});

test('postal codes are checked per country, ignoring spaces and case', async ({ page }) => {
  const id = await startNew(page);
  await fillValidCustomer(page, { country: 'US', region: 'CA', postal: '1234', city: 'San Francisco' });
  await pressNext(page);
  // The message says the form the chosen country's codes take.
  const FORMAT = {
    US: 'Enter a ZIP code of 5 digits, like 12345, or like 12345-6789',
    GB: 'Enter a postal code like SW1A 1AA',
    NL: 'Enter a postal code like 1234 AB',
    ES: 'Enter a postal code of 5 digits, like 28013',
    DE: 'Enter a postal code of 5 digits, like 10115',
    FR: 'Enter a postal code of 5 digits, like 75001',
  };
  await expectFieldError(page, 'customer-address-postal_code', FORMAT.US);

  const cases = [
    ['US', '12345', true],
    ['US', '123456', false],
    ['US', '12345-6789', true],
    ['GB', 'sw1a1aa', true],
    ['GB', 'SW1A', false],
    ['NL', '1234 AB', true],
    ['NL', '1234ab', true],
    ['NL', '0123 AB', false],
    ['ES', '99999', false],
    ['ES', '28013', true],
    ['DE', '1011', false],
    ['DE', '10115', true],
    ['CA', 'k1a 0b1', true],
    ['FR', '7500A', false],
    // British Forces Post Office and Girobank's postcode are real UK postcodes.
    ['GB', 'gir0aa', true],
    ['GB', 'BFPO 801', true],
    ['GB', 'BFPO 12345', false],
  ];
  for (const [country, postal, ok] of cases) {
    await page.selectOption(ids.country, country);
    await page.fill(ids.postal, postal);
    if (ok) await expectNoFieldError(page, 'customer-address-postal_code');
    else await expectFieldError(page, 'customer-address-postal_code', FORMAT[country]);
  }

  // Required where the country uses postal codes...
  await page.selectOption(ids.country, 'FR');
  await page.fill(ids.postal, '');
  await expectFieldError(page, 'customer-address-postal_code', 'Enter the postal or ZIP code');
  // ...optional where it does not (United Arab Emirates).
  await page.selectOption(ids.country, 'AE');
  await page.fill(ids.region, '');
  await expectNoFieldError(page, 'customer-address-postal_code');
  await expectNoFieldError(page, 'customer-address-region');
  await expect(page.locator('#error-summary')).toHaveCount(0);
  await pressNext(page);
  await expectGateway(page, id);
});

test('email addresses must be in a valid format', async ({ page }) => {
  await startNew(page);
  await fillValidCustomer(page);
  await page.fill(ids.admin(0, 'email'), 'lucia.fernandez.example.es');
  await page.fill(ids.support(1, 'email'), 'javier@@sonrisa.example.es');
  await pressNext(page);
  await expectFieldError(page, 'admin_contacts-0-email',
    'Enter the email address of admin contact 1 in the correct format, like name@example.com');
  await expectFieldError(page, 'support_contacts-1-email',
    'Enter the email address of support contact 2 in the correct format, like name@example.com');
  await page.fill(ids.admin(0, 'email'), 'lucia.fernandez@sonrisa.example.es');
  await expectNoFieldError(page, 'admin_contacts-0-email');
  await page.fill(ids.support(1, 'email'), '  javier@sonrisa.example.es ');
  await expectNoFieldError(page, 'support_contacts-1-email');
  await expect(page.locator('#error-summary')).toHaveCount(0);
});

test('admin contact emails must be unique, ignoring case', async ({ page }) => {
  await startNew(page);
  await fillValidCustomer(page, {
    admins: [
      { first_name: 'Ana', last_name: 'Ruiz', email: 'Ana.Ruiz@Example.com' },
      { first_name: 'Ana', last_name: 'Ruiz Gil', email: 'ana.ruiz@example.COM' },
      { first_name: 'Pablo', last_name: 'Soto', email: 'pablo@example.com' },
    ],
  });
  await pressNext(page);
  expect(await summaryTexts(page)).toEqual(['Admin contact 2 has the same email address as admin contact 1']);
  await expectFieldError(page, 'admin_contacts-1-email', 'Admin contact 2 has the same email address as admin contact 1');
  await expectNoFieldError(page, 'admin_contacts-0-email');
  await expectNoFieldError(page, 'admin_contacts-2-email');

  await page.fill(ids.admin(1, 'email'), 'ana.ruiz.gil@example.com');
  await expectNoFieldError(page, 'admin_contacts-1-email');
  await expect(page.locator('#error-summary')).toHaveCount(0);
});

test('at least one Maintainer and one On-site administrator are required', async ({ page }) => {
  await startNew(page);
  await fillValidCustomer(page);
  await page.selectOption(ids.support(0, 'role'), 'other');
  await pressNext(page);
  await expect(page.locator('#error-summary')).toBeFocused();
  expect(await summaryTexts(page)).toEqual(['Add at least one Maintainer']);
  // The group error shows in the support contacts fieldset, which is described by it.
  await expect(supportGroupErrors(page)).toHaveCount(1);
  await expect(supportGroupErrors(page)).toContainText('Add at least one Maintainer');
  await expect(page.locator('#support_contacts')).toHaveAttribute('aria-describedby', /support_contacts-error/);
  // The summary link takes the user to the control that fixes it.
  await page.locator('#error-summary').getByRole('link', { name: 'Add at least one Maintainer' }).click();
  await expect(page.locator(ids.support(0, 'role'))).toBeFocused();

  await page.selectOption(ids.support(1, 'role'), 'other');
  await expect(supportGroupErrors(page)).toHaveCount(2);
  await expect(supportGroupErrors(page).nth(0)).toContainText('Add at least one Maintainer');
  await expect(supportGroupErrors(page).nth(1)).toContainText('Add at least one On-site administrator');
  expect(await summaryTexts(page)).toEqual(['Add at least one Maintainer', 'Add at least one On-site administrator']);

  await page.selectOption(ids.support(0, 'role'), 'maintainer');
  await expect(supportGroupErrors(page)).toHaveCount(1);
  await expect(supportGroupErrors(page)).toContainText('Add at least one On-site administrator');
  await page.selectOption(ids.support(1, 'role'), 'onsite_admin');
  await expect(supportGroupErrors(page)).toHaveCount(0);
  await expect(page.locator('#error-summary')).toHaveCount(0);
  await expect(page.locator('#support_contacts')).not.toHaveAttribute('aria-describedby', /support_contacts-error/);
});

test('removing every support contact asks for both roles', async ({ page }) => {
  await startNew(page);
  await fillValidCustomer(page);
  await page.getByRole('button', { name: 'Remove support contact 2', exact: true }).click();
  await page.getByRole('button', { name: 'Remove support contact 1', exact: true }).click();
  await expect(page.locator('#support_contacts fieldset')).toHaveCount(0);
  await pressNext(page);
  expect(await summaryTexts(page)).toEqual(['Add at least one Maintainer', 'Add at least one On-site administrator']);
  await page.locator('#error-summary').getByRole('link', { name: 'Add at least one Maintainer' }).click();
  await expect(page.getByRole('button', { name: 'Add support contact', exact: true })).toBeFocused();
});

test('the same role and email twice among support contacts is an error', async ({ page }) => {
  const id = await startNew(page);
  await fillValidCustomer(page);
  await page.getByRole('button', { name: 'Add support contact', exact: true }).click();
  // New rows default to the role Other and take focus.
  await expect(page.locator(ids.support(2, 'role'))).toHaveValue('other');
  await expect(page.locator(ids.support(2, 'role'))).toBeFocused();
  await page.selectOption(ids.support(2, 'role'), 'maintainer');
  await page.fill(ids.support(2, 'name'), 'Telecomunicaciones Ibéricas (guardia)');
  await page.fill(ids.support(2, 'email'), VALID_CUSTOMER.supports[0].email.toUpperCase());
  await pressNext(page);
  const message = 'Support contact 3 has the same role and email address as support contact 1';
  expect(await summaryTexts(page)).toEqual([message]);
  await expect(supportGroupErrors(page)).toHaveText([new RegExp(message)]);
  await page.locator('#error-summary').getByRole('link', { name: message }).click();
  await expect(page.locator(ids.support(2, 'email'))).toBeFocused();

  // Same email with a different role is fine.
  await page.selectOption(ids.support(2, 'role'), 'other');
  await expect(supportGroupErrors(page)).toHaveCount(0);
  await expect(page.locator('#error-summary')).toHaveCount(0);
  await pressNext(page);
  await expect(page).toHaveURL(new RegExp(`/onboarding/${id}/gateway`));
});

test('zero admin contacts are allowed', async ({ page }) => {
  const id = await startNew(page);
  await expect(page.locator('#admin_contacts fieldset')).toHaveCount(0);
  await fillValidCustomer(page, { admins: [] });
  // Adding one and removing it again leaves none, which is still valid.
  await page.getByRole('button', { name: 'Add admin contact', exact: true }).click();
  await expect(page.locator(ids.admin(0, 'first_name'))).toBeFocused();
  await page.getByRole('button', { name: 'Remove admin contact 1', exact: true }).click();
  await expect(page.locator('#admin_contacts fieldset')).toHaveCount(0);
  await pressNext(page);
  await expectGateway(page, id);
});

test('a valid Customer step goes to Gateway and the stepper shows progress', async ({ page }) => {
  const id = await startNew(page);
  const progress = page.getByRole('navigation', { name: 'Progress', exact: true });
  await expect(progress.getByRole('listitem')).toHaveText([/Customer/, /Gateway/, /PBX/, /Connect/, /Review/]);
  await expect(progress.locator('li[aria-current="step"]')).toHaveText(/Customer/);

  await fillValidCustomer(page);
  await pressNext(page);
  await expectGateway(page, id);
  await expect(page).toHaveTitle('Configure the customer site – Partner onboarding');

  const items = progress.getByRole('listitem');
  await expect(items.nth(0)).not.toHaveAttribute('aria-current', 'step');
  await expect(items.nth(0)).toContainText('completed');
  await expect(items.nth(1)).toHaveAttribute('aria-current', 'step');
  await expect(items.nth(1)).toContainText('Gateway');
  await expect(items.nth(1)).not.toContainText('completed');
  await expect(progress.locator('[aria-current="step"]')).toHaveCount(1);

  // The completed step is a link back to it, with everything as the user left it.
  await progress.getByRole('link', { name: /Customer/ }).click();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${id}/customer`));
  await expect(page.locator(ids.name)).toHaveValue(VALID_CUSTOMER.name);
  await expect(page.locator(ids.country)).toHaveValue('ES');
  await expect(page.locator(ids.support(1, 'email'))).toHaveValue(VALID_CUSTOMER.supports[1].email);
});

test('browser Back and Forward move between steps with everything kept', async ({ page }) => {
  const id = await startNew(page);
  await fillValidCustomer(page);
  await pressNext(page);
  await expectGateway(page, id);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${id}/customer`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter customer information');
  await expect(page.locator(ids.name)).toHaveValue(VALID_CUSTOMER.name);
  await expect(page.locator(ids.admin(0, 'email'))).toHaveValue(VALID_CUSTOMER.admins[0].email);
  await expect(page.locator(ids.support(0, 'role'))).toHaveValue('maintainer');
  await page.goForward();
  await expectGateway(page, id);
});

// Guards the app's work-around for a leptos_router bug: after a popstate (browser Back then
// Forward), following an in-app link rendered the target step but left the address bar behind.
test('after browser Back and Forward, the Back link still updates the address bar', async ({ page }) => {
  const id = await startNew(page);
  await fillValidCustomer(page);
  await pressNext(page);
  await expectGateway(page, id);
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${id}/customer`));
  await page.goForward();
  await expectGateway(page, id);

  await page.getByRole('link', { name: 'Back', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter customer information');
  await expect(page).toHaveURL(new RegExp(`/onboarding/${id}/customer`));
  // What the address bar says is what a reload shows.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter customer information');
});
