// Shared helpers for the onboarding wizard's end-to-end tests.
import { expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { partnerKey } from './fixtures.mjs';

export const DRAFT_PREFIX = 'onboarding-wizard:drafts:';
export const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
export const CUSTOMER_URL_RE = new RegExp(`/onboarding/(${UUID_RE.source})/customer(\\?|$)`);

/** Opens the start page with `query` (e.g. '?lang=es') and waits for the app to render. */
export async function openStart(page, query = '') {
  await page.goto(`/${query}`);
  await expect(page.locator('#start-new')).toBeVisible();
}

/**
 * Opens the start page, presses "Start new onboarding" and waits for the Customer step.
 * Returns the new draft id.
 */
export async function startNew(page, query = '') {
  await openStart(page, query);
  await page.locator('#start-new').click();
  await expect(page).toHaveURL(CUSTOMER_URL_RE);
  await expect(page.locator('#customer-name')).toBeVisible();
  return draftIdFromUrl(page.url());
}

export function draftIdFromUrl(url) {
  const m = new URL(url).pathname.match(UUID_RE);
  if (!m) throw new Error(`no draft id in ${url}`);
  return m[0];
}

/** Every stored draft entry as { key, raw, value } (value null when not JSON). */
export async function storedDrafts(page) {
  return page.evaluate((prefix) => {
    const out = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key.startsWith(prefix)) continue;
      const raw = localStorage.getItem(key);
      let value = null;
      try { value = JSON.parse(raw); } catch { /* reported as null */ }
      out.push({ key, raw, value });
    }
    return out;
  }, DRAFT_PREFIX);
}

/** The stored entry of one draft (any partner namespace), parsed, or null. */
export async function storedDraft(page, draftId) {
  const all = await storedDrafts(page);
  const hit = all.find((e) => e.key.endsWith(`:${draftId}`));
  return hit ? hit.value : null;
}

/** Waits (web-first, polling localStorage) until the autosaved working copy satisfies `check`. */
export async function waitForAutosave(page, draftId, check, message = 'draft autosaved') {
  await expect
    .poll(async () => {
      const d = await storedDraft(page, draftId);
      return !!(d && d.working && check(d.working, d));
    }, { message, timeout: 5_000 })
    .toBe(true);
}

/** Fields of the Customer step by id (paths from the draft model). */
export const ids = {
  name: '#customer-name',
  street: '#customer-address-street',
  street2: '#customer-address-street2',
  city: '#customer-address-city',
  region: '#customer-address-region',
  postal: '#customer-address-postal_code',
  country: '#customer-address-country',
  businessType: '#customer-business_type',
  language: '#customer-default_language',
  admin: (i, f) => `#admin_contacts-${i}-${f}`,
  support: (i, f) => `#support_contacts-${i}-${f}`,
};

export const VALID_CUSTOMER = {
  name: 'Clínica Dental Sonrisa',
  street: 'Calle de Alcalá 120',
  street2: '2º izquierda',
  city: 'Madrid',
  region: 'Madrid',
  postal: '28009',
  country: 'ES',
  businessType: 'healthcare',
  language: 'es',
  admins: [{ first_name: 'Lucía', last_name: 'Fernández', email: 'lucia.fernandez@sonrisa.example.es' }],
  supports: [
    { role: 'maintainer', name: 'Telecomunicaciones Ibéricas', email: 'soporte@telib.example.es' },
    { role: 'onsite_admin', name: 'Javier Moreno', email: 'javier.moreno@sonrisa.example.es' },
  ],
};

/**
 * Fills the Customer step with valid answers (Spanish clinic in Madrid by default). Adds admin
 * rows as needed; expects the two initial support rows.
 */
export async function fillValidCustomer(page, overrides = {}) {
  const c = { ...VALID_CUSTOMER, ...overrides };
  await page.fill(ids.name, c.name);
  await page.fill(ids.street, c.street);
  if (c.street2 !== undefined) await page.fill(ids.street2, c.street2);
  await page.fill(ids.city, c.city);
  await page.selectOption(ids.country, c.country);
  if (c.region !== undefined) {
    // A select for countries with a list of states or provinces (US, CA, AU, MX), else text.
    const region = page.locator(ids.region);
    if ((await region.evaluate((el) => el.tagName)) === 'SELECT') await region.selectOption(c.region);
    else await region.fill(c.region);
  }
  await page.fill(ids.postal, c.postal);
  await page.selectOption(ids.businessType, c.businessType);
  if (c.language !== undefined) await page.selectOption(ids.language, c.language);
  for (let i = 0; i < c.admins.length; i++) {
    if ((await page.locator(ids.admin(i, 'first_name')).count()) === 0) {
      await page.locator('#add-admin-contact').click();
      // The new row's first field takes focus in the next frame: typing elsewhere before that
      // would be typed where the focus lands, as it would for a person that quick.
      await expect(page.locator(ids.admin(i, 'first_name'))).toBeFocused();
    }
    for (const f of ['first_name', 'last_name', 'email']) await page.fill(ids.admin(i, f), c.admins[i][f]);
  }
  for (let i = 0; i < c.supports.length; i++) {
    if ((await page.locator(ids.support(i, 'role')).count()) === 0) {
      await page.locator('#add-support-contact').click();
      await expect(page.locator(ids.support(i, 'role'))).toBeFocused();
    }
    await page.selectOption(ids.support(i, 'role'), c.supports[i].role);
    await page.fill(ids.support(i, 'name'), c.supports[i].name);
    await page.fill(ids.support(i, 'email'), c.supports[i].email);
  }
  return c;
}

/** Presses Next on the current step. */
export async function pressNext(page) {
  await page.locator('#next').click();
}

/** Texts of the error summary's links, in order. */
export async function summaryTexts(page) {
  return (await page.locator('#error-summary a').allInnerTexts()).map((t) => t.trim());
}

/** Inline error text of the field with this id, without the visually hidden "Error:" prefix. */
export async function inlineError(page, id, prefix = 'Error:') {
  const text = ((await page.locator(`#${id}-error`).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  return text.startsWith(prefix) ? text.slice(prefix.length).trim() : text;
}

/**
 * Asserts the field `id` shows `message`: a summary link to it with that text, the same text
 * inline, aria-invalid and aria-describedby naming the inline message.
 */
export async function expectFieldError(page, id, message) {
  const link = page.locator('#error-summary a', { hasText: message });
  await expect(link, `summary link "${message}"`).toHaveCount(1);
  await expect(link).toHaveAttribute('href', `#${id}`);
  await expect(page.locator(`#${id}-error`)).toContainText(message);
  expect(await inlineError(page, id)).toBe(message);
  const field = page.locator(`#${id}`);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAttribute('aria-describedby', new RegExp(`(^|\\s)${id}-error(\\s|$)`));
}

/** Asserts the field `id` shows no error (inline or in the summary). */
export async function expectNoFieldError(page, id) {
  await expect(page.locator(`#${id}-error`)).toHaveCount(0);
  await expect(page.locator(`#${id}`)).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator(`#error-summary a[href="#${id}"]`)).toHaveCount(0);
}

/** The group errors shown in the support contacts fieldset. */
export function supportGroupErrors(page) {
  return page.locator('#support_contacts-error .error-message');
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Runs axe-core (WCAG 2.2 A/AA) and fails with a readable list of violations. */
export async function axeCheck(page, label = '') {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const report = results.violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      - ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
  expect(results.violations.map((v) => v.id), `axe violations${label ? ` on ${label}` : ''}:\n${report}`).toEqual([]);
}

/** Fields of the later steps by id. */
export const later = {
  platform: (key) => `#gateway-platform${key === 'mivoice_office_400' ? '' : `-${key}`}`,
  siteName: '#gateway-site_name',
  sameAddress: '#gateway-site_same_as_customer',
  site: (f) => `#gateway-site_address-${f}`,
  mac: '#gateway-mac_address',
  host: '#pbx-host',
  port: '#pbx-port',
  username: '#pbx-username',
  password: '#pbx-password',
  useTls: '#pbx-use_tls',
  certificate: '#pbx-certificate_pem',
  syncUsers: (key) => `#sync-users${key === 'all' ? '' : `-${key}`}`,
  welcome: '#sync-send_welcome_emails',
};

export const VALID_GATEWAY = { platform: 'mivoice_business', siteName: 'Sede Alcalá', mac: 'aa-bb-cc-00-11-22' };
export const VALID_PBX = { host: 'pbx.sonrisa.example.es', port: '5061', username: 'gw-admin', password: 'S3cr3t-Ñandú 42!' };
// A syntactically valid PEM certificate block (base64 of a DER SEQUENCE).
export const CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUVjIwMTk=\n-----END CERTIFICATE-----';

/** Waits for a step's route and heading. */
export async function expectStep(page, slug) {
  await expect(page).toHaveURL(new RegExp(`/onboarding/${UUID_RE.source}/${slug}(\\?|$)`));
  await expect(page.locator('#step-heading')).toBeVisible();
}

/** Fills the Gateway step (the platform radio, site name, MAC unless SMBC/VA). */
export async function fillGateway(page, overrides = {}) {
  const g = { ...VALID_GATEWAY, ...overrides };
  await page.locator(later.platform(g.platform)).check();
  await page.fill(later.siteName, g.siteName);
  if (g.site) {
    await page.locator(later.sameAddress).uncheck();
    for (const [f, v] of Object.entries(g.site)) {
      if (f === 'country') await page.selectOption(later.site(f), v);
      else await page.fill(later.site(f), v);
    }
  }
  if (!['smbc', 'va'].includes(g.platform)) await page.fill(later.mac, g.mac);
  return g;
}

export async function fillPbx(page, overrides = {}) {
  const p = { ...VALID_PBX, ...overrides };
  await page.fill(later.host, p.host);
  await page.fill(later.port, p.port);
  await page.fill(later.username, p.username);
  await page.fill(later.password, p.password);
  return p;
}

/**
 * From the start page to Review on one path: 'pbx' (MiVoice Business) or 'sync' (SMBC).
 * Returns { draftId, customer, gateway, pbx }.
 */
export async function completeToReview(page, path = 'pbx', opts = {}) {
  const draftId = await startNew(page, opts.query ?? '');
  const customer = await fillValidCustomer(page, opts.customer ?? {});
  await pressNext(page);
  await expectStep(page, 'gateway');
  const gateway = await fillGateway(page, { platform: path === 'sync' ? 'smbc' : 'mivoice_business', ...(opts.gateway ?? {}) });
  await pressNext(page);
  let pbx = null;
  if (path === 'sync') {
    await expectStep(page, 'sync');
    if (opts.syncUsers) await page.locator(later.syncUsers(opts.syncUsers)).check();
    if (opts.noWelcome) await page.locator(later.welcome).uncheck();
    await pressNext(page);
  } else {
    await expectStep(page, 'pbx');
    pbx = await fillPbx(page, opts.pbx ?? {});
    await pressNext(page);
    await expectStep(page, 'connect');
    if (opts.certificate) await page.fill(later.certificate, opts.certificate);
    if (opts.noTls) await page.locator(later.useTls).uncheck();
    await pressNext(page);
  }
  await expectStep(page, 'review');
  return { draftId, customer, gateway, pbx };
}

/** Every entry of localStorage and sessionStorage, as one string per entry. */
export async function allStorage(page) {
  return page.evaluate(() => {
    const out = [];
    for (const store of [localStorage, sessionStorage]) {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        out.push(`${key}=${store.getItem(key)}`);
      }
    }
    return out;
  });
}

/** The onboarding as the reference backend stored it (password withheld), read with the demo
 * partner's secret key as the partner's own server would. */
export async function storedOnboarding(request, id) {
  const res = await request.get(`/api/onboardings/${id}`, { headers: { Authorization: `Bearer ${partnerKey()}` } });
  expect(res.status(), `GET /api/onboardings/${id}`).toBe(200);
  return res.json();
}

/**
 * Reads the draft from localStorage (polling until the last autosave has landed) and checks
 * that every answer `completeToReview` typed is in it exactly as typed, and that the password
 * is not. `typed` is what `completeToReview` returned.
 */
export async function expectDraftIntact(page, typed, when = '') {
  const { draftId, customer: c, gateway: g, pbx: p } = typed;
  const project = (d) => {
    if (!d) return null;
    const w = d.working;
    return {
      customer: {
        name: w.customer.name, business_type: w.customer.business_type, default_language: w.customer.default_language,
        address: w.customer.address,
      },
      admins: w.admin_contacts.map(({ first_name, last_name, email }) => ({ first_name, last_name, email })),
      supports: w.support_contacts.map(({ role, name, email }) => ({ role, name, email })),
      gateway: { platform: w.gateway.platform, site_name: w.gateway.site_name, mac: w.gateway.mac_address },
      pbx: p ? { host: w.pbx.host, port: w.pbx.port, username: w.pbx.username } : undefined,
    };
  };
  const expected = {
    customer: {
      name: c.name, business_type: c.businessType, default_language: c.language ?? '',
      address: { street: c.street, street2: c.street2 ?? '', city: c.city, region: c.region ?? '', postal_code: c.postal, country: c.country },
    },
    admins: c.admins,
    supports: c.supports,
    gateway: { platform: g.platform, site_name: g.siteName, mac: ['smbc', 'va'].includes(g.platform) ? '' : g.mac },
    pbx: p ? { host: p.host, port: p.port, username: p.username } : undefined,
  };
  await expect.poll(async () => project(await storedDraft(page, draftId)), { message: `the draft on the device, intact ${when}` }).toEqual(expected);
  if (p) expect(JSON.stringify(await storedDraft(page, draftId)), 'no password in the draft').not.toContain(p.password);
}
