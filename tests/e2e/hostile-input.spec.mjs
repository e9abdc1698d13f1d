// Hostile input (issue 6, item 1): every case of the shared corpus (tests/corpus/hostile-inputs.json)
// goes into every text field of every step as a user would put it there — `fill`, and a real
// clipboard paste (Ctrl+V) for the multi-line case — then Next. For each case and field:
//   - no script runs: no dialog, no page error, no injected element or event-handler
//     attribute, no request for an injected URL, and the `window.__pwned` canary is untouched;
//   - the field holds exactly what the browser took (a single-line input turns pasted line
//     breaks into spaces; a textarea turns CRLF into LF — Chromium's behaviour, asserted too),
//     and the autosaved draft holds exactly that;
//   - where the value breaks a rule, that field shows the rule's message inline and in the
//     summary (exact text from locales/en.json, exact link), and no other field shows one;
//   - nothing else typed is lost: every field keeps its value after Next;
//   - the values a step accepts are shown on Review as text, each in its own <bdi>, equal to
//     the trimmed value; the onboarding is then submitted to the real backend, which must
//     store each accepted value exactly (trimmed) — the password, which the API never returns,
//     exactly as sent in the request body.
// One test per case: the case goes into all fields of a step at once, the fields that refused
// it are then given valid answers so the next step can be reached.
import { test, expect } from './fixtures.mjs';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  VALID_CUSTOMER, VALID_GATEWAY, VALID_PBX, completeToReview, expectStep, inlineError, later, openStart, startNew, storedOnboarding,
  waitForAutosave,
} from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const corpus = JSON.parse(readFileSync(resolve(here, '../corpus/hostile-inputs.json'), 'utf8'));
const en = JSON.parse(readFileSync(resolve(here, '../../locales/en.json'), 'utf8'));
const es = JSON.parse(readFileSync(resolve(here, '../../locales/es.json'), 'utf8'));

const CASES = corpus.cases.map((c) => ({ id: c.id, value: c.value ?? c.repeat.repeat(c.times) }));

// ---------------------------------------------------------------------------------------------
// The oracle: what the shared Rust rules (crates/onboarding-core/src/validate) say about a value,
// for the kinds of value in the corpus. Where a corpus value could pass a format rule, the
// oracle refuses to guess (it throws): extend it before adding such a case.
// ---------------------------------------------------------------------------------------------

/** Rust's `str::trim`: Unicode White_Space at both ends (JS's trim also strips U+FEFF). */
const rustTrim = (s) => s.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '');
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
const chars = (s) => [...s].length;

/**
 * What the browser keeps of a value put into a field (asserted, not assumed): a textarea turns
 * CRLF into LF; a single-line input turns each line break into a space; an email input also
 * strips surrounding ASCII whitespace (HTML's value sanitisation for type=email).
 */
function asTaken(field, v) {
  if (field.kind === 'certificate') return v.replace(/\r\n?/g, '\n');
  const single = v.replace(/\r\n|\r|\n/g, ' ');
  return field.kind === 'email' ? single.replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '') : single;
}

function undecided(field, t) {
  throw new Error(`the oracle cannot tell whether ${JSON.stringify(t.slice(0, 60))} passes ${field.path}'s format; extend it`);
}

/** The error code the rules give `v` in `field`, or null when it is accepted. */
function verdict(field, v) {
  if (field.kind === 'password') {
    // Used exactly as typed: not trimmed; only empty is missing.
    if (v === '') return 'required';
    if (CONTROL.test(v)) return 'control_characters';
    return chars(v) > 256 ? 'too_long' : null;
  }
  const t = rustTrim(v);
  if (t === '') return field.required ? 'required' : null;
  if (field.kind === 'certificate') {
    if (chars(t) > 65_536) return 'too_long';
    return t.startsWith('-----BEGIN') ? undecided(field, t) : 'certificate_format';
  }
  if (CONTROL.test(t)) return 'control_characters';
  if (field.max && chars(t) > field.max) return 'too_long';
  switch (field.kind) {
    case 'text': return null;
    case 'email': return /^[^@\s]+@[^@\s]+\.[^@\s]+$/u.test(t) ? undecided(field, t) : 'email_format';
    case 'postal': return /^[0-9 -]{4,12}$/.test(t) ? undecided(field, t) : 'postal_code_format';
    case 'mac': return /^[0-9a-f:-]{12,17}$/i.test(t) ? undecided(field, t) : 'mac_format';
    case 'host': return /^[\p{L}\p{N}.:\[\]-]+$/u.test(t) ? undecided(field, t) : 'host_format';
    case 'port': return /^[0-9+-]+$/.test(t) ? undecided(field, t) : 'port_range';
    default: throw new Error(`kind ${field.kind}`);
  }
}

/**
 * The message the wizard must show for `value` in `field`: the locale's text for (field, code),
 * as errors.rs builds it. Both addresses are in Spain here, so a postal-code error says Spain's
 * form; a limit error says how long the answer is (the password untrimmed, others trimmed).
 */
function message(locale, field, code, value) {
  if (code === 'postal_code_format') {
    const key = field.path.startsWith('gateway.site_address') ? 'error.site_postal_form.digits' : 'error.postal_form.digits';
    return locale[key].replace('{count}', '5').replace('{example}', '28013');
  }
  const generic = field.path.replace(/\[\d+\]/, '');
  const template = locale[`error.${generic}.${code}`] ?? locale[`error.code.${code}`];
  if (!template) throw new Error(`no message for ${generic}.${code}`);
  const row = field.path.match(/\[(\d+)\]/);
  const max = { text: field.max, email: 254, host: 253, password: 256, certificate: 65_536 }[field.kind] ?? field.max;
  const text = template.replace('{n}', row ? String(Number(row[1]) + 1) : '').replace('{max}', String(max ?? ''));
  if (code !== 'too_long') return text;
  const len = chars(field.kind === 'password' ? value : rustTrim(value));
  return text + locale['error.too_long_has'].replace('{len}', String(len));
}

// ---------------------------------------------------------------------------------------------
// The fields, in page order. `valid` replaces a refused value; `draft` reads the autosaved
// working copy; `stored` reads the backend's row (`null` where it cannot be read back).
// ---------------------------------------------------------------------------------------------

const SITE = { street: 'Calle Mayor 1', city: 'Sevilla', postal_code: '41001' };

const STEPS = {
  customer: [
    { path: 'customer.name', id: 'customer-name', kind: 'text', required: true, max: 100, valid: VALID_CUSTOMER.name, draft: (w) => w.customer.name, stored: (o) => o.customer.name },
    { path: 'customer.address.street', id: 'customer-address-street', kind: 'text', required: true, max: 200, valid: VALID_CUSTOMER.street, draft: (w) => w.customer.address.street, stored: (o) => o.customer.address.street },
    { path: 'customer.address.street2', id: 'customer-address-street2', kind: 'text', max: 200, valid: '', draft: (w) => w.customer.address.street2, stored: (o) => o.customer.address.street2 },
    { path: 'customer.address.city', id: 'customer-address-city', kind: 'text', required: true, max: 100, valid: VALID_CUSTOMER.city, draft: (w) => w.customer.address.city, stored: (o) => o.customer.address.city },
    // Spain has no required region.
    { path: 'customer.address.region', id: 'customer-address-region', kind: 'text', max: 100, valid: '', draft: (w) => w.customer.address.region, stored: (o) => o.customer.address.region },
    { path: 'customer.address.postal_code', id: 'customer-address-postal_code', kind: 'postal', required: true, valid: VALID_CUSTOMER.postal, draft: (w) => w.customer.address.postal_code, stored: (o) => o.customer.address.postal_code },
    { path: 'admin_contacts[0].first_name', id: 'admin_contacts-0-first_name', kind: 'text', required: true, max: 50, valid: 'Lucía', draft: (w) => w.admin_contacts[0].first_name, stored: (o) => o.admin_contacts[0].first_name },
    { path: 'admin_contacts[0].last_name', id: 'admin_contacts-0-last_name', kind: 'text', required: true, max: 50, valid: 'Fernández', draft: (w) => w.admin_contacts[0].last_name, stored: (o) => o.admin_contacts[0].last_name },
    { path: 'admin_contacts[0].email', id: 'admin_contacts-0-email', kind: 'email', required: true, max: 254, valid: 'lucia@sonrisa.example.es', draft: (w) => w.admin_contacts[0].email, stored: (o) => o.admin_contacts[0].email },
    { path: 'support_contacts[0].name', id: 'support_contacts-0-name', kind: 'text', required: true, max: 100, valid: 'Telecomunicaciones Ibéricas', draft: (w) => w.support_contacts[0].name, stored: (o) => o.support_contacts[0].name },
    { path: 'support_contacts[0].email', id: 'support_contacts-0-email', kind: 'email', required: true, max: 254, valid: 'soporte@telib.example.es', draft: (w) => w.support_contacts[0].email, stored: (o) => o.support_contacts[0].email },
  ],
  gateway: [
    { path: 'gateway.site_name', id: 'gateway-site_name', kind: 'text', required: true, max: 100, valid: VALID_GATEWAY.siteName, draft: (w) => w.gateway.site_name, stored: (o) => o.gateway.site_name },
    { path: 'gateway.site_address.street', id: 'gateway-site_address-street', kind: 'text', required: true, max: 200, valid: SITE.street, draft: (w) => w.gateway.site_address.street, stored: (o) => o.gateway.site_address.street },
    { path: 'gateway.site_address.street2', id: 'gateway-site_address-street2', kind: 'text', max: 200, valid: '', draft: (w) => w.gateway.site_address.street2, stored: (o) => o.gateway.site_address.street2 },
    { path: 'gateway.site_address.city', id: 'gateway-site_address-city', kind: 'text', required: true, max: 100, valid: SITE.city, draft: (w) => w.gateway.site_address.city, stored: (o) => o.gateway.site_address.city },
    { path: 'gateway.site_address.region', id: 'gateway-site_address-region', kind: 'text', max: 100, valid: '', draft: (w) => w.gateway.site_address.region, stored: (o) => o.gateway.site_address.region },
    { path: 'gateway.site_address.postal_code', id: 'gateway-site_address-postal_code', kind: 'postal', required: true, valid: SITE.postal_code, draft: (w) => w.gateway.site_address.postal_code, stored: (o) => o.gateway.site_address.postal_code },
    { path: 'gateway.mac_address', id: 'gateway-mac_address', kind: 'mac', required: true, valid: VALID_GATEWAY.mac, draft: (w) => w.gateway.mac_address, stored: (o) => o.gateway.mac_address },
  ],
  pbx: [
    { path: 'pbx.host', id: 'pbx-host', kind: 'host', required: true, max: 253, valid: VALID_PBX.host, draft: (w) => w.pbx.host, stored: (o) => o.pbx.host },
    { path: 'pbx.port', id: 'pbx-port', kind: 'port', valid: VALID_PBX.port, draft: (w) => w.pbx.port, stored: (o) => o.pbx.port },
    { path: 'pbx.username', id: 'pbx-username', kind: 'text', required: true, max: 100, valid: VALID_PBX.username, draft: (w) => w.pbx.username, stored: (o) => o.pbx.username },
    // Never in the draft, never returned by the API: checked in the request body instead.
    { path: 'pbx.password', id: 'pbx-password', kind: 'password', required: true, valid: VALID_PBX.password, draft: null, stored: null, sent: (b) => b.pbx.password },
  ],
  connect: [
    { path: 'pbx.certificate_pem', id: 'pbx-certificate_pem', kind: 'certificate', valid: '', draft: (w) => w.pbx.certificate_pem, stored: (o) => o.pbx.certificate_pem },
  ],
};
const ALL_FIELDS = Object.values(STEPS).flat();

/** What the backend stores for an accepted value: trimmed; an empty optional port or certificate is null. */
function storedForm(field, v) {
  if (field.kind === 'password') return v;
  const t = rustTrim(v);
  if (field.kind === 'port') return t === '' ? null : Number(t);
  if (field.kind === 'certificate') return t === '' ? null : t;
  return t;
}

// ---------------------------------------------------------------------------------------------
// What the page must never do with hostile text
// ---------------------------------------------------------------------------------------------

function watchForScript(page) {
  const seen = { dialogs: [], errors: [], requests: [] };
  page.on('dialog', (d) => { seen.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('request', (r) => {
    const u = new URL(r.url());
    // Injected markup would fetch `x` (img src=x) or navigate to a javascript: URL.
    if (u.protocol === 'javascript:' || /\/x$/.test(u.pathname)) seen.requests.push(r.url());
  });
  return seen;
}

async function expectNoScriptRan(page, seen, where) {
  const found = await page.evaluate(() => ({
    canary: window.__pwned,
    injected: document.querySelectorAll('img, svg, iframe, object, embed, b, body script').length,
    handlers: [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on'))).length,
    javascriptLinks: [...document.querySelectorAll('[href], [src], [action]')]
      .filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action'))).length,
  }));
  expect(found, `no injected markup or script ${where}`).toEqual({ canary: 'untouched', injected: 0, handlers: 0, javascriptLinks: 0 });
  expect(seen.dialogs, `dialogs ${where}`).toEqual([]);
  expect(seen.errors, `page errors ${where}`).toEqual([]);
  expect(seen.requests, `requests for injected URLs ${where}`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Putting a value into a field, as a user would
// ---------------------------------------------------------------------------------------------

async function enter(page, field, value, paste) {
  const input = page.locator(`#${field.id}`);
  if (!paste) return input.fill(value);
  await input.fill('');
  await page.evaluate((text) => navigator.clipboard.writeText(text), value);
  await input.focus();
  await page.keyboard.press('ControlOrMeta+V');
}

/**
 * Puts `value` into every field of the step, presses Next and checks everything the header of
 * this file lists for the step. Then gives the refused fields valid answers and goes on.
 * Returns the fields with the value each holds now (`accepted` when it is the case's).
 */
async function runStep(page, draftId, seen, stepFields, value, paste, nextSlug) {
  const fields = stepFields.map((f) => {
    const taken = asTaken(f, value);
    return { ...f, taken, code: verdict(f, taken) };
  });
  const ids = fields.map((f) => f.id);
  for (const f of fields) await enter(page, f, value, paste);
  const before = await fieldStates(page, ids);
  expect(before.fields.map((x) => x.value), 'each field holds what the browser took').toEqual(fields.map((f) => f.taken));
  await page.locator('#next').click();
  const refused = fields.filter((f) => f.code);
  if (refused.length) {
    await expect(page.locator('#error-summary')).toBeFocused();
    // Exactly the expected messages, in page order, each linking to its field.
    const expectedLinks = refused.map((f) => ({ href: `#${f.id}`, text: message(en, f, f.code, f.taken) }));
    await expect.poll(async () => (await fieldStates(page, ids)).summary, { message: 'the error summary' }).toEqual(expectedLinks);
    const after = await fieldStates(page, ids);
    expect(after.fields, 'inline messages, aria-invalid, and every value kept after Next').toEqual(fields.map((f) => ({
      value: f.taken,
      invalid: f.code ? 'true' : null,
      describedBy: !!f.code,
      error: f.code ? message(en, f, f.code, f.taken) : null,
    })));
  } else {
    await expectStep(page, nextSlug);
  }
  await expectNoScriptRan(page, seen, `after Next on ${stepFields[0].path.split(/[.[]/)[0]}`);
  // The device has exactly what the fields hold.
  const kept = fields.filter((f) => f.draft);
  await waitForAutosave(page, draftId, (w) => kept.every((f) => f.draft(w) === f.taken), `draft holds ${kept.map((f) => f.path)}`);
  if (refused.length) {
    for (const f of refused) await page.locator(`#${f.id}`).fill(f.valid);
    await expect(page.locator('#error-summary')).toHaveCount(0);
    await page.locator('#next').click();
    await expectStep(page, nextSlug);
  }
  return fields.map((f) => ({ ...f, accepted: !f.code, now: f.code ? f.valid : f.taken }));
}

/**
 * One read of the page: each field's value, aria-invalid, whether aria-describedby names its
 * inline message, that message (without the visually hidden "Error:"), and the summary links.
 */
function fieldStates(page, ids) {
  return page.evaluate((ids) => {
    const summary = document.getElementById('error-summary');
    const message = (el) => {
      const text = el.textContent.replace(/\s+/g, ' ').trim();
      return text.startsWith('Error:') ? text.slice('Error:'.length).trim() : text;
    };
    return {
      summary: summary ? [...summary.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })) : null,
      fields: ids.map((id) => {
        const el = document.getElementById(id);
        const error = document.getElementById(`${id}-error`);
        return {
          value: el ? el.value : null,
          invalid: el ? el.getAttribute('aria-invalid') : null,
          describedBy: !!el && (el.getAttribute('aria-describedby') ?? '').split(/\s+/).includes(`${id}-error`),
          error: error ? message(error) : null,
        };
      }),
    };
  }, ids);
}

/** What Review shows for the fields of `result`, by its rows (one read of the page). */
async function expectReview(page, result) {
  const by = Object.fromEntries(result.map((f) => [f.path, rustTrim(f.now)]));
  const nonEmpty = (xs) => xs.filter((x) => x !== '');
  const address = (prefix) => nonEmpty(['street', 'street2', 'city', 'region', 'postal_code'].map((p) => by[`${prefix}.${p}`]));
  // The row whose Change link returns to the field, and the <bdi> texts it must show.
  const expected = {
    'customer-name': [by['customer.name']],
    'customer-address-street': address('customer.address'),
    'admin_contacts-0-first_name': [by['admin_contacts[0].first_name'], by['admin_contacts[0].last_name'], by['admin_contacts[0].email']],
    'support_contacts-0-role': [by['support_contacts[0].name'], by['support_contacts[0].email']],
    'gateway-site_name': [by['gateway.site_name']],
    'gateway-site_address-street': address('gateway.site_address'),
    'pbx-host': [by['pbx.host']],
    'pbx-port': nonEmpty([by['pbx.port']]),
    'pbx-username': [by['pbx.username']],
    'pbx-password': [],
  };
  await expect(page.locator('.summary-list__row').first()).toBeVisible();
  const shown = await page.evaluate((ids) => Object.fromEntries(ids.map((id) => {
    const rows = [...document.querySelectorAll('.summary-list__row')]
      .filter((row) => [...row.querySelectorAll('a.change-link')].some((a) => new URL(a.href).searchParams.get('field') === id));
    if (rows.length !== 1) return [id, { rows: rows.length }];
    const dd = rows[0].querySelector('.summary-list__value');
    return [id, {
      rows: 1,
      bdis: [...dd.querySelectorAll('bdi')].map((b) => b.textContent),
      // Nothing but <bdi> elements: the answers are text, never markup.
      other: [...dd.querySelectorAll('*')].filter((el) => el.tagName !== 'BDI').length,
      text: dd.textContent,
    }];
  })), Object.keys(expected));
  for (const [id, bdis] of Object.entries(expected)) {
    expect(shown[id], `Review row ${id}: each answer as text in its own <bdi>`).toMatchObject({ rows: 1, bdis, other: 0 });
  }
  expect(shown['pbx-password'].text, 'the password is never shown').toBe(en['review.password_entered']);
}

for (const c of CASES) {
  const paste = c.id === 'multi-line-paste';
  test(`hostile input "${c.id}" in every field of every step${paste ? ' (pasted from the clipboard)' : ''}`, async ({ page, context, request, baseURL }) => {
    test.setTimeout(90_000);
    if (paste) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
    await page.addInitScript(() => { window.__pwned = 'untouched'; });
    const seen = watchForScript(page);
    const posted = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/onboardings')) posted.push(r.postDataJSON()); });

    const draftId = await startNew(page);
    // The answers that are choices, and a second support row, valid throughout.
    await page.selectOption('#customer-address-country', 'ES');
    await page.selectOption('#customer-business_type', VALID_CUSTOMER.businessType);
    await page.locator('#add-admin-contact').click();
    // Focus moves to the new row in the next frame; filling another field before that raced it.
    await expect(page.locator('#admin_contacts-0-first_name')).toBeFocused();
    await page.fill('#support_contacts-1-name', VALID_CUSTOMER.supports[1].name);
    await page.fill('#support_contacts-1-email', VALID_CUSTOMER.supports[1].email);
    const result = await runStep(page, draftId, seen, STEPS.customer, c.value, paste, 'gateway');

    await page.locator(later.platform('mivoice_business')).check();
    await page.locator(later.sameAddress).uncheck();
    await page.selectOption(later.site('country'), 'ES');
    result.push(...await runStep(page, draftId, seen, STEPS.gateway, c.value, paste, 'pbx'));
    result.push(...await runStep(page, draftId, seen, STEPS.pbx, c.value, paste, 'connect'));
    result.push(...await runStep(page, draftId, seen, STEPS.connect, c.value, paste, 'review'));

    expect(result.map((f) => f.path), 'every field of every step was tried').toEqual(ALL_FIELDS.map((f) => f.path));
    await expectReview(page, result);
    await expectNoScriptRan(page, seen, 'on Review');
    // Every answer of every step is still there: the draft has each one exactly.
    const kept = result.filter((f) => f.draft);
    await waitForAutosave(page, draftId, (w) => kept.every((f) => f.draft(w) === f.now), 'the whole draft');

    const accepted = result.filter((f) => f.accepted);
    // For docs/reliability.md (scripts/reliability-report.mjs): what this case did, field by field.
    test.info().annotations.push({ type: 'hostile-input', description: JSON.stringify({ fields: result.length, accepted: accepted.length }) });
    // A case no field took has nothing of its own to store: the submission is skipped (time).
    if (accepted.every((f) => rustTrim(f.taken) === '')) return;

    await page.locator('#next').click();
    await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
    const id = (await page.locator('#onboarding-id').textContent()).trim();
    // The confirmation names the customer as text, isolated from the sentence around it by a
    // <bdi> element (not invisible isolate characters, which a copy would carry along).
    expect(await page.locator('main p bdi').textContent()).toBe(rustTrim(result[0].now));
    expect(await page.locator('main').textContent()).not.toMatch(/[\u2066-\u2069]/);
    await expectNoScriptRan(page, seen, 'on the confirmation page');

    expect(posted).toHaveLength(1);
    const stored = (await storedOnboarding(request, id)).onboarding;
    for (const f of accepted) {
      if (f.stored) expect(f.stored(stored), `stored ${f.path}`).toEqual(storedForm(f, f.now));
      else expect(f.sent(posted[0]), `sent ${f.path}`).toBe(f.now);
    }
    expect(stored.pbx.password, 'the API never returns the password').toBeNull();
  });
}

test('the control-character message is in Spanish too, beside the field and in the summary', async ({ page }) => {
  await startNew(page, '?lang=es');
  await page.fill('#customer-name', 'Acme\tHotels');
  await page.locator('#next').click();
  const f = STEPS.customer[0];
  const text = message(es, f, 'control_characters');
  expect(text).toBe('El nombre del cliente no debe contener caracteres de control, como tabulaciones o saltos de línea');
  await expect(page.locator('#error-summary a[href="#customer-name"]')).toHaveText(text);
  expect(await inlineError(page, 'customer-name', 'Error:')).toBe(text);
  // Surrounding tabs are trimmed, not errors.
  await page.fill('#customer-name', '\tAcme Hotels\t');
  await expect(page.locator('#error-summary a[href="#customer-name"]')).toHaveCount(0);
});

/**
 * Whether the characters of `word` (found in a text node under `locator`) are laid out left to
 * right, as English is. A right-to-left override that is not isolated reverses them.
 */
function readsLeftToRight(locator, word) {
  return locator.evaluate((root, word) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(word);
      if (at < 0) continue;
      const xs = [...word].map((_, i) => {
        const range = document.createRange();
        range.setStart(node, at + i);
        range.setEnd(node, at + i + 1);
        return range.getBoundingClientRect().left;
      });
      return xs.every((x, i) => i === 0 || x > xs[i - 1]);
    }
    return `"${word}" not found`;
  }, word);
}

test('a right-to-left override in an answer cannot reorder the words shown around it', async ({ page }) => {
  // Unclosed overrides: without isolation they run to the end of the line.
  const name = 'Acme \u202Egnp.exe';
  await completeToReview(page, 'pbx', {
    customer: { name, admins: [{ first_name: 'Ana \u202Eevil', last_name: 'Fernández', email: 'ana@sonrisa.example.es' }] },
  });
  // The check can fail: in this browser the same override in a plain sentence reverses the
  // word after it.
  await page.evaluate((name) => {
    const p = document.createElement('p');
    p.id = 'bidi-control';
    p.textContent = `The draft for ${name} will be removed from this device.`;
    document.querySelector('main').append(p);
  }, name);
  expect(await readsLeftToRight(page.locator('#bidi-control'), 'removed')).toBe(false);
  await page.evaluate(() => document.getElementById('bidi-control').remove());

  // Review: the last name after a first name with an override.
  const admin = page.locator('.summary-list__row').filter({ has: page.locator('a.change-link[href*="field=admin_contacts-0-first_name"]') });
  expect(await readsLeftToRight(admin.locator('.summary-list__value'), 'Fernández')).toBe(true);

  // The start page: the Delete dialog's sentence (the table cell holds the name alone).
  await openStart(page);
  await page.locator('#drafts tbody tr').first().getByRole('button').click();
  const body = page.locator('#delete-dialog-body');
  expect(await body.locator('bdi').textContent()).toBe(name);
  expect(await body.textContent()).not.toMatch(/[\u2066-\u2069]/);
  expect(await readsLeftToRight(body, 'removed')).toBe(true);
  expect(await readsLeftToRight(body, 'device')).toBe(true);
  await page.keyboard.press('Escape');

  // The confirmation page's sentence.
  await page.locator('#drafts tbody tr').first().getByRole('link').click();
  await expectStep(page, 'review');
  await page.locator('#next').click();
  await expectStep(page, 'pbx'); // the password is not kept on the device: asked again
  await page.fill(later.password, VALID_PBX.password);
  await page.locator('#next').click();
  await expectStep(page, 'review');
  await page.locator('#next').click();
  await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
  const done = page.locator('main p', { hasText: 'has been received by the partner system' });
  expect(await done.locator('bdi').textContent()).toBe(name);
  expect(await done.textContent()).not.toMatch(/[\u2066-\u2069]/);
  expect(await readsLeftToRight(done, 'removed')).toBe(true);
});
