// The rules of the Gateway, PBX and Connect steps as a partner meets them: errors beside the
// fields and in the summary, nothing typed lost, accepted spellings normalised.
import { test, expect } from './fixtures.mjs';
import {
  expectFieldError, expectNoFieldError, expectStep, fillGateway, fillPbx, fillValidCustomer, later, pressNext, startNew,
} from './helpers.mjs';

async function toGateway(page, query = '') {
  const id = await startNew(page, query);
  await fillValidCustomer(page);
  await pressNext(page);
  await expectStep(page, 'gateway');
  return id;
}

test('Gateway: required answers, the site address once unticked, and the MAC format', async ({ page }) => {
  await toGateway(page);
  await expect(page.locator(later.sameAddress)).toBeChecked();
  await page.locator(later.sameAddress).uncheck();
  await page.fill(later.mac, 'AA:BB:CC:DD:EE');
  await pressNext(page);
  await expect(page.locator('#error-summary')).toBeFocused();
  await expectFieldError(page, 'gateway-site_name', 'Enter the site name');
  await expectFieldError(page, 'gateway-site_address-street', 'Enter the street address of the site');
  await expectFieldError(page, 'gateway-site_address-country', 'Select the country of the site');
  await expectFieldError(page, 'gateway-mac_address', 'Enter the gateway MAC address as 6 pairs of digits or letters A to F, like AA:BB:CC:DD:EE:FF or aabb.ccdd.eeff');
  // The platform question is a radio group: its error links to the first radio.
  const link = page.locator('#error-summary a', { hasText: 'Select the platform' });
  await expect(link).toHaveAttribute('href', '#gateway-platform');
  await link.click();
  await expect(page.locator('#gateway-platform')).toBeFocused();
  // SMBC has no MAC address: the field goes, and so does its error; what was typed stays.
  await page.locator(later.platform('smbc')).check();
  await expect(page.locator(later.mac)).toHaveCount(0);
  await expect(page.locator('#error-summary a', { hasText: 'MAC' })).toHaveCount(0);
  await page.locator(later.platform('mivoice_5000')).check();
  await expect(page.locator(later.mac)).toHaveValue('AA:BB:CC:DD:EE');
  await page.fill(later.mac, 'aabbccddeeff');
  await expectNoFieldError(page, 'gateway-mac_address');
  await page.locator(later.sameAddress).check();
  await page.fill(later.siteName, 'Sede');
  await pressNext(page);
  await expectStep(page, 'pbx');
});

test('PBX: host, port range and the required password', async ({ page }) => {
  await toGateway(page);
  await fillGateway(page);
  await pressNext(page);
  await expectStep(page, 'pbx');
  await page.fill(later.host, 'http://pbx');
  await page.fill(later.port, '0');
  await pressNext(page);
  await expectFieldError(page, 'pbx-host', 'Enter the PBX address as an IP address or a host name, like pbx.example.com');
  await expectFieldError(page, 'pbx-port', 'Port must be a whole number from 1 to 65535');
  await expectFieldError(page, 'pbx-username', 'Enter the username');
  await expectFieldError(page, 'pbx-password', 'Enter the password');
  await expect(page.locator(later.password)).toHaveAttribute('type', 'password');
  await fillPbx(page, { host: '2001:db8::10', port: '' });
  await pressNext(page);
  await expectStep(page, 'connect');
  await expect(page.locator(later.useTls)).toBeChecked();
  await page.fill(later.certificate, '-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----');
  await pressNext(page);
  await expectFieldError(page, 'pbx-certificate_pem', 'Enter the PBX certificate as PEM text, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----');
});

test('Spanish: the later steps speak Spanish, errors included', async ({ page }) => {
  await toGateway(page, '?lang=es');
  await expect(page.locator('h1')).toHaveText('Configurar el sitio del cliente');
  await pressNext(page);
  await expect(page.locator('#error-summary h2')).toHaveText('Hay un problema');
  await expectFieldError(page, 'gateway-site_name', 'Ingrese el nombre del sitio');
  await fillGateway(page, { platform: 'va' });
  await expect(page.getByRole('navigation', { name: 'Progreso' }).getByRole('listitem')).toHaveText([/Cliente/, /Gateway/, /Sincronización/, /Revis/]);
  await pressNext(page);
  await expect(page.locator('h1')).toHaveText('Sincronización');
  await expect(page.getByLabel('Todos los usuarios')).toBeChecked();
  await pressNext(page);
  await expect(page.locator('h1')).toHaveText('Revise sus respuestas');
  await expect(page.locator('#next')).toHaveText('Enviar incorporación');
  await expect(page.getByRole('link', { name: 'Cambiar Nombre del sitio' })).toBeVisible();
});
