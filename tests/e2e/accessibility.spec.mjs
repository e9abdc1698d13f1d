// axe-core WCAG 2.2 A/AA scans of every state of the pages built so far, in both languages.
import { test, expect, partnerId } from './fixtures.mjs';
import {
  startNew, openStart, fillValidCustomer, fillGateway, fillPbx, pressNext, axeCheck, ids, waitForAutosave, expectStep, later,
} from './helpers.mjs';

for (const lang of ['en', 'es']) {
  const q = `?lang=${lang}`;
  test.describe(`${lang}`, () => {
    test('start page without drafts', async ({ page }) => {
      await openStart(page, q);
      await expect(page.locator('#no-drafts')).toBeVisible();
      await axeCheck(page, `start page (${lang}, no drafts)`);
    });

    test('start page with drafts, a problem notice and the delete dialog', async ({ page }) => {
      const draftId = await startNew(page, q);
      await page.fill(ids.name, 'Clínica Dental Sonrisa');
      await waitForAutosave(page, draftId, (w) => w.customer.name === 'Clínica Dental Sonrisa');
      await page.evaluate((p) => localStorage.setItem(`onboarding-wizard:drafts:${p}:bad`, '{oops'), partnerId());
      await openStart(page, q);
      await expect(page.locator('table#drafts tbody tr')).toHaveCount(1);
      await expect(page.locator('.draft-problem')).toHaveCount(1);
      await axeCheck(page, `start page (${lang}, with drafts)`);
      await page.locator('table#drafts tbody tr button').click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await axeCheck(page, `start page delete dialog (${lang})`);
    });

    test('Customer step, clean and filled in', async ({ page }) => {
      await startNew(page, q);
      await axeCheck(page, `Customer step (${lang}, new)`);
      await fillValidCustomer(page, {
        admins: [
          { first_name: 'Lucía', last_name: 'Fernández', email: 'lucia@sonrisa.example.es' },
          { first_name: 'Diego', last_name: 'Navarro', email: 'diego@sonrisa.example.es' },
        ],
      });
      await axeCheck(page, `Customer step (${lang}, filled)`);
    });

    test('Customer step with errors shown', async ({ page }) => {
      await startNew(page, q);
      await page.getByRole('button', { name: lang === 'en' ? 'Add admin contact' : 'Agregar contacto de administración' }).click();
      await page.fill(ids.admin(0, 'email'), 'not-an-email');
      await page.selectOption(ids.support(0, 'role'), 'other');
      await page.selectOption(ids.support(1, 'role'), 'other');
      await pressNext(page);
      await expect(page.locator('#error-summary')).toBeFocused();
      await expect(page.locator('#support_contacts-error .error-message')).toHaveCount(2);
      await axeCheck(page, `Customer step (${lang}, errors)`);
    });

    test('Cancel dialog open', async ({ page }) => {
      await startNew(page, q);
      await page.fill(ids.name, 'Clínica Dental Sonrisa');
      await page.locator('#cancel').click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await axeCheck(page, `Cancel dialog (${lang})`);
    });

    test('every later step of the PBX path, empty with errors and filled, Review and the confirmation', async ({ page }) => {
      await startNew(page, q);
      await fillValidCustomer(page);
      await pressNext(page);
      await expectStep(page, 'gateway');
      await axeCheck(page, `Gateway step (${lang}, new)`);
      await page.locator(later.sameAddress).uncheck();
      await pressNext(page);
      await expect(page.locator('#error-summary')).toBeFocused();
      await axeCheck(page, `Gateway step (${lang}, errors, site address open)`);
      await page.locator(later.sameAddress).check();
      await fillGateway(page);
      await pressNext(page);
      await expectStep(page, 'pbx');
      await axeCheck(page, `PBX step (${lang}, new)`);
      await page.fill(later.port, '70000');
      await pressNext(page);
      await axeCheck(page, `PBX step (${lang}, errors)`);
      await fillPbx(page);
      await pressNext(page);
      await expectStep(page, 'connect');
      await page.fill(later.certificate, 'not a certificate');
      await pressNext(page);
      await expect(page.locator('#pbx-certificate_pem-error')).toBeVisible();
      await axeCheck(page, `Connect step (${lang}, errors)`);
      await page.fill(later.certificate, '');
      await pressNext(page);
      await expectStep(page, 'review');
      await axeCheck(page, `Review (${lang})`);
      await page.locator('#next').click();
      await expect(page).toHaveURL(/\/submitted/);
      await axeCheck(page, `confirmation (${lang})`);
    });

    test('Sync step, and a submission problem shown on Review', async ({ page }) => {
      await startNew(page, q);
      await fillValidCustomer(page);
      await pressNext(page);
      await fillGateway(page, { platform: 'smbc' });
      await pressNext(page);
      await expectStep(page, 'sync');
      await axeCheck(page, `Sync step (${lang})`);
      await pressNext(page);
      await expectStep(page, 'review');
      await page.route('**/api/onboardings', (route) => route.fulfill({ status: 503, body: '' }));
      await page.locator('#next').click();
      await expect(page.locator('#retry-now')).toBeVisible();
      await axeCheck(page, `Review with a submission problem (${lang})`);
    });
  });
}
