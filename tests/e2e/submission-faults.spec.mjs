// How a submission behaves when the backend or the network misbehaves. Faults are injected
// with Playwright request routing in front of the real reference backend. After every fault
// the page says what happened in plain words and the draft on the device is read back: every
// answer typed is still there, exactly (`expectDraftIntact`).
import { test, expect, fetchAsBrowser, partnerKey } from './fixtures.mjs';
import {
  completeToReview, expectDraftIntact, expectFieldError, expectStep, storedDraft, storedOnboarding, waitForAutosave,
} from './helpers.mjs';

const API = '**/api/onboardings';

async function confirmedId(page) {
  await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
  return (await page.locator('#onboarding-id').textContent()).trim();
}

test('a 422 on a contact email puts the error on that field of the Customer step', async ({ page }) => {
  const typed = await completeToReview(page, 'pbx');
  const { draftId } = typed;
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
  await expectDraftIntact(page, typed, 'after a 422');
  await page.fill('#admin_contacts-0-email', 'lucia@sonrisa.example.es');
  await expect(page.locator('#admin_contacts-0-email-error')).toHaveCount(0);
});

test('a 500 then success: the draft is kept, retried with a countdown, one onboarding created', async ({ page, request }) => {
  const typed = await completeToReview(page, 'pbx');
  const { draftId } = typed;
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
  await expectDraftIntact(page, typed, 'after a 500');
  const id = await confirmedId(page);
  expect(calls).toBe(2);
  expect(keys).toEqual([draftId, draftId]);
  // Replaying what reached the backend answers the same onboarding: there is exactly one.
  const replay = await request.post('/api/onboardings', { headers: { 'Content-Type': 'application/json', 'Idempotency-Key': draftId, Authorization: `Bearer ${partnerKey()}` }, data: bodies[0] });
  expect(replay.status()).toBe(201);
  expect((await replay.json()).id).toBe(id);
  expect((await storedOnboarding(request, id)).onboarding.draft_id).toBe(draftId);
});

test('network failure (backend down): Retry now sends at once; a second click while sending sends nothing', async ({ page }) => {
  const typed = await completeToReview(page, 'pbx');
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
  await expect(page.locator('#submission-problem')).toContainText('safe on this device');
  await expectDraftIntact(page, typed, 'after a refused connection');
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
  await expect(page.locator('#submission-status [data-state="offline"]')).toContainText('waiting on this page');
  await page.waitForTimeout(500);
  expect(calls).toBe(0);
  expect(await storedDraft(page, draftId)).not.toBeNull();
  // The outbox stays visible on the other steps.
  await page.getByRole('navigation', { name: 'Progress' }).getByRole('link', { name: /Customer/ }).click();
  await expectStep(page, 'customer');
  await expect(page.locator('#submission-status [data-state="offline"]')).toContainText('waiting on this page');
  await context.setOffline(false);
  const id = await confirmedId(page);
  expect(calls).toBe(1);
  expect((await storedOnboarding(request, id)).onboarding.draft_id).toBe(draftId);
});

test('a 409 keeps the draft and says plainly that it was already submitted, with no retry', async ({ page }) => {
  const typed = await completeToReview(page, 'pbx');
  await page.route(API, (route) => route.fulfill({ status: 409, contentType: 'application/json', body: '{"errors":[]}' }));
  await page.locator('#next').click();
  await expect(page.locator('#submission-problem')).toContainText('already accepted an onboarding from this draft');
  await expect(page.locator('#copy-to-new')).toBeVisible();
  await expect(page.locator('#retry-now')).toHaveCount(0);
  await expectDraftIntact(page, typed, 'after a 409');
});

test('a 502 with an HTML body: "error 502" in plain words, none of the HTML shown or run; the draft is intact', async ({ page }) => {
  await page.addInitScript(() => { window.__pwned = 'untouched'; });
  const typed = await completeToReview(page, 'pbx');
  const html = '<!doctype html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>'
    + '<hr><center>nginx/1.25.3</center><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2"></body></html>';
  let calls = 0;
  await page.route(API, (route) => { calls += 1; return route.fulfill({ status: 502, contentType: 'text/html', body: html }); });
  await page.locator('#next').click();
  const problem = page.locator('#submission-problem');
  await expect(problem).toContainText('The partner system had a problem (error 502)');
  await expect(problem).toContainText('safe on this device');
  await expect(page.locator('#submission-countdown')).toContainText(/Trying again in \d+ s/);
  for (const text of ['Bad Gateway', 'nginx', '<html', 'doctype']) await expect(page.locator('body')).not.toContainText(text);
  await expect(page.locator('main img, main center, main hr')).toHaveCount(0);
  expect(await page.evaluate(() => window.__pwned)).toBe('untouched');
  await expectDraftIntact(page, typed, 'after a 502');
  expect(calls).toBeGreaterThanOrEqual(1);
});

test('a 201 whose JSON is cut short is not taken for success; the draft is intact; Retry now gets the same onboarding', async ({ page, request }) => {
  const typed = await completeToReview(page, 'pbx');
  let real = null;
  let calls = 0;
  await page.route(API, async (route) => {
    calls += 1;
    if (calls > 1) return route.continue();
    // The backend really takes it; the answer is lost half-way.
    const response = await fetchAsBrowser(route);
    real = await response.json();
    const body = JSON.stringify(real);
    return route.fulfill({ status: 201, contentType: 'application/json', body: body.slice(0, body.indexOf(real.id) + 8) });
  });
  await page.locator('#next').click();
  const problem = page.locator('#submission-problem');
  await expect(problem).toContainText('an answer the wizard does not understand (status 201)');
  await expect(problem).toContainText('safe on this device');
  await expectStep(page, 'review');
  // A 2xx it cannot read is not retried by itself: the partner decides, with Retry now.
  await expect(page.locator('#submission-countdown')).toContainText('Automatic retries have stopped');
  await expectDraftIntact(page, typed, 'after a truncated 201');
  expect(real?.status).toBe('received');
  await page.locator('#retry-now').click();
  const id = await confirmedId(page);
  // The same Idempotency-Key and body: the backend answers the onboarding it already holds.
  expect(id).toBe(real.id);
  expect(calls).toBe(2);
  expect((await storedOnboarding(request, id)).onboarding.draft_id).toBe(typed.draftId);
});

test('a 422 naming fields the form does not have is shown plainly on Review, not swallowed; the draft is intact', async ({ page }) => {
  const typed = await completeToReview(page, 'pbx');
  let calls = 0;
  await page.route(API, (route) => {
    calls += 1;
    if (calls > 1) return route.continue();
    return route.fulfill({
      status: 422,
      contentType: 'application/json',
      body: JSON.stringify({ errors: [
        // A field under a section the wizard knows, and one under a section it does not.
        { field: 'customer.vat_number', code: 'required', message: 'Enter a value' },
        { field: 'billing.iban', code: 'brand_new_rule', message: 'Not an IBAN' },
      ] }),
    });
  });
  await page.locator('#next').click();
  await expect(page.locator('#error-summary')).toBeFocused();
  await expectStep(page, 'review');
  await expect(page).toHaveTitle(/^Error: /);
  const links = page.locator('#error-summary a');
  await expect(links).toHaveCount(2);
  for (const [i, field] of [[0, 'customer.vat_number'], [1, 'billing.iban']]) {
    await expect(links.nth(i)).toContainText('The partner system did not accept an answer that this wizard does not ask for');
    await expect(links.nth(i)).toContainText(field);
    await expect(links.nth(i)).toContainText('safe on this device');
    // The way forward is Submit again: the link goes there, not to a field that is not on the page.
    await expect(links.nth(i)).toHaveAttribute('href', '#next');
  }
  await links.first().click();
  await expect(page.locator('#next')).toBeFocused();
  await expectDraftIntact(page, typed, 'after a 422 about unknown fields');
  // Sending again (this time the backend takes it) goes through.
  await page.locator('#next').click();
  await confirmedId(page);
  expect(calls).toBe(2);
});

test.describe('a slow partner system', () => {
  /** To Review with the browser's clock under the test's control from there on. */
  async function reviewWithPausedClock(page) {
    await page.clock.install();
    const typed = await completeToReview(page, 'pbx');
    await waitForAutosave(page, typed.draftId, (w) => w.current_step === 'review');
    await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1000));
    return typed;
  }

  test('30 s: after 5 s the page says it is still waiting; at the 20 s limit it says so and retries; the draft is intact', async ({ page }) => {
    const typed = await reviewWithPausedClock(page);
    let calls = 0;
    let answer;
    const slowAnswer = new Promise((resolve) => { answer = resolve; });
    await page.route(API, async (route) => {
      calls += 1;
      if (calls > 1) return route.continue();
      await slowAnswer; // answers at "30 s", after the page has given up on it
      return route.fulfill({ status: 201, contentType: 'application/json', body: '{"id":"too-late","status":"received"}' }).catch(() => {});
    });
    await page.locator('#next').click();
    await expect(page.locator('#submission-status')).toContainText('Sending the onboarding');
    await expect(page.locator('#submission-slow')).toHaveCount(0);
    await page.clock.fastForward(5_500);
    await expect(page.locator('#submission-slow')).toHaveText(
      'Still waiting for the partner system. Your answers are safe on this device. If there is no answer 20 s after sending, the wizard will say so and try again.');
    await expectDraftIntact(page, typed, 'while waiting');
    await page.clock.fastForward(15_000); // 20.5 s after sending
    await expect(page.locator('#submission-problem')).toContainText('did not answer in time');
    await expect(page.locator('#submission-problem')).toContainText('safe on this device');
    await expect(page.locator('#submission-countdown')).toContainText(/Trying again in \d+ s/);
    await expect(page.locator('#retry-now')).toBeVisible();
    await expectDraftIntact(page, typed, 'after the time limit');
    answer();
    await page.clock.fastForward(10_000); // "30 s": the late answer is not taken, the retry is due
    const id = await confirmedId(page);
    expect(id).not.toBe('too-late');
    expect(calls).toBe(2);
  });

  test('8 s: the still-waiting line, then the answer is taken as usual', async ({ page }) => {
    await reviewWithPausedClock(page);
    let answer;
    const slowAnswer = new Promise((resolve) => { answer = resolve; });
    await page.route(API, async (route) => { await slowAnswer; return route.continue(); });
    await page.locator('#next').click();
    await page.clock.fastForward(8_000);
    await expect(page.locator('#submission-slow')).toContainText('Still waiting for the partner system');
    answer();
    await confirmedId(page);
  });
});
