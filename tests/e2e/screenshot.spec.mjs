// The README's screenshots, filled in for a realistic customer. They are written to
// tests/e2e/.artifacts/screenshots/, or over docs/screenshots/ with UPDATE_SCREENSHOTS=1.
import { test, expect } from './fixtures.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNew, fillValidCustomer, ids, completeToReview } from './helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(here, '..', '..', 'docs', 'screenshots')
  : path.join(here, '.artifacts', 'screenshots');

async function shoot(page, name) {
  // No focus ring or caret in the picture.
  await page.evaluate(() => document.activeElement?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  const target = path.join(dir, name);
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: target, fullPage: true, animations: 'disabled', caret: 'hide' });
  expect(fs.statSync(target).size).toBeGreaterThan(10_000);
}

test('screenshot of a filled-in Customer step for the README', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await startNew(page);
  await fillValidCustomer(page, {
    name: 'Clínica Dental Sonrisa Retiro',
    street: 'Calle de Alcalá 120',
    street2: '2º izquierda',
    city: 'Madrid',
    region: 'Comunidad de Madrid',
    postal: '28009',
    country: 'ES',
    businessType: 'healthcare',
    language: 'es',
    admins: [{ first_name: 'Lucía', last_name: 'Fernández Ortega', email: 'lucia.fernandez@clinicasonrisa.es' }],
    supports: [
      { role: 'maintainer', name: 'Telecomunicaciones Ibéricas S.L.', email: 'soporte@telecomibericas.es' },
      { role: 'onsite_admin', name: 'Javier Moreno Díaz', email: 'javier.moreno@clinicasonrisa.es' },
    ],
  });
  await expect(page.locator(ids.support(1, 'email'))).toHaveValue('javier.moreno@clinicasonrisa.es');
  await shoot(page, 'customer-step.png');
});

test('screenshot of Review (check your answers) for the README', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await completeToReview(page, 'pbx');
  await expect(page.locator('h1')).toHaveText('Check your answers');
  await shoot(page, 'review-step.png');
});
