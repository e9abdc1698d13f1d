// The PBX password lives in the page's memory only: no storage entry ever holds it, and after a
// reload the field is empty, required, and the page says why.
import { test, expect } from './fixtures.mjs';
import {
  VALID_PBX, allStorage, completeToReview, expectFieldError, expectStep, later, pressNext, storedDraft, waitForAutosave,
} from './helpers.mjs';

test('no storage entry ever holds the password, through autosave, Save and return and Next', async ({ page }) => {
  const { draftId } = await completeToReview(page, 'pbx');
  await waitForAutosave(page, draftId, (w) => w.current_step === 'review');
  const check = async (when) => {
    const entries = await allStorage(page);
    expect(entries.length, `entries ${when}`).toBeGreaterThan(0);
    for (const e of entries) expect(e, `storage entry ${when}`).not.toContain(VALID_PBX.password);
    // Not under any encoding a JSON writer would use either.
    for (const e of entries) expect(e).not.toContain('S3cr3t');
  };
  await check('after autosave');
  await page.getByRole('link', { name: 'Change Password' }).click();
  await page.fill(later.password, `${VALID_PBX.password}-changed`);
  await page.waitForTimeout(1200); // past the autosave window
  await check('after editing the password');
  await page.locator('#save-and-return').click();
  await expect(page.locator('#start-new')).toBeVisible();
  await check('after Save and return');
  expect(JSON.stringify(await storedDraft(page, draftId))).not.toContain('password');
});

test('after a reload the password is empty, required, and the page says why', async ({ page }) => {
  const { draftId } = await completeToReview(page, 'pbx');
  await waitForAutosave(page, draftId, (w) => w.current_step === 'review');
  await page.reload();
  await expectStep(page, 'review');
  await expect(page.locator('.summary-list__row', { hasText: 'Password' })).toContainText('Not entered');
  // Submit checks every step: it goes to PBX, where the field is empty and explained.
  await page.locator('#next').click();
  await expectStep(page, 'pbx');
  await expect(page.locator(later.password)).toHaveValue('');
  await expect(page.locator(later.host)).toHaveValue(VALID_PBX.host);
  await expect(page.locator('#pbx-password-not-kept')).toContainText('never saved on this device');
  await expectFieldError(page, 'pbx-password', 'Enter the password');
  await page.fill(later.password, 'new secret');
  await expect(page.locator('#pbx-password-not-kept')).toHaveCount(0);
  await pressNext(page);
  await expectStep(page, 'review');
});
