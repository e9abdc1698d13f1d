// axe-core WCAG 2.2 A/AA scans of every state of the pages built so far, in both languages.
import { test, expect } from '@playwright/test';
import { startNew, openStart, fillValidCustomer, pressNext, axeCheck, ids, waitForAutosave } from './helpers.mjs';

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
      await page.evaluate(() => localStorage.setItem('onboarding-wizard:drafts:_:bad', '{oops'));
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

    test('Gateway step after a valid Customer step', async ({ page }) => {
      await startNew(page, q);
      await fillValidCustomer(page);
      await pressNext(page);
      await expect(page).toHaveURL(/\/gateway/);
      await axeCheck(page, `Gateway step (${lang})`);
    });
  });
}
