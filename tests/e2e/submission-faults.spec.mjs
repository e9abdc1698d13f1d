// How a submission behaves when the backend or the network misbehaves. Faults are injected
// with Playwright request routing in front of the real reference backend.
import { test, expect } from '@playwright/test';
import { completeToReview, expectFieldError, expectStep, storedDraft, storedOnboarding } from './helpers.mjs';

const API = '**/api/onboardings';

async function confirmedId(page) {
  await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
  return (await page.locator('#onboarding-id').textContent()).trim();
}

test('a 422 on a contact email puts the error on that field of the Customer step', async ({ page }) => {
  const { draftId } = await completeToReview(page, 'pbx');
  await page.route(API, (route) => route.fulfill({
    status: 422,
    contentType: 'application/json',
    body: JSON.stringify({ errors: [{ field: 'admin_contacts[0].email', code: 'email_format', message: 'bad' }] }),
  }));
  await page.locator('#next').click();
  await expectStep(page, 'customer');
  await expect(page.locator('#error-summary')).toBeFocused();
  await expect(page).toHaveTitle(/^Error: /);
  await expectFieldError(page, 'admin_contacts-0-email', 'Enter the email address of admin contact 1 in the correct format, like name@example.com');
  await page.locator('#error-summary a').first().click();
  await expect(page.locator('#admin_contacts-0-email')).toBeFocused();
  // The draft is intact; correcting the field clears the backend's verdict.
  expect((await storedDraft(page, draftId)).working.admin_contacts[0].email).toBe('lucia.fernandez@sonrisa.example.es');
  await page.fill('#admin_contacts-0-email', 'lucia@sonrisa.example.es');
  await expect(page.locator('#admin_contacts-0-email-error')).toHaveCount(0);
});

test('a 500 then success: the draft is kept, retried with a countdown, one onboarding created', async ({ page, request }) => {
  const { draftId } = await completeToReview(page, 'pbx');
  let calls = 0;
  const bodies = [];
  const keys = [];
  await page.route(API, async (route) => {
    calls += 1;
    keys.push(route.request().headers()['idempotency-key']);
    if (calls === 1) return route.fulfill({ status: 500, contentType: 'text/plain', body: 'boom' });
    bodies.push(route.request().postData());
    return route.continue();
  });
  await page.locator('#next').click();
  await expect(page.locator('#submission-problem')).toContainText('error 500');
  await expect(page.locator('#submission-problem')).toContainText('safe on this device');
  await expect(page.locator('#submission-countdown')).toContainText(/Trying again in \d+ s/);
  expect(await storedDraft(page, draftId)).not.toBeNull();
  const id = await confirmedId(page);
  expect(calls).toBe(2);
  expect(keys).toEqual([draftId, draftId]);
  // Replaying what reached the backend answers the same onboarding: there is exactly one.
  const replay = await request.post('/api/onboardings', { headers: { 'Content-Type': 'application/json', 'Idempotency-Key': draftId }, data: bodies[0] });
  expect(replay.status()).toBe(201);
  expect((await replay.json()).id).toBe(id);
  expect((await storedOnboarding(request, id)).onboarding.draft_id).toBe(draftId);
});

test('network failure: Retry now sends at once; a second click while sending sends nothing', async ({ page }) => {
  await completeToReview(page, 'pbx');
  let calls = 0;
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(API, async (route) => {
    calls += 1;
    if (calls === 1) return route.abort('connectionrefused');
    await held; // the second attempt hangs until the test lets it go
    return route.continue();
  });
  await page.locator('#next').click();
  await expect(page.locator('#submission-problem')).toContainText('connection to the partner system failed');
  await page.locator('#retry-now').click();
  await expect(page.locator('#submission-status')).toContainText('Sending the onboarding');
  await page.locator('#next').click();
  await page.locator('#next').press('Enter');
  await page.waitForTimeout(300);
  expect(calls).toBe(2);
  release();
  await confirmedId(page);
  expect(calls).toBe(2);
});

test('offline: the submission waits in the outbox and is sent by itself when back online', async ({ page, context, request }) => {
  const { draftId } = await completeToReview(page, 'sync');
  let calls = 0;
  await page.route(API, (route) => { calls += 1; return route.continue(); });
  await context.setOffline(true);
  await page.locator('#next').click();
  await expect(page.locator('#submission-status [data-state="offline"]')).toContainText('waiting in the outbox');
  await page.waitForTimeout(500);
  expect(calls).toBe(0);
  expect(await storedDraft(page, draftId)).not.toBeNull();
  // The outbox stays visible on the other steps.
  await page.getByRole('navigation', { name: 'Progress' }).getByRole('link', { name: /Customer/ }).click();
  await expectStep(page, 'customer');
  await expect(page.locator('#submission-status [data-state="offline"]')).toContainText('waiting in the outbox');
  await context.setOffline(false);
  const id = await confirmedId(page);
  expect(calls).toBe(1);
  expect((await storedOnboarding(request, id)).onboarding.draft_id).toBe(draftId);
});

test('a 409 keeps the draft and says plainly what happened', async ({ page }) => {
  const { draftId } = await completeToReview(page, 'pbx');
  await page.route(API, (route) => route.fulfill({ status: 409, contentType: 'application/json', body: '{"errors":[]}' }));
  await page.locator('#next').click();
  await expect(page.locator('#submission-problem')).toContainText('error 409');
  await expect(page.locator('#retry-now')).toBeVisible();
  expect(await storedDraft(page, draftId)).not.toBeNull();
});
