// Drafts survive storage that fills up or throws, and two tabs on one draft never overwrite
// each other silently.
import { test, expect } from '@playwright/test';
import { fillValidCustomer, ids, pressNext, startNew, storedDraft, waitForAutosave, expectStep } from './helpers.mjs';

test('a full device keeps editing in memory with a visible warning, and catches up when space returns', async ({ page }) => {
  await page.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function (key, value) {
      if (window.__full && key.startsWith('onboarding-wizard:drafts')) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return setItem.call(this, key, value);
    };
  });
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
});

test('storage that throws on access (blocked, sandboxed): editing works in memory with a warning', async ({ page }) => {
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
  });
  await startNew(page);
  await expect(page.locator('#storage-notice')).toContainText('not letting the wizard save drafts');
  await fillValidCustomer(page);
  await pressNext(page);
  await expectStep(page, 'gateway');
  await page.locator('.back-link').click();
  await expect(page.locator(ids.name)).toHaveValue('Clínica Dental Sonrisa');
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
