// Save and return, Cancel and the confirmation dialog.
import { test, expect, signIn, withoutSessions } from './fixtures.mjs';
import { startNew, openStart, ids, storedDraft, storedDrafts, waitForAutosave, draftIdFromUrl } from './helpers.mjs';

async function expectStartPage(page) {
  await expect(page).toHaveURL((u) => new URL(u).pathname === '/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Customer onboardings');
}

test.describe('Save and return visibility', () => {
  for (const [query, visible] of [['', true], ['?role=partner', true], ['?role=account_admin', false]]) {
    test(`${query || 'default role'}: Save and return ${visible ? 'shown' : 'absent'}`, async ({ page }) => {
      // Signed in, the session's role decides; the address carries it along as well.
      if (!visible) await signIn(page, { role: 'account_admin' });
      await startNew(page, query);
      const save = page.getByRole('button', { name: 'Save and return', exact: true });
      if (visible) await expect(save).toBeVisible();
      else await expect(save).toHaveCount(0);
      await expect(page.getByRole('button', { name: 'Next', exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeVisible();
      if (query === '?role=account_admin') {
        // The role is carried along: internal links keep it.
        await expect(page).toHaveURL(/role=account_admin/);
        await page.reload();
        await expect(page.locator('#cancel')).toBeVisible();
        await expect(save).toHaveCount(0);
      }
    });
  }
});

test('Save and return goes to the dashboard and the draft is listed', async ({ page }) => {
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Farmacia Central');
  await page.fill(ids.city, 'Zaragoza');
  // No waiting for autosave: Save and return saves by itself; an incomplete draft is fine.
  await page.getByRole('button', { name: 'Save and return', exact: true }).click();
  await expectStartPage(page);
  await expect(page.locator('table#drafts tbody tr')).toHaveText([/Farmacia Central/]);
  const stored = await storedDraft(page, draftId);
  expect(stored.saved?.customer?.name).toBe('Farmacia Central');
  expect(stored.working.customer.address.city).toBe('Zaragoza');
});

test('moving between the start page and the wizard puts focus on the new page\'s heading, not the document', async ({ page }) => {
  // The page the browser loads keeps the browser's own focus.
  await openStart(page);
  await expect(page.locator('body')).toBeFocused();
  // Start new onboarding: the Customer step's heading.
  await page.locator('#start-new').press('Enter');
  await expect(page.locator('#step-heading')).toBeFocused();
  const draftId = draftIdFromUrl(page.url());
  await page.fill(ids.name, 'Óptica Goya');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Óptica Goya');
  // The Back link: the start page's heading. (Save and return loads the dashboard as a new
  // document, whose focus is the browser's.)
  await page.getByRole('link', { name: 'Back', exact: true }).press('Enter');
  await expectStartPage(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  // Resume: the step's heading again.
  await page.getByRole('link', { name: 'Resume Óptica Goya', exact: true }).press('Enter');
  await expect(page.locator('#step-heading')).toBeFocused();
});

test('Cancel on an untouched new onboarding returns at once and leaves no draft', async ({ page }) => {
  await startNew(page);
  let dialogOpened = false;
  await page.exposeFunction('__dialogOpened', () => { dialogOpened = true; });
  await page.evaluate(() => {
    const d = document.querySelector('#cancel-dialog');
    new MutationObserver(() => { if (d.open) window.__dialogOpened(); }).observe(d, { attributes: true });
  });
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectStartPage(page);
  expect(dialogOpened).toBe(false);
  expect(await storedDrafts(page)).toEqual([]);
  await expect(page.getByText('There are no drafts on this device.')).toBeVisible();
});

test('Cancel with changes asks first; Escape keeps editing; Discard deletes a never-saved draft', async ({ page }) => {
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Gestoría Martín');
  await page.fill(ids.street, 'Calle Mayor 5');
  await waitForAutosave(page, draftId, (w) => w.customer.address.street === 'Calle Mayor 5');

  const cancel = page.getByRole('button', { name: 'Cancel', exact: true });
  await cancel.click();
  const dialog = page.getByRole('dialog', { name: 'Discard your changes?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('This onboarding has not been saved');
  await expect(dialog.getByRole('button', { name: 'Discard changes', exact: true })).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Keep editing', exact: true })).toBeFocused();
  expect(await page.evaluate(() => !!document.activeElement?.closest('[role="dialog"]'))).toBe(true);

  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/onboarding/${draftId}/customer`));
  await expect(page.locator(ids.name)).toHaveValue('Gestoría Martín');
  await expect(page.locator(ids.street)).toHaveValue('Calle Mayor 5');
  // Focus goes back to the control that opened the dialog.
  await expect(cancel).toBeFocused();

  // Keep editing also just closes it.
  await cancel.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep editing', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(ids.name)).toHaveValue('Gestoría Martín');

  await cancel.click();
  await dialog.getByRole('button', { name: 'Discard changes', exact: true }).click();
  await expectStartPage(page);
  expect(await storedDraft(page, draftId)).toBeNull();
  await expect(page.getByText('Gestoría Martín')).toHaveCount(0);
  await expect(page.getByText('There are no drafts on this device.')).toBeVisible();
});

test('after Save and return, Cancel discards later edits and restores the saved version', async ({ page }) => {
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Clínica Veterinaria Goya');
  await page.fill(ids.city, 'Madrid');
  await page.getByRole('button', { name: 'Save and return', exact: true }).click();
  await expectStartPage(page);

  // Resume, then Cancel with nothing changed: no question, the draft stays.
  await page.getByRole('link', { name: 'Resume Clínica Veterinaria Goya', exact: true }).click();
  await expect(page.locator(ids.name)).toHaveValue('Clínica Veterinaria Goya');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expectStartPage(page);
  await expect(page.locator('table#drafts tbody tr')).toHaveText([/Clínica Veterinaria Goya/]);

  // Resume, edit, Cancel → Discard: back to the saved answers.
  await page.getByRole('link', { name: 'Resume Clínica Veterinaria Goya', exact: true }).click();
  await page.fill(ids.name, 'Hospital Veterinario Goya');
  await page.fill(ids.city, 'Toledo');
  await page.getByRole('button', { name: 'Add admin contact', exact: true }).click();
  await expect(page.locator(ids.admin(0, 'first_name'))).toBeFocused();
  await page.fill(ids.admin(0, 'first_name'), 'Rosa');
  await waitForAutosave(page, draftId, (w) => w.customer.address.city === 'Toledo' && w.admin_contacts.length === 1);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Discard your changes?' });
  await expect(dialog).toContainText('Changes made since you last used Save and return will be lost.');
  await dialog.getByRole('button', { name: 'Discard changes', exact: true }).click();
  await expectStartPage(page);
  await expect(page.locator('table#drafts tbody tr')).toHaveText([/Clínica Veterinaria Goya/]);
  await expect(page.getByText('Hospital Veterinario Goya')).toHaveCount(0);

  await page.getByRole('link', { name: 'Resume Clínica Veterinaria Goya', exact: true }).click();
  await expect(page.locator(ids.name)).toHaveValue('Clínica Veterinaria Goya');
  await expect(page.locator(ids.city)).toHaveValue('Madrid');
  await expect(page.locator('#admin_contacts fieldset')).toHaveCount(0);
});

test('against a backend without sessions, the dashboard keeps the language, role and partner of the address', async ({ page }) => {
  await withoutSessions(page);
  await startNew(page, '?lang=es&partner_id=p-77');
  await page.fill(ids.name, 'Cliente de prueba');
  await page.getByRole('button', { name: 'Guardar y volver', exact: true }).click();
  await expect(page).toHaveURL((u) => new URL(u).pathname === '/');
  const url = new URL(page.url());
  expect(url.searchParams.get('lang')).toBe('es');
  expect(url.searchParams.get('partner_id')).toBe('p-77');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Incorporaciones de clientes');
  await expect(page.locator('table#drafts tbody tr')).toHaveText([/Cliente de prueba/]);
  await openStart(page, '?lang=es');
  await expect(page.getByText('Cliente de prueba')).toHaveCount(0);
});

test('Discard right after typing leaves no draft behind (no late autosave)', async ({ page }) => {
  const draftId = await startNew(page);
  await page.fill(ids.name, 'Talleres Rápidos');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Discard changes', exact: true }).click();
  await expectStartPage(page);
  await expect(page.getByText('There are no drafts on this device.')).toBeVisible();
  expect(await storedDraft(page, draftId)).toBeNull();
  expect(await storedDrafts(page)).toEqual([]);
});

test('against a backend without sessions, internal links keep lang, role and partner_id', async ({ page }) => {
  await withoutSessions(page);
  const query = '?lang=es&role=account_admin&partner_id=p%2F9';
  const draftId = await startNew(page, query);
  const expectQuery = (href) => {
    const u = new URL(href, 'http://x');
    expect(u.searchParams.get('lang'), href).toBe('es');
    expect(u.searchParams.get('role'), href).toBe('account_admin');
    expect(u.searchParams.get('partner_id'), href).toBe('p/9');
  };
  expectQuery(page.url());
  expectQuery(await page.locator('header a').first().getAttribute('href'));
  expectQuery(await page.getByRole('link', { name: 'Atrás', exact: true }).getAttribute('href'));
  await page.fill(ids.name, 'Cliente con parámetros');
  await waitForAutosave(page, draftId, (w) => w.customer.name === 'Cliente con parámetros');
  await page.getByRole('button', { name: 'Cancelar', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Seguir editando' }).click();
  await page.locator('header a').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Incorporaciones de clientes');
  expectQuery(page.url());
  const resume = page.getByRole('link', { name: 'Reanudar Cliente con parámetros', exact: true });
  expectQuery(await resume.getAttribute('href'));
  await resume.click();
  await expect(page.locator(ids.name)).toHaveValue('Cliente con parámetros');
  expectQuery(page.url());
  await expect(page.locator('#save-and-return')).toHaveCount(0);
});
