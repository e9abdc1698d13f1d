// The suite's `test`: every test starts signed in, as a partner is in real use. Standalone, by a
// sign-in link (the backend's `HttpOnly` cookie lands in the browser context, so every page of
// the test is signed in); embedded tests mint a session for their host's `onboarding.init`
// with `mintSession` and opt out of the cookie with `test.use({ signIn: null })`.
//
// Each test is a partner of its own (added with the backend's CLI, named "Demo Partner"), so the
// drafts its account keeps are its own: tests run in parallel and in any order. The demo
// dashboard's tests use the partner the e2e server command creates (playwright.config.mjs), whose
// key the dashboard's server holds: `test.use({ ownPartner: false })`. Keys are used here, on the
// test's side, as a partner's own server would use them; they never reach a page.
import { test as base, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PARTNER_NAME = 'Demo Partner';
export const API = `${process.env.E2E_BASE_URL || 'http://127.0.0.1:8089'}/api`;

function demoKey() {
  return process.env.E2E_PARTNER_KEY || readFileSync(resolve(repoRoot, 'target/e2e/demo-partner.key'), 'utf8').trim();
}

// The running test's partner (a worker runs one test at a time).
let current = null;

/** The running test's partner id: its drafts' storage namespace on the device. */
export function partnerId() {
  return current?.id ?? 'demo';
}

/** The running test's partner's secret key. */
export function partnerKey() {
  return current?.key ?? demoKey();
}

function runCli(args) {
  return spawnSync(resolve(repoRoot, 'target/release/partner-backend'), ['--db', resolve(repoRoot, 'target/e2e/onboarding.db'), 'partners', ...args], { encoding: 'utf8' });
}

/** A partner of the test's own, named like the demo partner. */
function addPartner(testId) {
  const id = `t-${testId.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 40)}`;
  let result = runCli(['add', id, '--name', PARTNER_NAME]);
  if (result.status !== 0) result = runCli(['rotate', id]);
  if (result.status !== 0) throw new Error(`partners add ${id}: ${result.stderr}`);
  return { id, key: result.stdout.trim() };
}

async function partnerCall(request, path, body, key = partnerKey()) {
  const response = await request.post(`${API}${path}`, { headers: { Authorization: `Bearer ${key}` }, data: body });
  if (response.status() !== 201) throw new Error(`${path}: ${response.status()} ${await response.text()}`);
  return response.json();
}

/** A session for an embedded wizard's init, as the partner's server mints it (with `key`, another
 * partner's). */
export async function mintSession(request, { role = 'partner', user = 'e2e', key } = {}) {
  return (await partnerCall(request, '/sessions', { role, user }, key)).session;
}

/** Another partner in the e2e server's database (added, or its key rotated if it exists); its
 * secret key. */
export function otherPartnerKey(id = 'other-partner') {
  let result = runCli(['add', id, '--name', 'Other Partner']);
  if (result.status !== 0) result = runCli(['rotate', id]);
  if (result.status !== 0) throw new Error(`partners add/rotate ${id}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A one-time sign-in link (`{url, expires_at}`) for the standalone wizard. */
export async function signInLink(request, { role = 'partner', draftId } = {}) {
  return partnerCall(request, '/signin-links', { role, ...(draftId ? { draft_id: draftId } : {}) });
}

/** Signs the page's browser context in through a sign-in link, without loading the app. */
export async function signIn(page, options = {}) {
  const { url } = await signInLink(page.request, options);
  const answer = await page.request.get(url, { maxRedirects: 0 });
  if (answer.status() !== 303) throw new Error(`sign-in link: ${answer.status()}`);
  const cookies = await page.context().cookies();
  if (!cookies.some((c) => c.name === 'onboarding_session')) throw new Error('sign-in link set no session cookie');
}

/** Makes the page see a backend without sessions (`GET /session` is 404), where role and partner
 * come from the address or the host, as before sessions existed. */
export async function withoutSessions(page) {
  await page.route('**/api/session', (route) => route.fulfill({
    status: 404, contentType: 'application/json', body: '{"errors":[{"field":"","code":"not_found","message":"Not found"}]}',
  }));
}

/** `route.fetch()` as the browser itself would send it: Playwright replays the request from
 * outside the browser, without the `Sec-Fetch-Site` header the browser adds, and the backend
 * takes the session cookie only on a same-origin request. */
export function fetchAsBrowser(route) {
  return route.fetch({ headers: { ...route.request().headers(), 'sec-fetch-site': 'same-origin' } });
}

export const test = base.extend({
  /** 'partner' (default), 'account_admin', or null for a test that starts signed out. */
  signIn: ['partner', { option: true }],
  /** Whether the test is a partner of its own (else the demo partner the dashboard signs in as). */
  ownPartner: [!process.env.E2E_BASE_URL, { option: true }],
  page: async ({ page, signIn: role, ownPartner }, use, testInfo) => {
    current = ownPartner ? addPartner(testInfo.testId) : null;
    if (role) await signIn(page, { role });
    await use(page);
    current = null;
  },
});

export { expect };
