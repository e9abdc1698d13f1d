// Drafts survive storage that fills up, throws, holds a corrupt entry or one from a newer
// version, and two tabs on one draft never overwrite each other silently. After each fault the
// draft is read back from localStorage: every answer typed is there.
import { test, expect, partnerId } from './fixtures.mjs';
import {
  DRAFT_PREFIX, VALID_CUSTOMER, fillValidCustomer, ids, openStart, pressNext, startNew, storedDraft, waitForAutosave, expectStep,
} from './helpers.mjs';

/** The Customer-step answers of a stored working copy, in the shape `fillValidCustomer` takes. */
function customerAnswers(w) {
  const a = w.customer.address;
  return {
    name: w.customer.name, street: a.street, street2: a.street2, city: a.city, region: a.region, postal: a.postal_code,
    country: a.country, businessType: w.customer.business_type, language: w.customer.default_language,
    admins: w.admin_contacts.map(({ first_name, last_name, email }) => ({ first_name, last_name, email })),
    supports: w.support_contacts.map(({ role, name, email }) => ({ role, name, email })),
  };
}

/** Polls the device until the draft holds exactly these Customer-step answers. */
async function expectCustomerOnDevice(page, draftId, expected, when) {
  await expect.poll(async () => {
    const d = await storedDraft(page, draftId);
    return d && customerAnswers(d.working);
  }, { message: `the draft on the device ${when}` }).toEqual(expected);
}

for (const [what, error] of [['a full device (quota)', 'QuotaExceededError'], ['writes that throw (storage revoked)', 'SecurityError']]) {
test(`${what}: editing goes on in memory with a visible warning, and the device catches up with every answer`, async ({ page }) => {
  await page.addInitScript((error) => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (window.__full && key.startsWith('onboarding-wizard:drafts')) {
        throw new DOMException('The device refused the write.', error);
      }
      return setItem.call(this, key, value);
    };
  }, error);
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Clínica antes');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Clínica antes');
  await page.evaluate(() => { window.__full = true; });
  await page.fill(ids.name, 'Clínica llena');
  await expect(page.locator('#storage-notice')).toContainText('could not be saved on this device');
  // The device still has the last version it took; the page has the new one and keeps it
  // through step changes.
  expect((await storedDraft(page, draftId)).working.customer.name).toBe('Clínica antes');
  await fillValidCustomer(page, { name: 'Clínica llena' });
  await pressNext(page);
  await expectStep(page, 'gateway');
  await page.locator('.back-link').click();
  await expectStep(page, 'customer');
  await expect(page.locator(ids.name)).toHaveValue('Clínica llena');
  await expect(page.locator(ids.city)).toHaveValue('Madrid');
  // Space again: the next save writes everything, and the warning goes.
  await page.evaluate(() => { window.__full = false; });
  await page.fill(ids.street2, '3º derecha');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Clínica llena' && w.customer.address.street2 === '3º derecha');
  await expect(page.locator('#storage-notice')).toHaveCount(0);
  // Everything typed while the device refused is on it now.
  await expectCustomerOnDevice(page, draftId, { ...VALID_CUSTOMER, name: 'Clínica llena', street2: '3º derecha' }, 'after it took writes again');
});
}

test('storage that throws on access (blocked, sandboxed): editing works in memory with a warning', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
  });
  await startNew(page);
  await expect(page.locator('#storage-notice')).toContainText('does not let the wizard keep drafts on this device');
  await fillValidCustomer(page);
  await pressNext(page);
  await expectStep(page, 'gateway');
  await page.locator('.back-link').click();
  await expect(page.locator(ids.name)).toHaveValue('Clínica Dental Sonrisa');
});

test('storage that throws on access, then comes back: the next save puts every answer on the device', async ({ page }) => {
  await page.addInitScript(() => {
    const real = Object.getOwnPropertyDescriptor(window, 'localStorage');
    window.__blocked = true;
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        if (window.__blocked) throw new DOMException('denied', 'SecurityError');
        return real.get.call(window);
      },
    });
  });
  const draftId = await startNew(page);
  await expect(page.locator('#storage-notice')).toContainText('does not let the wizard keep drafts on this device');
  const typed = await fillValidCustomer(page);
  await page.waitForTimeout(600); // past the autosave delay: the save goes to memory
  expect(await page.evaluate(() => { window.__blocked = false; const n = localStorage.length; window.__blocked = true; return n; })).toBe(0);
  // The browser lets storage be used again; the next edit's save writes the whole draft.
  await page.evaluate(() => { window.__blocked = false; });
  await page.fill(ids.street2, '4º B');
  await expectCustomerOnDevice(page, draftId, { ...typed, street2: '4º B' }, 'once storage is back');
  await expect(page.locator('#storage-notice')).toHaveCount(0);
});

test('a corrupt entry and one from a newer version beside a good draft: both reported and kept as they were; the good draft intact', async ({ page }) => {
  const draftId = await startNew(page);
  const typed = await fillValidCustomer(page);
  await expectCustomerOnDevice(page, draftId, typed, 'before the faults');
  const raw = (id) => page.evaluate((key) => localStorage.getItem(key), `${DRAFT_PREFIX}${partnerId()}:${id}`);
  const good = await raw(draftId);
  const futureId = '7d1f3c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b';
  const future = JSON.stringify({
    schema_version: 99, updated_at: Date.now(), working: { id: futureId, customer: { name: 'Hotel del futuro' }, loyalty_tier: 'gold' }, saved: null,
  });
  const corrupt = '{"schema_version":1,"updated_at":1,"working":{"id":"cut-short';
  await page.evaluate(([prefix, futureId, future, corrupt]) => {
    localStorage.setItem(`${prefix}${futureId}`, future);
    localStorage.setItem(`${prefix}corrupt-one`, corrupt);
  }, [`${DRAFT_PREFIX}${partnerId()}:`, futureId, future, corrupt]);

  await openStart(page);
  const problems = page.locator('.draft-problem');
  await expect(problems).toHaveCount(2);
  await expect(problems.filter({ hasText: 'A saved draft could not be read' })).toHaveCount(1);
  await expect(problems.filter({ hasText: 'made by a newer version of the wizard. It has been kept as it is.' })).toHaveCount(1);
  await expect(page.locator('table#drafts tbody tr')).toHaveText([new RegExp(VALID_CUSTOMER.name)]);
  // The newer entry is left byte for byte; the corrupt one is moved aside unchanged.
  expect(await raw(futureId)).toBe(future);
  const aside = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes(':corrupt:')).map((k) => localStorage.getItem(k)));
  expect(aside).toEqual([corrupt]);
  // Opening the newer draft explains and writes nothing over it.
  await page.goto(`/onboarding/${futureId}/customer`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This draft cannot be opened');
  await expect(page.locator('#customer-name')).toHaveCount(0);
  await page.waitForTimeout(600);
  expect(await raw(futureId)).toBe(future);
  // The good draft: exactly as it was (the account's marks aside: its copy was sent meanwhile),
  // and it still opens with every answer.
  const withoutMarks = (text) => { const { account_version, unsent, ...rest } = JSON.parse(text); return rest; };
  expect(withoutMarks(await raw(draftId))).toEqual(withoutMarks(good));
  await page.goto(`/onboarding/${draftId}/customer`);
  await expect(page.locator(ids.name)).toHaveValue(typed.name);
  await expect(page.locator(ids.support(1, 'email'))).toHaveValue(typed.supports[1].email);
  await expectCustomerOnDevice(page, draftId, typed, 'after the faults');
});

test('two tabs: an idle tab takes the other tab\'s changes and says so', async ({ context }) => {
  const a = await context.newPage();
  const draftId = await startNew(a);
  await a.fill(ids.name, 'Versión A');
  await waitForAutosave(a, draftId, (w) => w.customer.name === 'Versión A');
  const b = await context.newPage();
  await b.goto(a.url());
  await expect(b.locator(ids.name)).toHaveValue('Versión A');
  await a.fill(ids.city, 'Toledo');
  await waitForAutosave(a, draftId, (w) => w.customer.address.city === 'Toledo');
  await expect(b.locator(ids.city)).toHaveValue('Toledo');
  await expect(b.locator('#tabs-notice')).toContainText('updated with changes made in another tab');
  await expect(b.locator('#conflict-dialog')).not.toBeVisible();
});

/**
 * `page` types into a field and, in the same task, another tab's save of `change` lands. It is
 * one task so the typing tab's 400 ms autosave cannot run in between on a slow machine: the
 * edit is still unsaved when the storage event arrives. The write is real (the other page gets
 * its own storage event); this page gets the event the browser would have sent it.
 */
async function typeWhileOtherTabSaves(page, fieldId, value, draftId, change) {
  await page.evaluate(([fieldId, value, id, change]) => {
    const el = document.getElementById(fieldId);
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
    const key = Object.keys(localStorage).find((k) => k.endsWith(`:${id}`) && k.includes(':drafts:'));
    const oldValue = localStorage.getItem(key);
    const entry = JSON.parse(oldValue);
    Object.assign(entry.working.customer, change.customer ?? {});
    Object.assign(entry.working.customer.address, change.address ?? {});
    entry.updated_at = Date.now();
    const newValue = JSON.stringify(entry);
    localStorage.setItem(key, newValue);
    window.dispatchEvent(new StorageEvent('storage', { key, oldValue, newValue, storageArea: localStorage, url: location.href }));
  }, [fieldId, value, draftId, change]);
}

test('two tabs editing: the tab with unsaved edits asks which version wins, and nothing is overwritten before', async ({ context }) => {
  const a = await context.newPage();
  const draftId = await startNew(a);
  await a.fill(ids.name, 'Base');
  await waitForAutosave(a, draftId, (w) => w.customer.name === 'Base');
  const b = await context.newPage();
  await b.goto(a.url());
  await expect(b.locator(ids.name)).toHaveValue('Base');

  // B has an edit of its own in flight when A's save arrives.
  await typeWhileOtherTabSaves(b, 'customer-address-city', 'Cuenca', draftId, { customer: { name: 'Desde A' } });
  const dialog = b.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('This draft was changed in another tab');
  // While the question is open, B writes nothing over A's version.
  await b.waitForTimeout(900);
  let stored = await storedDraft(a, draftId);
  expect(stored.working.customer.name).toBe('Desde A');
  expect(stored.working.customer.address.city).toBe('');
  // B keeps its version: it is written, and A (idle) takes it and says so.
  await b.getByRole('button', { name: "Keep this tab's version" }).click();
  await waitForAutosave(b, draftId, (w) => w.customer.address.city === 'Cuenca' && w.customer.name === 'Base');
  await expect(a.locator(ids.city)).toHaveValue('Cuenca');
  await expect(a.locator('#tabs-notice')).toBeVisible();

  // Now A has an edit in flight and takes the other version instead.
  await typeWhileOtherTabSaves(a, 'customer-name', 'A otra vez', draftId, { address: { street: 'Calle B' } });
  await expect(a.getByRole('dialog')).toBeVisible();
  await a.getByRole('button', { name: "Use the other tab's version" }).click();
  await expect(a.locator(ids.street)).toHaveValue('Calle B');
  await expect(a.locator(ids.name)).toHaveValue('Base');
  stored = await storedDraft(a, draftId);
  expect(stored.working.customer.address.street).toBe('Calle B');
  expect(stored.working.customer.name).toBe('Base');
});
