// Drafts on this device: autosave, reload, closed tabs, the start page list, Delete, corrupt
// entries and partner namespaces.
import { test, expect, withoutSessions, partnerId } from './fixtures.mjs';
import {
  startNew, openStart, fillValidCustomer, ids, storedDraft, storedDrafts, waitForAutosave,
  VALID_CUSTOMER, DRAFT_PREFIX,
} from './helpers.mjs';

test('every answer is autosaved and comes back after a reload', async ({ page }) => {
  const draftId = await startNew(page);
  const c = await fillValidCustomer(page, {
    admins: [
      VALID_CUSTOMER.admins[0],
      { first_name: 'Diego', last_name: 'Navarro', email: 'diego.navarro@sonrisa.example.es' },
    ],
    supports: [
      ...VALID_CUSTOMER.supports,
      { role: 'other', name: 'Recepción', email: 'recepcion@sonrisa.example.es' },
    ],
  });
  await waitForAutosave(page, draftId, (w) =>
    w.customer.name === c.name &&
    w.customer.default_language === 'es' &&
    w.admin_contacts.length === 2 && w.admin_contacts[1].email === c.admins[1].email &&
    w.support_contacts.length === 3 && w.support_contacts[2].email === c.supports[2].email);

  // The stored entry has the documented shape, with the country as alpha-2.
  const stored = await storedDraft(page, draftId);
  expect(stored.schema_version).toBeGreaterThanOrEqual(1);
  expect(typeof stored.updated_at).toBe('number');
  expect(stored.saved).toBeNull();
  expect(stored.working.customer.address.country).toBe('ES');
  expect(stored.working.customer.business_type).toBe('healthcare');
  expect(stored.working.support_contacts.map((s) => s.role)).toEqual(['maintainer', 'onsite_admin', 'other']);
  const keys = (await storedDrafts(page)).map((e) => e.key);
  expect(keys).toEqual([`${DRAFT_PREFIX}${partnerId()}:${draftId}`]);

  await page.reload();
  await expect(page.locator(ids.name)).toHaveValue(c.name);
  await expect(page.locator(ids.street)).toHaveValue(c.street);
  await expect(page.locator(ids.street2)).toHaveValue(c.street2);
  await expect(page.locator(ids.city)).toHaveValue(c.city);
  await expect(page.locator(ids.region)).toHaveValue(c.region);
  await expect(page.locator(ids.postal)).toHaveValue(c.postal);
  await expect(page.locator(ids.country)).toHaveValue('ES');
  await expect(page.locator(ids.country).locator('option:checked')).toHaveText('Spain');
  await expect(page.locator(ids.businessType)).toHaveValue('healthcare');
  await expect(page.locator(ids.language)).toHaveValue('es');
  await expect(page.locator('#admin_contacts fieldset')).toHaveCount(2);
  for (let i = 0; i < 2; i++) {
    for (const f of ['first_name', 'last_name', 'email']) {
      await expect(page.locator(ids.admin(i, f))).toHaveValue(c.admins[i][f]);
    }
  }
  await expect(page.locator('#support_contacts fieldset')).toHaveCount(3);
  for (let i = 0; i < 3; i++) {
    await expect(page.locator(ids.support(i, 'role'))).toHaveValue(c.supports[i].role);
    await expect(page.locator(ids.support(i, 'name'))).toHaveValue(c.supports[i].name);
    await expect(page.locator(ids.support(i, 'email'))).toHaveValue(c.supports[i].email);
  }
});

test('a value typed just before the tab is closed survives (flushed on pagehide)', async ({ page, context }) => {
  const draftId = await startNew(page);
  const url = page.url();
  // Type and close at once, well inside the autosave delay.
  await page.fill(ids.name, 'Óptica Castellana');
  const closed = page.waitForEvent('close');
  await page.close({ runBeforeUnload: true });
  await closed;

  const again = await context.newPage();
  await again.goto(url);
  await expect(again.locator(ids.name)).toHaveValue('Óptica Castellana');
  const stored = await storedDraft(again, draftId);
  expect(stored?.working.customer.name).toBe('Óptica Castellana');
});

test('a value typed just before the tab is hidden is saved', async ({ page }) => {
  const draftId = await startNew(page);
  await page.fill(ids.city, 'Valladolid');
  // What the browser does when the user switches tabs or minimises the window.
  await page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  const stored = await storedDraft(page, draftId);
  expect(stored?.working.customer.address.city).toBe('Valladolid');
});

test('the start page lists the draft and Resume opens it', async ({ page }) => {
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Ferretería López');
  await page.fill(ids.city, 'Sevilla');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Ferretería López' && w.customer.address.city === 'Sevilla');

  await openStart(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Customer onboardings');
  const table = page.locator('table#drafts');
  await expect(table.getByRole('columnheader')).toHaveText(['Customer', 'Step', 'Last edited', 'Actions']);
  const row = table.locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.locator('td').nth(0)).toHaveText('Ferretería López');
  await expect(row.locator('td').nth(1)).toHaveText(/^Customer/);
  // Where it is kept: on this device (sent to the account in the background).
  await expect(row.locator('.kept-in')).toContainText('On this device');
  await expect(row.locator('td').nth(2)).toHaveText(/\d/);

  await page.getByRole('link', { name: 'Resume Ferretería López', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/customer`));
  await expect(page.locator(ids.name)).toHaveValue('Ferretería López');
  await expect(page.locator(ids.city)).toHaveValue('Sevilla');
});

test('a draft on a later step is listed at that step and resumes there', async ({ page }) => {
  const draftId = await startNew(page);
  await fillValidCustomer(page, { name: 'Panadería Ruiz' });
  await page.locator('#next').click();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/gateway`));
  await waitForAutosave(page, draftId, (w) => w.current_step === 'gateway');
  await openStart(page);
  const row = page.locator('table#drafts tbody tr', { hasText: 'Panadería Ruiz' });
  await expect(row.locator('td').nth(1)).toHaveText(/^Gateway/);
  await page.getByRole('link', { name: 'Resume Panadería Ruiz', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/gateway`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Configure the customer site');
});

test('Delete removes a draft after confirmation', async ({ page }) => {
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Bodegas Ortega');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Bodegas Ortega');
  await openStart(page);

  // Keep draft keeps it.
  await page.getByRole('button', { name: 'Delete Bodegas Ortega', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this draft?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Bodegas Ortega');
  await dialog.getByRole('button', { name: 'Keep draft', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('table#drafts tbody tr')).toHaveCount(1);
  expect(await storedDraft(page, draftId)).not.toBeNull();

  await page.getByRole('button', { name: 'Delete Bodegas Ortega', exact: true }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Delete draft', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('table#drafts')).toHaveCount(0);
  await expect(page.getByText('There are no drafts on this device.')).toBeVisible();
  expect(await storedDraft(page, draftId)).toBeNull();
  // Stays deleted after a reload.
  await page.reload();
  await expect(page.getByText('There are no drafts on this device.')).toBeVisible();
});

test('on a 360 px phone the drafts list fits the screen, Resume and Delete included, in English and Spanish', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const name of ['Acme Dental Clinic Barcelona', 'Clínica Veterinaria Ñandú']) {
    const draftId = await startNew(page);
    await page.fill(ids.name, name);
    await waitForAutosave(page, draftId, (w) => w.customer.name === name);
  }
  for (const [query, resume, del] of [['', 'Resume', 'Delete'], ['?lang=es', 'Reanudar', 'Eliminar']]) {
    await openStart(page, query);
    await expect(page.locator('table#drafts tbody tr')).toHaveCount(2);
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth }));
    expect(widths.page, `${query || 'en'}: no sideways scrolling`).toBeLessThanOrEqual(widths.screen);
    // Every Resume link and Delete button lies wholly within the screen's width (the table
    // scrolling inside its region would pass the page check but hide them).
    for (const name of ['Acme Dental Clinic Barcelona', 'Clínica Veterinaria Ñandú']) {
      for (const control of [page.getByRole('link', { name: `${resume} ${name}`, exact: true }),
        page.getByRole('button', { name: `${del} ${name}`, exact: true })]) {
        const box = await control.boundingBox();
        expect(box.x, `${query || 'en'}: ${name}`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${query || 'en'}: ${name}`).toBeLessThanOrEqual(widths.screen);
      }
    }
  }
});

test('a corrupt stored draft is reported on the start page and the app still works', async ({ page }) => {
  await page.addInitScript((p) => {
    if (!sessionStorage.getItem('e2e-seeded')) {
      sessionStorage.setItem('e2e-seeded', '1');
      localStorage.setItem(`onboarding-wizard:drafts:${p}:bad`, '{oops');
    }
  }, partnerId());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openStart(page);
  const problem = page.locator('.draft-problem');
  await expect(problem).toHaveCount(1);
  await expect(problem).toContainText('A saved draft could not be read');
  // Kept aside, not silently dropped.
  const kept = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.endsWith(':bad')).map((k) => localStorage.getItem(k)));
  expect(kept).toEqual(['{oops']);
  // Reported again on a later visit.
  await page.reload();
  await expect(page.locator('.draft-problem')).toHaveCount(1);

  // The rest of the app works.
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Librería Cervantes');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Librería Cervantes');
  await openStart(page);
  await expect(page.locator('table#drafts tbody tr')).toHaveText([/Librería Cervantes/]);
  await expect(page.locator('.draft-problem')).toHaveCount(1);
  expect(errors).toEqual([]);
});

// Signed in, the session's partner decides (embedding.spec covers two partners' sessions); the
// address decides against a backend without sessions.
test("against a backend without sessions, drafts of one partner are not listed for another", async ({ page }) => {
  await withoutSessions(page);
  const draftId = await startNew(page, '?partner_id=a');
  await expect(page).toHaveURL(/partner_id=a/);
  await page.fill(ids.name, 'Cliente del socio A');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Cliente del socio A');
  const keys = (await storedDrafts(page)).map((e) => e.key);
  expect(keys).toEqual([`${DRAFT_PREFIX}a:${draftId}`]);

  await openStart(page, '?partner_id=b');
  await expect(page.locator('table#drafts')).toHaveCount(0);
  await expect(page.getByText('There are no drafts on this device.')).toBeVisible();
  await expect(page.getByText('Cliente del socio A')).toHaveCount(0);

  await openStart(page);
  await expect(page.getByText('Cliente del socio A')).toHaveCount(0);

  await openStart(page, '?partner_id=a');
  await expect(page.locator('table#drafts tbody tr')).toHaveText([/Cliente del socio A/]);
  await page.getByRole('link', { name: 'Resume Cliente del socio A' }).click();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/customer\\?.*partner_id=a`));
  await expect(page.locator(ids.name)).toHaveValue('Cliente del socio A');
});

test.describe('opening a draft whose stored entry is corrupt', () => {
  const id = '0b5c1f9e-8f6a-4c1e-9c39-2a4f7f0e2a11';
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(([p, id]) => {
      if (!sessionStorage.getItem('e2e-seeded')) {
        sessionStorage.setItem('e2e-seeded', '1');
        localStorage.setItem(`onboarding-wizard:drafts:${p}:${id}`, '{oops');
      }
    }, [partnerId(), id]);
  });

  test('explains the problem, keeps the entry and offers a way back', async ({ page }) => {
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`/onboarding/${id}/customer`);
    await expect(page.locator('main')).toContainText('A saved draft could not be read');
    // Nothing is overwritten: no form to autosave over the entry.
    await expect(page.locator('#customer-name')).toHaveCount(0);
    expect(await page.evaluate(([p, id]) => localStorage.getItem(`onboarding-wizard:drafts:${p}:${id}`), [partnerId(), id])).toBe('{oops');
    await page.getByRole('link', { name: 'Go to your drafts' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Customer onboardings');
    await expect(page.locator('.draft-problem')).toHaveCount(1);
    expect(errors).toEqual([]);
  });

  // Once showed an unfilled "{reason}" placeholder as "could not be read ()".
  test('the message has no empty "()" where the reason should be', async ({ page }) => {
    await page.goto(`/onboarding/${id}/customer`);
    await expect(page.locator('main')).toContainText('A saved draft could not be read');
    await expect(page.locator('main')).not.toContainText('()');
  });
});
