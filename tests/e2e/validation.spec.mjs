// The error pattern of the Customer step: summary, inline messages, focus, title, live
// re-validation once Next has been pressed.
import { test, expect } from './fixtures.mjs';
import { startNew, pressNext, summaryTexts, inlineError, expectFieldError, expectNoFieldError, ids } from './helpers.mjs';

const REQUIRED_ERRORS = [
  ['customer-name', 'Enter the customer name'],
  ['customer-address-street', 'Enter the street address'],
  ['customer-address-city', 'Enter the city'],
  ['customer-address-country', 'Select the country'],
  ['customer-business_type', 'Select the business type'],
  ['support_contacts-0-name', 'Enter the name of support contact 1'],
  ['support_contacts-0-email', 'Enter the email address of support contact 1'],
  ['support_contacts-1-name', 'Enter the name of support contact 2'],
  ['support_contacts-1-email', 'Enter the email address of support contact 2'],
];

test('every field has the visible label the spec names', async ({ page }) => {
  await startNew(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter customer information');
  const labels = {
    'Customer name': 'customer-name',
    'Street address': 'customer-address-street',
    'Address line 2': 'customer-address-street2',
    City: 'customer-address-city',
    'State / Province': 'customer-address-region',
    'Postal / ZIP code': 'customer-address-postal_code',
    Country: 'customer-address-country',
    'Business type': 'customer-business_type',
    'Default language': 'customer-default_language',
  };
  for (const [label, id] of Object.entries(labels)) {
    await expect(page.locator(`label[for="${id}"]`), label).toHaveText(label);
    await expect(page.getByLabel(label, { exact: true }), label).toHaveAttribute('id', id);
  }
  await expect(page.locator('#customer-business_type-hint')).toContainText('only for statistics');
  // Three groups, each a fieldset with a legend.
  for (const legend of ['Customer information', 'Admin contacts', 'Support contacts']) {
    await expect(page.getByRole('group', { name: legend, exact: true })).toBeVisible();
  }
  // A new onboarding starts with an empty Maintainer row and an empty On-site administrator row.
  await expect(page.getByRole('group', { name: 'Support contact 1', exact: true })).toBeVisible();
  await expect(page.locator(ids.support(0, 'role'))).toHaveValue('maintainer');
  await expect(page.locator(ids.support(1, 'role'))).toHaveValue('onsite_admin');
  await expect(page.locator(ids.support(0, 'role')).locator('option:checked')).toHaveText('Maintainer');
  await expect(page.locator(ids.support(1, 'role')).locator('option:checked')).toHaveText('On-site administrator');
  await expect(page.locator(ids.support(0, 'name'))).toHaveValue('');
  // Countries are stored as ISO alpha-2.
  await expect(page.locator(`${ids.country} option[value="ES"]`)).toHaveText('Spain');
});

test('no errors show before the first Next', async ({ page }) => {
  await startNew(page);
  await page.fill(ids.name, 'x'.repeat(101));
  await page.fill(ids.postal, '!!');
  await expect(page.locator('#error-summary')).toHaveCount(0);
  await expect(page.locator('.error-message')).toHaveCount(0);
  await expect(page.locator('[aria-invalid="true"]')).toHaveCount(0);
  expect(await page.title()).toBe('Enter customer information – Partner onboarding');
});

test('empty Next shows a focused error summary that matches the inline errors', async ({ page }) => {
  await startNew(page);
  await pressNext(page);

  const summary = page.locator('#error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText('There is a problem');
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page).toHaveTitle('Error: Enter customer information – Partner onboarding');
  // Still on the Customer step.
  await expect(page).toHaveURL(/\/customer(\?|$)/);

  const texts = await summaryTexts(page);
  expect(texts).toEqual(expect.arrayContaining(REQUIRED_ERRORS.map(([, m]) => m)));
  expect(texts[0]).toBe('Enter the customer name');

  // Every summary entry: a link to its field, the same words inline, the field marked invalid.
  const links = page.locator('#error-summary a');
  const count = await links.count();
  expect(count).toBe(texts.length);
  for (let i = 0; i < count; i++) {
    const href = await links.nth(i).getAttribute('href');
    expect(href, `summary link ${i}`).toMatch(/^#[\w-]+$/);
    const id = href.slice(1);
    expect(await inlineError(page, id), `inline message of ${id}`).toBe(texts[i]);
    await expectFieldError(page, id, texts[i]);
  }
  for (const [id, message] of REQUIRED_ERRORS) await expectFieldError(page, id, message);

  // Optional fields are not marked.
  await expectNoFieldError(page, 'customer-address-street2');
  await expectNoFieldError(page, 'customer-default_language');
});

test('summary links move focus to their fields', async ({ page }) => {
  await startNew(page);
  await pressNext(page);
  await expect(page.locator('#error-summary')).toBeFocused();
  for (const [id, message] of [
    ['customer-address-city', 'Enter the city'],
    ['customer-business_type', 'Select the business type'],
    ['support_contacts-1-email', 'Enter the email address of support contact 2'],
    ['customer-name', 'Enter the customer name'],
  ]) {
    await page.locator('#error-summary').getByRole('link', { name: message, exact: true }).click();
    await expect(page.locator(`#${id}`)).toBeFocused();
    // Focus stays on the field's page: the URL does not change to a fragment.
    expect(new URL(page.url()).hash).toBe('');
  }
});

test('after the first Next, fixing a field removes its error without pressing Next again', async ({ page }) => {
  await startNew(page);
  await pressNext(page);
  await expectFieldError(page, 'customer-name', 'Enter the customer name');
  await expectFieldError(page, 'customer-address-city', 'Enter the city');

  await page.fill(ids.name, 'Clínica Dental Sonrisa');
  await expectNoFieldError(page, 'customer-name');
  // Other errors stay.
  await expectFieldError(page, 'customer-address-city', 'Enter the city');

  await page.selectOption(ids.businessType, 'healthcare');
  await expectNoFieldError(page, 'customer-business_type');

  // Errors also appear live: emptying a fixed field brings its message back.
  await page.fill(ids.name, '   ');
  await expectFieldError(page, 'customer-name', 'Enter the customer name');

  // Fixing a support contact's email clears just that one.
  await page.fill('#support_contacts-0-email', 'soporte@example.es');
  await expectNoFieldError(page, 'support_contacts-0-email');
  await expectFieldError(page, 'support_contacts-1-email', 'Enter the email address of support contact 2');
  await expect(page).toHaveTitle(/^Error: /);
});

test('the error prefix leaves the title once every error is fixed', async ({ page }) => {
  await startNew(page);
  await page.fill(ids.name, 'Clínica Dental Sonrisa');
  await page.fill(ids.street, 'Calle de Alcalá 120');
  await page.fill(ids.city, 'Madrid');
  await page.selectOption(ids.country, 'ES');
  await page.selectOption(ids.businessType, 'healthcare');
  await page.fill('#support_contacts-0-name', 'Telecomunicaciones Ibéricas');
  await page.fill('#support_contacts-0-email', 'soporte@telib.example.es');
  await page.fill('#support_contacts-1-name', 'Javier Moreno');
  await page.fill('#support_contacts-1-email', 'javier@sonrisa.example.es');
  await pressNext(page);
  expect(await summaryTexts(page)).toEqual(['Enter the postal or ZIP code']);
  await expect(page).toHaveTitle(/^Error: /);
  await page.fill(ids.postal, '28009');
  await expect(page.locator('#error-summary')).toHaveCount(0);
  await expect(page).toHaveTitle('Enter customer information – Partner onboarding');
});
