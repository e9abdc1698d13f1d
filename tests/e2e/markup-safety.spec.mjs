// Whatever partners type is shown as text, never interpreted as markup.
import { test, expect } from './fixtures.mjs';
import { startNew, openStart, pressNext, ids, waitForAutosave } from './helpers.mjs';

const PAYLOAD = '<img src=x onerror="window.__xss=1"><b>bold</b>';

async function expectNoInjectedMarkup(page) {
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  await expect(page.locator('body b')).toHaveCount(0);
  await expect(page.locator('body img')).toHaveCount(0);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
}

test('markup typed into names is shown as literal text everywhere', async ({ page }) => {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  const draftId = await startNew(page);
  await page.fill(ids.name, PAYLOAD);
  await page.getByRole('button', { name: 'Add admin contact', exact: true }).click();
  await expect(page.locator(ids.admin(0, 'first_name'))).toBeFocused();
  await page.fill(ids.admin(0, 'first_name'), PAYLOAD);
  await page.fill(ids.admin(0, 'email'), PAYLOAD);
  await page.fill(ids.support(0, 'name'), PAYLOAD);
  await page.fill(ids.support(0, 'email'), `${PAYLOAD}@example.es`);

  // Errors re-render the form (and name the rows).
  await pressNext(page);
  await expect(page.locator('#error-summary')).toBeFocused();
  await expect(page.locator('#admin_contacts-0-email-error')).toBeVisible();
  await expectNoInjectedMarkup(page);
  await expect(page.locator(ids.name)).toHaveValue(PAYLOAD);

  // Reload: values come back from storage as text.
  await waitForAutosave(page, draftId, (w) => w.customer.name === PAYLOAD && w.support_contacts[0].name === PAYLOAD);
  await page.reload();
  await expect(page.locator(ids.name)).toHaveValue(PAYLOAD);
  await expect(page.locator(ids.admin(0, 'first_name'))).toHaveValue(PAYLOAD);
  await expect(page.locator(ids.support(0, 'name'))).toHaveValue(PAYLOAD);
  await expectNoInjectedMarkup(page);

  // The start page lists the name as text, in the table, link names and the delete dialog.
  await openStart(page);
  const cell = page.locator('table#drafts tbody tr td').first();
  await expect(cell).toHaveText(PAYLOAD);
  expect(await cell.evaluate((td) => td.childElementCount)).toBe(0);
  await expect(page.getByRole('link', { name: `Resume ${PAYLOAD}`, exact: true })).toBeVisible();
  await page.getByRole('button', { name: `Delete ${PAYLOAD}`, exact: true }).click();
  await expect(page.getByRole('dialog')).toContainText(PAYLOAD);
  await expectNoInjectedMarkup(page);
  await page.keyboard.press('Escape');

  // Switching language re-renders every string.
  await page.getByRole('button', { name: 'Español', exact: true }).click();
  await expect(page.locator('table#drafts tbody tr td').first()).toHaveText(PAYLOAD);
  await expectNoInjectedMarkup(page);
  expect(dialogs).toEqual([]);
});
