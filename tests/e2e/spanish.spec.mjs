// Spanish interface: the seed's terms, the language switcher and the browser language.
import { test, expect } from './fixtures.mjs';
import { startNew, openStart, pressNext, summaryTexts, supportGroupErrors, ids, expectFieldError } from './helpers.mjs';

test('?lang=es shows the Customer step in the words of the seed', async ({ page }) => {
  await openStart(page, '?lang=es');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Incorporaciones de clientes');
  await expect(page.getByRole('button', { name: 'Iniciar nueva incorporación', exact: true })).toBeVisible();

  await startNew(page, '?lang=es');
  await expect(page).toHaveURL(/lang=es/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ingrese la información del cliente');
  await expect(page).toHaveTitle(/^Ingrese la información del cliente/);
  for (const name of ['Siguiente', 'Cancelar', 'Guardar y volver', 'Agregar contacto de administración', 'Agregar contacto de soporte']) {
    await expect(page.getByRole('button', { name, exact: true }), name).toBeVisible();
  }
  await expect(page.locator('fieldset > legend')).toContainText([
    'Información del cliente', 'Contactos de administración', 'Contactos de soporte',
  ]);
  await expect(page.getByRole('navigation', { name: 'Progreso', exact: true })).toBeVisible();
  for (const [label, id] of [
    ['Nombre del cliente', 'customer-name'], ['Dirección', 'customer-address-street'],
    ['Dirección (línea 2)', 'customer-address-street2'], ['Ciudad', 'customer-address-city'],
    ['Estado / Provincia', 'customer-address-region'], ['Código postal', 'customer-address-postal_code'],
    ['País', 'customer-address-country'], ['Tipo de negocio', 'customer-business_type'],
    ['Idioma predeterminado', 'customer-default_language'],
  ]) {
    await expect(page.locator(`label[for="${id}"]`)).toHaveText(label);
  }
  await expect(page.locator(`label[for="support_contacts-0-role"]`)).toHaveText('Tipo');
  await expect(page.locator(ids.support(0, 'role')).locator('option')).toHaveText(['Mantenedor', 'Administrador en el sitio', 'Otros']);
  await expect(page.locator(ids.support(1, 'role')).locator('option:checked')).toHaveText('Administrador en el sitio');
  await expect(page.getByRole('group', { name: 'Contacto de soporte 2', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Eliminar contacto de soporte 1', exact: true })).toBeVisible();

  // Country names in Spanish, values still ISO alpha-2.
  await expect(page.locator(`${ids.country} option[value="DE"]`)).toHaveText('Alemania');
  await expect(page.locator(`${ids.country} option[value="ES"]`)).toHaveText('España');
  await expect(page.locator(`${ids.businessType} option[value="healthcare"]`)).toHaveText('Salud');

  // Errors in Spanish.
  await page.selectOption(ids.support(0, 'role'), 'other');
  await page.selectOption(ids.support(1, 'role'), 'other');
  await pressNext(page);
  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('heading')).toHaveText('Hay un problema');
  await expect(page).toHaveTitle(/^Error: Ingrese la información del cliente/);
  await expect(supportGroupErrors(page)).toHaveCount(2);
  await expect(supportGroupErrors(page).nth(0)).toContainText('Agregue al menos un Mantenedor');
  await expect(supportGroupErrors(page).nth(1)).toContainText('Agregue al menos un Administrador en el sitio');
  const texts = await summaryTexts(page);
  expect(texts).toEqual(expect.arrayContaining([
    'Ingrese el nombre del cliente', 'Agregue al menos un Mantenedor', 'Agregue al menos un Administrador en el sitio',
  ]));
  await expectFieldError(page, 'customer-name', 'Ingrese el nombre del cliente');
});

test('the language switcher changes the language in place and keeps typed values', async ({ page }) => {
  const draftId = await startNew(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.fill(ids.name, 'Academia Cervantes');
  await page.fill(ids.city, 'Salamanca');
  await page.selectOption(ids.country, 'ES');
  await page.selectOption(ids.businessType, 'education');
  await page.getByRole('button', { name: 'Add admin contact', exact: true }).click();
  await expect(page.locator(ids.admin(0, 'first_name'))).toBeFocused();
  await page.fill(ids.admin(0, 'first_name'), 'Inés');
  await page.selectOption(ids.support(1, 'role'), 'other');
  await pressNext(page);
  await expect(page.locator('#error-summary h2')).toHaveText('There is a problem');
  const lastNameError = page.locator(`${ids.admin(0, 'last_name')}-error`);
  await expect(lastNameError).toContainText('Enter the last name of admin contact 1');
  await expect(page.locator(`${ids.street}-error`)).toContainText('Enter the street address');

  const english = page.getByRole('button', { name: 'English', exact: true });
  const spanish = page.getByRole('button', { name: 'Español', exact: true });
  await expect(english).toHaveAttribute('aria-pressed', 'true');
  await spanish.click();
  await expect(spanish).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ingrese la información del cliente');
  // Same draft, same page: no reload, values kept.
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/customer\\?lang=es`));
  await expect(page.locator(ids.name)).toHaveValue('Academia Cervantes');
  await expect(page.locator(ids.city)).toHaveValue('Salamanca');
  await expect(page.locator(ids.country)).toHaveValue('ES');
  await expect(page.locator(ids.country).locator('option:checked')).toHaveText('España');
  await expect(page.locator(ids.businessType).locator('option:checked')).toHaveText('Educación');
  await expect(page.locator(ids.admin(0, 'first_name'))).toHaveValue('Inés');
  await expect(page.locator(ids.support(1, 'role')).locator('option:checked')).toHaveText('Otros');
  // Shown errors are translated too.
  await expect(page.locator('#error-summary h2')).toHaveText('Hay un problema');
  await expect(supportGroupErrors(page)).toContainText(['Agregue al menos un Administrador en el sitio']);
  // Inline messages and the summary's links too, the row's number kept.
  await expect(lastNameError).toContainText('Ingrese el apellido del contacto de administración 1');
  await expect(page.locator(`${ids.street}-error`)).toContainText('Ingrese la dirección');
  await expect(page.locator('#error-summary a', { hasText: 'Ingrese el apellido del contacto de administración 1' })).toHaveAttribute('href', '#admin_contacts-0-last_name');
  await expect(page.locator('#error-summary a', { hasText: 'Enter' })).toHaveCount(0);
  await expect(page).toHaveTitle(/^Error: Ingrese la información del cliente/);

  // The choice survives a reload.
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ingrese la información del cliente');
  await expect(page.locator(ids.name)).toHaveValue('Academia Cervantes');

  await page.getByRole('button', { name: 'English', exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enter customer information');
  await expect(page.locator(ids.country).locator('option:checked')).toHaveText('Spain');
  await expect(page.locator(ids.name)).toHaveValue('Academia Cervantes');
});

test.describe('browser language Spanish', () => {
  test.use({ locale: 'es-ES' });

  test('without ?lang the interface is Spanish', async ({ page }) => {
    await openStart(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'es');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Incorporaciones de clientes');
    await startNew(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ingrese la información del cliente');
    await expect(page.getByRole('button', { name: 'Siguiente', exact: true })).toBeVisible();
    await expect(page.locator(`${ids.country} option[value="DE"]`)).toHaveText('Alemania');
  });

  test('?lang=en overrides the browser language', async ({ page }) => {
    await openStart(page, '?lang=en');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Customer onboardings');
  });
});
