// Security policy (issue 6, item 4), from the browser's side of the reference backend:
//   - the Content Security Policy of index.html and of every deep link: no 'unsafe-inline', no
//     'unsafe-eval' (only 'wasm-unsafe-eval'), Trunk's inline loader allowed by its own SHA-256
//     and nothing else inline, frame-ancestors exactly 'self' plus allowed_parent_origins;
//   - after a whole PBX-path onboarding with a distinctive password: the password is in no
//     storage entry, IndexedDB database, CacheStorage entry, cookie, URL or request other than
//     the submission itself, and URLs carry no parameter beyond the documented ones;
//   - stored drafts and confirmations hold only the keys the spec allows (an explicit allow-list,
//     with types), the password never among them; no CSP violation during the whole run.
// (Framing by a hostile origin and messages from one: embedding.spec.mjs.)
import { test, expect, partnerKey, partnerId } from './fixtures.mjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CERTIFICATE, UUID_RE, completeToReview, expectStep, later, waitForAutosave } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const e2eConfig = JSON.parse(readFileSync(resolve(here, 'config.e2e.json'), 'utf8'));
const ID = '00000000-0000-4000-8000-000000000000';

/** `script-src 'self' …; frame-ancestors …` → Map of directive name to its source tokens. */
function parseCsp(csp) {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));
}

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

test('every page route is served with a CSP without unsafe-inline/unsafe-eval, its inline loader hashed, frame-ancestors from the config', async ({ request }) => {
  const served = await (await request.get('/config.json')).json();
  expect(served.allowed_parent_origins, 'the app and the backend read the same configuration').toEqual(e2eConfig.allowed_parent_origins);
  const routes = ['/', '/?lang=es&role=account_admin', `/onboarding/${ID}/customer`, `/onboarding/${ID}/gateway`,
    `/onboarding/${ID}/review?return=review`, `/onboarding/${ID}/submitted`, '/no/such/page'];
  for (const route of routes) {
    const res = await request.get(route, { headers: { 'Accept-Encoding': 'identity' } });
    expect(res.status(), route).toBe(200);
    expect(res.headers()['content-type'], route).toContain('text/html');
    expect(res.headers()['x-content-type-options'], route).toBe('nosniff');
    const csp = res.headers()['content-security-policy'];
    expect(csp, `${route}: a CSP header`).toBeTruthy();
    const d = parseCsp(csp);
    const all = [...d.values()].flat();
    for (const unsafe of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", '*', 'data:', 'blob:']) {
      expect(d.get('script-src'), `${route}: script-src has no ${unsafe}`).not.toContain(unsafe);
    }
    expect(all, `${route}: no 'unsafe-inline' anywhere`).not.toContain("'unsafe-inline'");
    expect(all, `${route}: no 'unsafe-eval' anywhere`).not.toContain("'unsafe-eval'");
    expect(d.get('script-src'), `${route}: WebAssembly may compile`).toEqual(expect.arrayContaining(["'self'", "'wasm-unsafe-eval'"]));
    expect(d.get('default-src'), route).toEqual(["'self'"]);
    expect(d.get('object-src'), route).toEqual(["'none'"]);
    expect(d.get('base-uri'), route).toEqual(["'none'"]);
    expect(d.get('style-src'), route).toEqual(["'self'"]);
    expect(d.get('frame-ancestors'), `${route}: frame-ancestors is 'self' and allowed_parent_origins`)
      .toEqual(["'self'", ...e2eConfig.allowed_parent_origins]);

    // Trunk's loader: every inline script of this very page is allowed by its hash, and the
    // policy allows no other hash; scripts with a src are files of this origin.
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)];
    const inline = scripts.filter(([, attrs]) => !/\bsrc\s*=/i.test(attrs));
    expect(inline.length, `${route}: Trunk's loader is the one inline script`).toBe(1);
    expect(inline[0][2], `${route}: the loader imports the app's hashed module`).toMatch(/import init, \* as bindings from '\/onboarding-wizard-[0-9a-f]+\.js'/);
    const hashes = d.get('script-src').filter((s) => s.startsWith("'sha256-"));
    expect(hashes, `${route}: exactly the hashes of its inline scripts`).toEqual(inline.map(([, , body]) => sha256(body)));
    for (const [, attrs] of scripts.filter((s) => !inline.includes(s))) {
      expect(attrs.match(/\bsrc\s*=\s*["']?([^"'\s>]+)/i)[1], `${route}: script file of this origin`).toMatch(/^\/(?!\/)/);
    }
    // Nothing inline that the policy would have to allow: no event-handler attributes, no
    // javascript: URLs, no <style> elements or style attributes.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t)), `${route}: event-handler attributes`).toEqual([]);
    expect(tags.filter((t) => /javascript:/i.test(t)), `${route}: javascript: URLs`).toEqual([]);
    expect(tags.filter((t) => /^<style\b|\sstyle\s*=/i.test(t)), `${route}: inline styles`).toEqual([]);
  }
});

// ---------------------------------------------------------------------------------------------
// What a stored draft and a confirmation may hold: the spec's Drafts section (one entry per
// draft, schema version, updated-at, current step, completion per step, the answers; no
// secrets) and the answers of the Customer, Gateway, PBX, Connect and Sync steps. Row `id`s are
// the keyed lists' row keys (numbers). `saved` is the Save-and-return checkpoint that Cancel
// restores. Nothing else: no password, no token.
// ---------------------------------------------------------------------------------------------

const S = 'string';
const N = 'number';
const B = 'boolean';
const ADDRESS = { street: S, street2: S, city: S, region: S, postal_code: S, country: S };
const DRAFT = {
  id: S,
  partner_id: { oneOf: [S, 'null'] },
  current_step: S,
  completed: { arrayOf: S },
  customer: { name: S, business_type: S, default_language: S, address: ADDRESS },
  admin_contacts: { arrayOf: { id: N, first_name: S, last_name: S, email: S } },
  support_contacts: { arrayOf: { id: N, role: S, name: S, email: S } },
  gateway: { platform: S, site_name: S, site_same_as_customer: B, site_address: ADDRESS, mac_address: S },
  pbx: { host: S, port: S, username: S, use_tls: B, certificate_pem: S },
  sync: { users: S, send_welcome_emails: B },
};
// The device's marks for the partner's account (the version the copy is based on; unsent edits)
// appear once the account has been written to, or while it has not.
const STORED_DRAFT = {
  schema_version: N, updated_at: N, working: DRAFT, saved: { oneOf: [DRAFT, 'null'] },
  account_version: { optional: S }, unsent: { optional: B },
};
const CONFIRMATION = { draft_id: S, onboarding_id: S, customer_name: S, submitted_at: N };

/** Every place where `value` leaves `schema`: a key not allowed, a missing key, a wrong type. */
function outsideSchema(value, schema, at = '') {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (schema.optional) return outsideSchema(value, schema.optional, at);
  if (typeof schema === 'string') return type === schema ? [] : [`${at}: ${type}, not ${schema}`];
  if (schema.oneOf) {
    const fits = schema.oneOf.map((s) => outsideSchema(value, s, at));
    return fits.some((f) => f.length === 0) ? [] : fits.flat();
  }
  if (schema.arrayOf) {
    if (type !== 'array') return [`${at}: ${type}, not a list`];
    return value.flatMap((v, i) => outsideSchema(v, schema.arrayOf, `${at}[${i}]`));
  }
  if (type !== 'object') return [`${at}: ${type}, not an object`];
  const extra = Object.keys(value).filter((k) => !(k in schema)).map((k) => `${at}.${k}: not allowed`);
  const missing = Object.keys(schema).filter((k) => !(k in value) && !schema[k].optional).map((k) => `${at}.${k}: missing`);
  return [...extra, ...missing, ...Object.keys(schema).filter((k) => k in value).flatMap((k) => outsideSchema(value[k], schema[k], `${at}.${k}`))];
}

test('the allow-list check finds what it must (a password key, a token, a wrong type)', () => {
  const draft = {
    id: ID, partner_id: null, current_step: 'pbx', completed: ['customer'],
    customer: { name: '', business_type: '', default_language: '', address: { street: '', street2: '', city: '', region: '', postal_code: '', country: '' } },
    admin_contacts: [], support_contacts: [{ id: 1, role: 'maintainer', name: '', email: '' }],
    gateway: { platform: '', site_name: '', site_same_as_customer: true, site_address: { street: '', street2: '', city: '', region: '', postal_code: '', country: '' }, mac_address: '' },
    pbx: { host: '', port: '', username: '', use_tls: true, certificate_pem: '' },
    sync: { users: 'all', send_welcome_emails: true },
  };
  const entry = { schema_version: 1, updated_at: 1, working: draft, saved: null };
  expect(outsideSchema(entry, STORED_DRAFT)).toEqual([]);
  const leaky = structuredClone(entry);
  leaky.working.pbx.password = 'x';
  leaky.token = 'abc';
  leaky.working.support_contacts[0].id = 'sess-123';
  leaky.saved = { ...draft, pbx: { ...draft.pbx, password: 'x' } };
  expect(outsideSchema(leaky, STORED_DRAFT).sort()).toEqual([
    '.saved.pbx.password: not allowed',
    '.saved: object, not null',
    '.token: not allowed',
    '.working.pbx.password: not allowed',
    '.working.support_contacts[0].id: string, not number',
  ].sort());
});

/** Everything the page keeps or can reach on this origin, searched for `secret`. */
async function scanDevice(page, secret) {
  return page.evaluate(async (secret) => {
    const hits = [];
    const has = (text) => typeof text === 'string' && (text.includes(secret) || text.includes(encodeURIComponent(secret)));
    const entries = {};
    for (const [area, store] of [['localStorage', localStorage], ['sessionStorage', sessionStorage]]) {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        const value = store.getItem(key);
        if (has(key) || has(value)) hits.push(`${area} ${key}`);
        if (area === 'localStorage') entries[key] = value;
      }
    }
    const databases = (await indexedDB.databases()).map((db) => db.name);
    for (const name of databases) if (has(name)) hits.push(`IndexedDB ${name}`);
    const cacheNames = await caches.keys();
    let cached = 0;
    for (const name of cacheNames) {
      if (has(name)) hits.push(`cache ${name}`);
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        cached += 1;
        if (has(req.url)) hits.push(`cached URL ${req.url}`);
        const res = await cache.match(req);
        if (!/wasm/.test(res.headers.get('content-type') ?? '') && has(await res.text())) hits.push(`cached body ${req.url}`);
      }
    }
    if (has(document.cookie)) hits.push('document.cookie');
    if (has(location.href)) hits.push('location');
    if (has(document.title)) hits.push('title');
    return { hits, entries, databases, cacheNames, cached };
  }, secret);
}

/** Checks every localStorage entry of the wizard against the allow-list. */
function expectOnlyAllowedEntries(entries, when) {
  for (const [key, raw] of Object.entries(entries)) {
    // Which partner's drafts to show when signed out: the id alone, never a session.
    if (key === 'onboarding-wizard:signed-in-partner') {
      expect(raw, `${when}: the partner last signed in`).toBe(partnerId());
      continue;
    }
    const draft = key.match(new RegExp(`^onboarding-wizard:drafts:${partnerId()}:(${UUID_RE.source})$`));
    const confirmation = key.match(new RegExp(`^onboarding-wizard:submitted:${partnerId()}:(${UUID_RE.source})$`));
    expect(draft || confirmation, `${when}: storage key ${key} is a draft or a confirmation`).toBeTruthy();
    const value = JSON.parse(raw);
    expect(outsideSchema(value, draft ? STORED_DRAFT : CONFIRMATION), `${when}: ${key} holds only what the spec allows`).toEqual([]);
  }
}

// The query parameters the app documents: lang, role, partner_id (SPEC), return/field (Change
// links and Review), build (the service worker's version).
const ALLOWED_PARAMS = ['lang', 'role', 'partner_id', 'return', 'field', 'build'];

test('a whole PBX-path onboarding: the password is nowhere but in the submission; drafts hold only what the spec allows; no CSP violation', async ({ page, context }) => {
  const secret = `Pbx-${Date.now().toString(36)}-Zq7!xK`;
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const urls = new Set();
  const otherBodies = [];
  const submissions = [];
  page.on('request', (r) => {
    urls.add(r.url());
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/onboardings') submissions.push(r.postData() ?? '');
    else if (r.postData()) otherBodies.push(`${r.url()} ${r.postData()}`);
  });
  page.on('framenavigated', (f) => urls.add(f.url()));

  const typed = await completeToReview(page, 'pbx', { pbx: { password: secret }, certificate: CERTIFICATE });
  await waitForAutosave(page, typed.draftId, (w) => w.current_step === 'review' && w.pbx.certificate_pem === CERTIFICATE);
  const check = async (when) => {
    const found = await scanDevice(page, secret);
    expect(found.hits, `the password ${when}`).toEqual([]);
    expect(found.databases, `IndexedDB ${when}`).toEqual([]);
    expectOnlyAllowedEntries(found.entries, when);
    expect((await context.cookies()).filter((c) => c.value.includes(secret) || c.name.includes(secret)), `cookies ${when}`).toEqual([]);
    // Nor the session (an HttpOnly cookie the page never sees) or the partner's secret key.
    const session = (await context.cookies()).find((c) => c.name === 'onboarding_session').value;
    for (const [name, credential] of [['the session', session], ['a session', 'onb_ses1.'], ['the secret key', partnerKey()], ['a secret key', 'onb_sk_']]) {
      expect((await scanDevice(page, credential)).hits, `${name} ${when}`).toEqual([]);
      expect([...urls].filter((u) => u.includes(credential)), `${name} in a URL ${when}`).toEqual([]);
    }
    return found;
  };
  await check('at Review');

  // Save and return writes the checkpoint (`saved`) too; the start page lists the draft.
  await page.locator('#save-and-return').click();
  await expect(page.locator('#start-new')).toBeVisible();
  const afterSave = await check('after Save and return');
  const entry = JSON.parse(Object.entries(afterSave.entries).find(([k]) => k.includes(':drafts:'))[1]);
  expect(entry.saved, 'a checkpoint was written and checked').not.toBeNull();
  await expect(page.locator('main')).not.toContainText(secret);

  // Resume: the password was never stored, so Submit asks for it again.
  await page.locator('#drafts tbody tr').first().getByRole('link').click();
  await expectStep(page, 'review');
  await page.locator('#next').click();
  await expectStep(page, 'pbx');
  await page.fill(later.password, secret);
  await page.locator('#next').click();
  await expectStep(page, 'review');
  await page.locator('#next').click();
  await expect(page).toHaveURL(/\/submitted(\?|$)/, { timeout: 15_000 });
  const done = await check('after the submission');
  expect(Object.keys(done.entries).some((k) => k.includes(':submitted:')), 'the confirmation was checked').toBe(true);
  expect(done.cached, 'the service worker cache was searched').toBeGreaterThan(0);

  // The scan looks for the right thing: the one place the password goes is the submission.
  expect(submissions).toHaveLength(1);
  expect(JSON.parse(submissions[0]).pbx.password).toBe(secret);
  expect(otherBodies.filter((b) => b.includes(secret)), 'other request bodies').toEqual([]);
  for (const url of urls) {
    expect(url.includes(secret) || url.includes(encodeURIComponent(secret)), `URL ${url}`).toBe(false);
    const u = new URL(url);
    if (u.origin === new URL(page.url()).origin) {
      expect([...u.searchParams.keys()].filter((k) => !ALLOWED_PARAMS.includes(k)), `parameters of ${url}`).toEqual([]);
    }
  }
  expect(urls.size).toBeGreaterThan(5);
  expect(await page.evaluate(() => window.__csp), 'CSP violations').toEqual([]);
});
