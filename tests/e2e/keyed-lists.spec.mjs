// Add-another lists keep each row's own values when a row in the middle is removed. A row keeps
// its element ids for the life of the page (its "slot"): removing a row renumbers what people see
// and hear (legends, Remove buttons' names, error messages), not the ids of every row after it.
import { test, expect } from './fixtures.mjs';
import { startNew, ids, storedDraft, waitForAutosave } from './helpers.mjs';

/** A field of the row at this position, whatever its slot. */
const rowField = (page, list, index, field) =>
  page.locator(`#${list} .contact-list > fieldset`).nth(index).locator(`[id$="-${field}"]:is(input, select)`);

const ADMINS = [
  { first_name: 'Ana', last_name: 'Ruiz', email: 'ana.ruiz@example.es' },
  { first_name: 'Bruno', last_name: 'Sanz', email: 'bruno.sanz@example.es' },
  { first_name: 'Carmen', last_name: 'Vidal', email: 'carmen.vidal@example.es' },
];

async function expectAdminRow(page, index, values) {
  for (const f of ['first_name', 'last_name', 'email']) {
    await expect(rowField(page, 'admin_contacts', index, f), `admin row ${index + 1} ${f}`).toHaveValue(values[f]);
  }
}

test('removing the middle admin contact keeps the other rows and renumbers them', async ({ page }) => {
  const draftId = await startNew(page);
  const add = page.getByRole('button', { name: 'Add admin contact', exact: true });
  for (let i = 0; i < ADMINS.length; i++) {
    await add.click();
    await expect(page.locator(ids.admin(i, 'first_name'))).toBeFocused();
    for (const f of ['first_name', 'last_name', 'email']) await page.fill(ids.admin(i, f), ADMINS[i][f]);
  }
  const rows = page.locator('#admin_contacts fieldset');
  await expect(rows.locator('legend')).toHaveText(['Admin contact 1', 'Admin contact 2', 'Admin contact 3']);

  await page.getByRole('button', { name: 'Remove admin contact 2', exact: true }).click();

  await expect(rows).toHaveCount(2);
  await expect(rows.locator('legend')).toHaveText(['Admin contact 1', 'Admin contact 2']);
  await expectAdminRow(page, 0, ADMINS[0]);
  await expectAdminRow(page, 1, ADMINS[2]);
  // The rows kept their ids: the removed row's are gone, Carmen's row is still slot 2.
  await expect(page.locator(ids.admin(1, 'first_name'))).toHaveCount(0);
  await expect(page.locator(ids.admin(2, 'first_name'))).toHaveValue('Carmen');
  await expect(page.locator('label[for="admin_contacts-2-first_name"]')).toHaveText('First name');
  // Each row's fields are labelled and grouped by its fieldset.
  const second = page.getByRole('group', { name: 'Admin contact 2', exact: true });
  await expect(second.getByLabel('First name', { exact: true })).toHaveValue('Carmen');
  await expect(second.getByLabel('Email', { exact: true })).toHaveValue('carmen.vidal@example.es');
  // Remove buttons renumber with the rows.
  await expect(page.getByRole('button', { name: 'Remove admin contact 1', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove admin contact 2', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Remove admin contact 3', exact: true })).toHaveCount(0);
  // Focus does not get lost: it moves to the Add button.
  await expect(add).toBeFocused();

  // Typing in a renumbered row edits that row only.
  await rowField(page, 'admin_contacts', 1, 'last_name').fill('Vidal Roca');
  await expectAdminRow(page, 0, ADMINS[0]);
  await expectAdminRow(page, 1, { ...ADMINS[2], last_name: 'Vidal Roca' });

  // The stored draft agrees.
  await waitForAutosave(page, draftId, (w) => w.admin_contacts.length === 2 && w.admin_contacts[1].last_name === 'Vidal Roca');
  const stored = await storedDraft(page, draftId);
  expect(stored.working.admin_contacts.map((c) => c.first_name)).toEqual(['Ana', 'Carmen']);

  // Errors follow the renumbered rows: the message says the row's new number, the inline
  // message sits in that row, and the summary link focuses its field.
  await rowField(page, 'admin_contacts', 1, 'email').fill('');
  await page.locator('#next').click();
  const link = page.locator('#error-summary a', { hasText: 'Enter the email address of admin contact 2' });
  await expect(link).toHaveAttribute('href', '#admin_contacts-2-email');
  await expect(second.locator('.error-message')).toContainText('Enter the email address of admin contact 2');
  await expect(rowField(page, 'admin_contacts', 1, 'email')).toHaveAttribute('aria-describedby', 'admin_contacts-2-email-error');
  await link.click();
  await expect(second.getByLabel('Email', { exact: true })).toBeFocused();

  // After a reload the rows' ids are their positions again.
  await page.reload();
  await expect(page.locator(ids.admin(1, 'first_name'))).toHaveValue('Carmen');
  await expect(page.locator(ids.admin(2, 'first_name'))).toHaveCount(0);
});

test('rows numbered in one language renumber in another after a removal; the Remove button shows its word and is named with the number', async ({ page }) => {
  await startNew(page);
  const add = page.getByRole('button', { name: 'Add admin contact', exact: true });
  for (let i = 0; i < 3; i++) await add.click();
  const rows = page.locator('#admin_contacts fieldset');
  await expect(rows.locator('legend')).toHaveText(['Admin contact 1', 'Admin contact 2', 'Admin contact 3']);
  await page.getByRole('button', { name: 'Español' }).click();
  await expect(rows.locator('legend')).toHaveText(['Contacto de administración 1', 'Contacto de administración 2', 'Contacto de administración 3']);

  await page.getByRole('button', { name: 'Eliminar contacto de administración 1', exact: true }).click();

  await expect(rows.locator('legend')).toHaveText(['Contacto de administración 1', 'Contacto de administración 2']);
  const removeButtons = page.locator('#admin_contacts .contact-list > fieldset > button');
  // What is seen is the word; what is heard is the numbered name.
  await expect(removeButtons).toHaveText(['Eliminar', 'Eliminar']);
  for (const n of [1, 2]) {
    await expect(page.getByRole('button', { name: `Eliminar contacto de administración ${n}`, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: /administración 3$/ })).toHaveCount(0);
  // And back: the numbers stay current through a second switch.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(rows.locator('legend')).toHaveText(['Admin contact 1', 'Admin contact 2']);
  await page.getByRole('button', { name: 'Remove admin contact 1', exact: true }).click();
  await expect(rows.locator('legend')).toHaveText(['Admin contact 1']);
  await expect(page.getByRole('button', { name: 'Remove admin contact 1', exact: true })).toBeVisible();
});

test('focus that moved on right after Add stays where it was put; typing goes there', async ({ page }) => {
  await startNew(page);
  // A quick person: Add, then straight into another field before the next frame.
  await page.evaluate(() => {
    document.getElementById('add-admin-contact').click();
    document.getElementById('support_contacts-1-name').focus();
  });
  await expect(page.locator(ids.admin(0, 'first_name'))).toHaveCount(1);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.keyboard.type('Zoe');
  await expect(page.locator(ids.support(1, 'name'))).toBeFocused();
  await expect(page.locator(ids.support(1, 'name'))).toHaveValue('Zoe');
  await expect(page.locator(ids.admin(0, 'first_name'))).toHaveValue('');
  // Without a move in between, Add still takes focus to the new row.
  await page.locator('#add-admin-contact').click();
  await expect(page.locator(ids.admin(1, 'first_name'))).toBeFocused();
});

test('removing the middle support contact keeps roles and values of the other rows', async ({ page }) => {
  await startNew(page);
  const values = [
    { role: 'maintainer', name: 'Telecomunicaciones Ibéricas', email: 'soporte@telib.example.es' },
    { role: 'onsite_admin', name: 'Javier Moreno', email: 'javier@sonrisa.example.es' },
    { role: 'other', name: 'Marta Gil', email: 'marta@sonrisa.example.es' },
  ];
  await page.getByRole('button', { name: 'Add support contact', exact: true }).click();
  await page.getByRole('button', { name: 'Add support contact', exact: true }).click();
  for (let i = 0; i < 4; i++) {
    const v = i < 3 ? values[i] : { role: 'onsite_admin', name: 'Elena Prieto', email: 'elena@sonrisa.example.es' };
    await page.selectOption(ids.support(i, 'role'), v.role);
    await page.fill(ids.support(i, 'name'), v.name);
    await page.fill(ids.support(i, 'email'), v.email);
  }
  await page.getByRole('button', { name: 'Remove support contact 2', exact: true }).click();
  const rows = page.locator('#support_contacts fieldset');
  await expect(rows.locator('legend')).toHaveText(['Support contact 1', 'Support contact 2', 'Support contact 3']);
  const expected = [values[0], values[2], { role: 'onsite_admin', name: 'Elena Prieto', email: 'elena@sonrisa.example.es' }];
  for (let i = 0; i < expected.length; i++) {
    for (const f of ['role', 'name', 'email']) {
      await expect(rowField(page, 'support_contacts', i, f), `support row ${i + 1} ${f}`).toHaveValue(expected[i][f]);
    }
  }
  await expect(rowField(page, 'support_contacts', 1, 'role').locator('option:checked')).toHaveText('Other');
  await expect(page.getByRole('button', { name: /^Remove support contact \d$/ })).toHaveCount(3);
  await expect(page.getByRole('button', { name: 'Remove support contact 4', exact: true })).toHaveCount(0);
  // A new row after a removal takes a fresh slot, never the removed row's ids.
  await page.getByRole('button', { name: 'Add support contact', exact: true }).click();
  await expect(page.locator(ids.support(4, 'role'))).toBeFocused();
  await expect(page.locator(ids.support(1, 'role'))).toHaveCount(0);
  await expect(page.getByRole('group', { name: 'Support contact 4', exact: true }).getByLabel('Role')).toBeFocused();
});
