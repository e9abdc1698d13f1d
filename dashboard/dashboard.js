// Acme Telecom partner portal — a demo host page for the onboarding wizard.
//
// It embeds the wizard in an iframe and speaks the wizard's postMessage protocol (SPEC.md,
// "Embedding"): it answers `onboarding.ready` with `onboarding.init` carrying a session from its
// own server (`POST /partner/session`, which holds the partner's secret key), answers
// `onboarding.session_requested` with a fresh one, follows
// `onboarding.resized`, shows its lists again when the wizard returns (saved, cancelled or
// completed), and says so when the wizard does not open at all. Both lists come from its server:
// the drafts in the partner's account (`GET /partner/drafts`, so a draft begun in another
// browser or by a colleague is listed too, and Resume opens it in the frame: the wizard fetches
// a draft its device lacks from the account) and the completed onboardings
// (`GET /partner/onboardings`). "Open the wizard in a new tab" signs in with a one-time link
// (`POST /partner/signin-link`).
// docs/embedding.md quotes this file; keep the two in step.
//
// Plain ES module, no build step: the server's CSP allows only scripts and styles from this
// origin, and every text from a message is written with textContent, never as HTML.

const HOST_SOURCE = 'partner-dashboard';
const WIZARD_SOURCE = 'onboarding-wizard';
const PROTOCOL_VERSION = 1;
/** `draft_id` in `onboarding.init` asking for a new onboarding, opened on its first step. */
const NEW_DRAFT = 'new';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The dashboard's settings in its localStorage. Never a session: that lives in `sessionToken`. */
const STORAGE = {
  settings: 'acme-portal:settings',
};
/** Where earlier versions of this page kept notes about drafts; removed at start. */
const OLD_DRAFT_NOTES = 'acme-portal:drafts';
/** The drafts list is read again on `onboarding.draft_saved` at most this often. */
const DRAFTS_REFRESH_MS = 5000;
/**
 * How long to wait for `onboarding.ready` after opening the frame before saying that the wizard
 * did not open (as the Host SDK's `timeout`). `?ready_timeout_ms=` on the dashboard's own URL
 * can only shorten it (the e2e tests do).
 */
const READY_TIMEOUT_MS = 10000;
const MAX_LOG_ENTRIES = 300;
/** Longer names (from a message: untrusted) are cut for display. */
const MAX_NAME_LENGTH = 200;
/** The wizard's steps (the `step` of its messages) as this page names them. */
const STEP_NAMES = { customer: 'Customer', gateway: 'Gateway', pbx: 'PBX', connect: 'Connect', sync: 'Sync', review: 'Review' };
/** Guards against a runaway height; the wizard's pages are far shorter. */
const MAX_FRAME_HEIGHT = 20000;

const $ = (id) => document.getElementById(id);

/** The wizard's origin, from /dashboard-config.json (the server knows where the wizard is). */
let wizardOrigin = '';
/** The iframe now showing the wizard; replaced by a fresh element for every opening. */
let frame = $('wizard-frame');
/**
 * What the open wizard was started with: the `onboarding.init` fields, plus the draft it is
 * working on once known (from the init, or the first `draft_saved`) and its customer name and
 * step as the messages tell them.
 */
let session = null;
let readyTimer = 0;
/**
 * The wizard session (a bearer token) last fetched from this dashboard's server. In memory only:
 * never in storage, a URL or the message log.
 */
let sessionToken = '';
/** The partner this dashboard's server signs in as, learnt from the sessions it hands out. */
let partnerId = '';
/** The account's drafts as the server last listed them (newest first); null until read. */
let accountDrafts = null;
/**
 * Drafts the wizard returned with `synced: false` (kept on its device, not in the account yet),
 * by id: listed as such until the account lists them. In memory only: the wizard's device copy
 * is the draft, this is the page's note that it exists.
 */
const unsentDrafts = new Map();
/** The drafts list's refresh: when it last started, a pending one, and the newest request. */
let draftsRefreshedAt = 0;
let draftsRefreshTimer = 0;
let draftsRequest = 0;

// ---------------------------------------------------------------------------------------------
// Session controls: role and language for the next opening of the wizard (the partner is the
// server key's).

function sessionSettings() {
  return {
    role: $('role').value === 'account_admin' ? 'account_admin' : 'partner',
    locale: $('locale').value === 'es' ? 'es' : 'en',
  };
}

function restoreSettings() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE.settings) ?? '{}');
    if (typeof saved.partner_id === 'string') showPartner(saved.partner_id);
    if (saved.role === 'partner' || saved.role === 'account_admin') $('role').value = saved.role;
    if (saved.locale === 'en' || saved.locale === 'es') $('locale').value = saved.locale;
  } catch {
    // Unreadable settings: the form's defaults stand.
  }
}

function saveSettings() {
  try {
    localStorage.setItem(STORAGE.settings, JSON.stringify({ ...sessionSettings(), partner_id: partnerId }));
  } catch {
    // Settings are a convenience; the form still holds them.
  }
}

function showPartner(id) {
  partnerId = id;
  $('partner-name').replaceChildren(element('code', { text: id }));
}

// ---------------------------------------------------------------------------------------------
// The partner's server: this dashboard's own origin, which calls the wizard's API with the
// partner's secret key. The page only ever sees what the routes answer.

/** `fetch` of a `/partner/…` route; its JSON answer, or an Error carrying the route's message. */
async function partnerServer(path, body) {
  const init = body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(path, { ...init, cache: 'no-store' });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(typeof answer.message === 'string' ? answer.message : `${path} answered ${response.status}`);
    error.code = answer.code;
    throw error;
  }
  return answer;
}

/** A fresh session for `role`, kept in `sessionToken`; null (and the reason shown) on failure. */
async function fetchSession(role) {
  try {
    const answer = await partnerServer('/partner/session', { role });
    sessionToken = answer.session;
    if (answer.partner_id !== partnerId) {
      showPartner(answer.partner_id);
      saveSettings();
    }
    showPartnerProblem(null);
    return answer;
  } catch (error) {
    sessionToken = '';
    showPartnerProblem(error);
    return null;
  }
}

/** Says why the dashboard cannot sign in (no key configured, key refused, wizard down). */
function showPartnerProblem(error) {
  $('partner-problem').hidden = !error;
  $('partner-problem-text').textContent = error
    ? `${error.message} Without a session the wizard still opens, but works on this device only and says it is not signed in.`
    : '';
}

/**
 * The drafts in the partner's account, newest first, as its server lists them. A failure keeps
 * the last list shown and says why; the answer of an older request never replaces a newer one.
 */
async function refreshDrafts() {
  clearTimeout(draftsRefreshTimer);
  draftsRefreshTimer = 0;
  draftsRefreshedAt = Date.now();
  const request = ++draftsRequest;
  try {
    const { drafts } = await partnerServer('/partner/drafts');
    if (request !== draftsRequest) return;
    accountDrafts = (Array.isArray(drafts) ? drafts : []).filter((d) => d && isDraftId(d.draft_id));
    for (const d of accountDrafts) unsentDrafts.delete(d.draft_id);
    $('drafts-problem').hidden = true;
  } catch (error) {
    if (request !== draftsRequest) return;
    if (error.code === 'no_partner_key') showPartnerProblem(error);
    $('drafts-problem').hidden = false;
    $('drafts-problem').textContent = `The drafts in your account could not be read: ${error.message}`;
  }
  renderDrafts();
}

/** `refreshDrafts`, at most once every DRAFTS_REFRESH_MS (the last call is never lost). */
function scheduleDraftsRefresh() {
  if (draftsRefreshTimer) return;
  const wait = draftsRefreshedAt + DRAFTS_REFRESH_MS - Date.now();
  if (wait <= 0) refreshDrafts();
  else draftsRefreshTimer = setTimeout(refreshDrafts, wait);
}

/** The partner's completed onboardings, newest first, as its server lists them. */
async function refreshOnboardings() {
  try {
    const { onboardings } = await partnerServer('/partner/onboardings');
    renderOnboardings(Array.isArray(onboardings) ? onboardings : []);
    $('completed-problem').hidden = true;
  } catch (error) {
    if (error.code === 'no_partner_key') showPartnerProblem(error);
    $('completed-problem').hidden = false;
    $('completed-problem').textContent = `The list could not be read: ${error.message}`;
  }
}

/**
 * "Open the wizard in a new tab": a one-time sign-in link, new for every click, so the tab is
 * signed in as this partner. The tab is opened at once (a popup blocker allows only that) and
 * sent on when the link arrives; without a link it gets the wizard unsigned.
 */
async function openSignedIn(event, draftId) {
  event.preventDefault();
  const fallback = event.currentTarget.href;
  const tab = window.open('about:blank', '_blank');
  if (!tab) return;
  tab.opener = null;
  try {
    const body = { role: sessionSettings().role };
    if (isDraftId(draftId)) body.draft_id = draftId;
    const { url } = await partnerServer('/partner/signin-link', body);
    tab.location.href = url;
  } catch (error) {
    showPartnerProblem(error);
    tab.location.href = fallback;
  }
}

// ---------------------------------------------------------------------------------------------
// Opening and closing the wizard.

/**
 * Shows the wizard in a fresh iframe. `draftId` resumes that draft; without it the init asks for
 * a new onboarding (`draft_id: "new"`), which the wizard opens on its first step. The iframe
 * element is replaced so that a previous wizard's late messages (from the old window) fail the
 * `event.source` check.
 */
function openWizard({ draftId = null, customerName = null } = {}) {
  if (!wizardOrigin) return; // not configured yet (or at all): there is nothing to frame
  const settings = sessionSettings();
  session = {
    role: settings.role,
    locale: settings.locale,
    partner_id: partnerId,
    draft_id: draftId,
    customer_name: customerName,
    step: null,
    ready: false,
    opened_with: { draftId, customerName },
  };
  replaceFrame();

  $('overview').hidden = true;
  $('wizard-view').hidden = false;
  $('wizard-problem').hidden = true;
  $('wizard-step').textContent = draftId ? `Resuming ${draftLabel(draftId, customerName)}…` : 'Opening the wizard…';
  announce('');

  // Counted from now, not from the frame's load event: a frame the wizard's server refuses
  // (frame-ancestors) may never report a load at all.
  clearTimeout(readyTimer);
  const timeout = readyTimeoutMs();
  readyTimer = setTimeout(() => wizardDidNotOpen(timeout), timeout);
  frame.src = `${wizardOrigin}/`;
  $('wizard-heading').focus();
}

/** A fresh, empty iframe in place of the current one; its old window's messages are ignored. */
function replaceFrame({ hidden = false } = {}) {
  const fresh = document.createElement('iframe');
  fresh.id = 'wizard-frame';
  fresh.title = 'Customer onboarding wizard';
  fresh.hidden = hidden;
  frame.replaceWith(fresh);
  frame = fresh;
}

function readyTimeoutMs() {
  const asked = Number(new URLSearchParams(location.search).get('ready_timeout_ms'));
  return Number.isInteger(asked) && asked > 0 && asked < READY_TIMEOUT_MS ? asked : READY_TIMEOUT_MS;
}

/**
 * No `onboarding.ready` in time: the wizard refused this page (its `frame-ancestors` or its
 * `allowed_parent_origins` do not list this origin) or could not be reached. Instead of a frame
 * that shows nothing or the browser's error page, say so, and offer the wizard in a tab of its
 * own (standalone, it needs no parent's permission) or another try.
 */
function wizardDidNotOpen(timeout) {
  if (!session || session.ready) return;
  replaceFrame({ hidden: true });
  $('wizard-step').textContent = 'The wizard did not open.';
  $('wizard-problem').hidden = false;
  $('wizard-problem-text').textContent =
    `The wizard at ${wizardOrigin} did not answer within ${seconds(timeout)}. It may not allow this ` +
    `dashboard (${location.origin}) to embed it: its allowed_parent_origins (config.json) must ` +
    'list this origin exactly. Or the wizard is not reachable right now.';
  $('open-in-tab').href = standaloneUrl(session);
  $('open-in-tab').dataset.draftId = session.draft_id ?? '';
}

/** The wizard on its own, with this session's role, language and partner in its query string. */
function standaloneUrl({ role, locale, partner_id: partner }) {
  const url = new URL('/', wizardOrigin);
  url.searchParams.set('lang', locale);
  if (role === 'account_admin') url.searchParams.set('role', role);
  if (partner) url.searchParams.set('partner_id', partner);
  return url.href;
}

function seconds(ms) {
  const s = Math.round(ms / 100) / 10;
  return `${s} second${s === 1 ? '' : 's'}`;
}

/** "Return to the partner dashboard": the wizard is gone, the lists are back. */
function closeWizard(message) {
  clearTimeout(readyTimer);
  session = null;
  replaceFrame();
  $('wizard-view').hidden = true;
  $('overview').hidden = false;
  renderDrafts();
  // Now, and once more a little later: the closed wizard's last send to the account (on page
  // hide, or a Cancel's delete) may still be on its way.
  refreshDrafts();
  scheduleDraftsRefresh();
  $('open-standalone').href = standaloneUrl({ ...sessionSettings(), partner_id: partnerId });
  announce(message);
  $('drafts-heading').focus();
}

// ---------------------------------------------------------------------------------------------
// The protocol.

/** Posts a host → wizard message to the framed wizard, and only to the wizard's origin. */
function postToWizard(type, fields) {
  const message = { source: HOST_SOURCE, version: PROTOCOL_VERSION, type, ...fields };
  // The exact origin, never '*': if the frame has navigated elsewhere, nothing is delivered.
  frame.contentWindow?.postMessage(message, wizardOrigin);
  logMessage('sent', message);
}

/**
 * A fresh session from this dashboard's server for the open wizard, or null. Also null when the
 * wizard was closed or replaced while it was being fetched: it is then for nobody.
 */
async function sessionFor(opened) {
  const answer = await fetchSession(opened.role);
  return answer && session === opened ? answer : null;
}

/** Accepts a message only from the wizard's origin AND from the window in our own iframe. */
function onMessage(event) {
  if (event.origin !== wizardOrigin || event.source !== frame.contentWindow) return;
  const msg = event.data;
  if (!msg || typeof msg !== 'object' || msg.source !== WIZARD_SOURCE || msg.version !== PROTOCOL_VERSION) {
    return;
  }
  logMessage('received', msg);
  if (!session) return;

  switch (msg.type) {
    case 'onboarding.ready': {
      // Answer every ready (the wizard may reload inside the frame) with this session's init.
      session.ready = true;
      clearTimeout(readyTimer);
      announce('');
      // A session from this dashboard's server decides the partner and role. Without one
      // (no key configured, or the server failed) the init goes without: the wizard still
      // opens, on this device only.
      const opened = session;
      sessionFor(opened).then((fresh) => {
        if (session !== opened) return;
        if (fresh) Object.assign(session, { role: fresh.role, partner_id: fresh.partner_id });
        // The draft to resume, or a new one; once the wizard has saved a new one (draft_saved),
        // a wizard reloading in the frame resumes it rather than starting yet another.
        const init = { role: session.role, locale: session.locale, partner_id: session.partner_id };
        init.draft_id = session.draft_id ?? NEW_DRAFT;
        if (fresh) init.session = sessionToken;
        postToWizard('onboarding.init', init);
      });
      break;
    }
    case 'onboarding.session_requested': {
      // The session is about to expire (or has): a fresh one, while the wizard goes on.
      const opened = session;
      sessionFor(opened).then((fresh) => {
        if (fresh) postToWizard('onboarding.session', { session: sessionToken });
      });
      break;
    }
    case 'onboarding.resized': {
      const height = Number(msg.height);
      if (Number.isFinite(height) && height > 0) {
        // CSSOM from a script file: allowed by style-src 'self' (no inline style attribute).
        frame.style.height = `${Math.min(Math.ceil(height), MAX_FRAME_HEIGHT)}px`;
      }
      break;
    }
    case 'onboarding.step_changed': {
      if (isStep(msg.step)) {
        Object.assign(session, aboutDraft(msg));
        $('wizard-step').textContent = `Current step: ${stepName(msg.step)}`;
      }
      break;
    }
    case 'onboarding.draft_saved': {
      if (!isDraftId(msg.draft_id)) break;
      session.draft_id = msg.draft_id;
      Object.assign(session, aboutDraft(msg));
      // An autosave on the device; the wizard sends it to the account in the background, so
      // the list (hidden while the wizard is open) is read again now and then.
      scheduleDraftsRefresh();
      break;
    }
    case 'onboarding.saved_and_returned': {
      // `synced`: whether the account confirmed the draft before the wizard returned. Without
      // it (an older wizard) the page says only that it was saved.
      Object.assign(session, aboutDraft(msg));
      const label = capitalized(draftLabel(msg.draft_id, session.customer_name));
      if (msg.synced === false && isDraftId(msg.draft_id)) {
        unsentDrafts.set(msg.draft_id, { draft_id: msg.draft_id, customer_name: session.customer_name, current_step: session.step });
      }
      closeWizard(savedMessage(label, msg.synced));
      break;
    }
    case 'onboarding.cancelled': {
      // Cancel drops the changes since the last Save and return, on the device and in the
      // account; a draft never saved that way is discarded entirely. The list is read again.
      Object.assign(session, aboutDraft(msg));
      const name = session.customer_name;
      closeWizard(name ? `Onboarding for ${name} cancelled.` : 'Onboarding cancelled.');
      break;
    }
    case 'onboarding.completed': {
      if (isDraftId(msg.draft_id) && typeof msg.onboarding_id === 'string' && msg.onboarding_id) {
        const name = aboutDraft(msg).customer_name ?? session.customer_name;
        // Accepting the onboarding deleted its draft in the account.
        unsentDrafts.delete(msg.draft_id);
        refreshOnboardings();
        closeWizard(name ? `Onboarding ${msg.onboarding_id} for ${name} completed.` : `Onboarding ${msg.onboarding_id} completed.`);
      }
      break;
    }
    default:
      // A newer wizard may send types this page does not know: logged, otherwise ignored.
      break;
  }
}

function isDraftId(value) {
  return typeof value === 'string' && UUID_RE.test(value);
}

function isStep(value) {
  return typeof value === 'string' && /^[a-z_]{1,32}$/.test(value);
}

/**
 * The optional `customer_name` and `step` of a message about a draft. A message with a `step`
 * speaks for the name too (no `customer_name`: the draft has none); one without either, as
 * older wizards send, leaves what the dashboard knew.
 */
function aboutDraft(msg) {
  const name = typeof msg.customer_name === 'string' ? msg.customer_name.trim().slice(0, MAX_NAME_LENGTH) : '';
  if (isStep(msg.step)) return { step: msg.step, customer_name: name || null };
  return name ? { customer_name: name } : {};
}

/** What the status line says after Save and return, by the message's `synced`. */
function savedMessage(label, synced) {
  if (synced === true) return `${label} saved to your account. Resume it from the list when you are ready, in this browser or another.`;
  if (synced === false) {
    return `${label} kept on the device, not sent yet: the wizard sends it to your account when it next opens and the connection allows. Resume it from the list when you are ready.`;
  }
  return `${label} saved. Resume it from the list when you are ready.`;
}

// ---------------------------------------------------------------------------------------------
// Rendering.

function shortId(id) {
  return typeof id === 'string' ? id.slice(0, 8) : '';
}

function stepName(step) {
  return Object.hasOwn(STEP_NAMES, step) ? STEP_NAMES[step] : step;
}

/** "the draft for <name>", or by its id when the name is not known (older records, unnamed). */
function draftLabel(draftId, customerName) {
  return customerName ? `the draft for ${customerName}` : `draft ${shortId(draftId)}`;
}

function capitalized(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

/**
 * The drafts list: those the wizard kept on its device and has not sent yet (from
 * `saved_and_returned`, until the account lists them), then the account's, newest first. Each
 * by its customer name ("Unnamed customer" without one), step and when it was last saved.
 */
function renderDrafts() {
  const listed = accountDrafts ?? [];
  const unsent = [...unsentDrafts.values()].filter((u) => !listed.some((d) => d.draft_id === u.draft_id));
  const items = [...unsent.map((d) => ({ ...d, unsent: true })), ...listed];
  $('drafts').replaceChildren(...items.map(draftItem));
  // "No drafts" only once the account's list is known (not while it loads, nor when it failed).
  $('drafts-empty').hidden = items.length > 0 || accountDrafts === null || !$('drafts-problem').hidden;
}

function draftItem(d) {
  const name = typeof d.customer_name === 'string' && d.customer_name.trim() ? d.customer_name.trim().slice(0, MAX_NAME_LENGTH) : null;
  const resume = element('button', { type: 'button', className: 'resume', text: 'Resume' }, []);
  resume.append(element('span', { className: 'visually-hidden', text: ` ${draftLabel(d.draft_id, name)}` }));
  resume.dataset.draftId = d.draft_id;
  resume.addEventListener('click', () => openWizard({ draftId: d.draft_id, customerName: name }));
  const saved = formatTime(d.updated_at);
  const details = [
    d.unsent ? 'Kept on the device, not sent yet' : null,
    isStep(d.current_step) ? `step: ${stepName(d.current_step)}` : null,
    saved ? `last saved ${saved}` : null,
  ].filter(Boolean);
  return element('li', { className: d.unsent ? 'record record-unsent' : 'record', 'data-draft-id': d.draft_id }, [
    element('div', {}, [
      element('p', { className: name ? 'record-title record-name' : 'record-title record-unnamed', text: name ?? 'Unnamed customer' }),
      element('p', { className: 'record-id' }, ['Draft ', element('code', { text: d.draft_id })]),
      element('p', { className: 'record-meta', text: details.join(' · ') }),
    ]),
    resume,
  ]);
}

/** The server's list: by customer name where there is one, with the onboarding id and when. */
function renderOnboardings(onboardings) {
  $('completed').replaceChildren(
    ...onboardings.filter((o) => typeof o.id === 'string' && o.id).map((o) => {
      const name = typeof o.customer_name === 'string' && o.customer_name ? o.customer_name.slice(0, MAX_NAME_LENGTH) : null;
      const id = element('p', { className: name ? 'record-id' : 'record-title' }, ['Onboarding ', element('code', { text: o.id })]);
      return element('li', { className: 'record', 'data-onboarding-id': o.id }, [
        element('div', {}, [
          ...(name ? [element('p', { className: 'record-title record-name', text: name })] : []),
          id,
          element('p', { className: 'record-meta', text: `received ${formatTime(o.received_at)}` }),
        ]),
      ]);
    }),
  );
  $('completed-empty').hidden = onboardings.length > 0;
}

/** One log line: direction, type and the whole message as JSON. */
function logMessage(direction, message) {
  const log = $('message-log');
  const arrow = direction === 'sent' ? 'dashboard → wizard' : 'wizard → dashboard';
  const item = element('li', { className: `log-entry log-${direction}`, 'data-direction': direction, 'data-type': String(message.type) }, [
    element('span', { className: 'log-direction', text: arrow }),
    ' ',
    element('span', { className: 'log-type', text: String(message.type) }),
    element('code', { className: 'log-json', text: JSON.stringify(message, redactSession) }),
  ]);
  // Save and return says whether the account has the draft.
  if (message.type === 'onboarding.saved_and_returned' && typeof message.synced === 'boolean') {
    item.append(element('span', { className: 'log-note', text: message.synced ? 'saved to your account' : 'kept on the device, not sent yet' }));
  }
  log.append(item);
  while (log.children.length > MAX_LOG_ENTRIES) log.firstElementChild.remove();
}

/** The log shows that a message carried a session, never the session itself. */
function redactSession(key, value) {
  return key === 'session' && typeof value === 'string' ? '…' : value;
}

function announce(text) {
  $('dashboard-status').textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Start.

async function loadConfig() {
  const response = await fetch('/dashboard-config.json', { cache: 'no-cache' });
  if (!response.ok) throw new Error(`/dashboard-config.json answered ${response.status}`);
  const config = await response.json();
  const origin = typeof config.wizard_origin === 'string' ? config.wizard_origin : '';
  // Must be an origin exactly as browsers write event.origin (no path, no trailing slash).
  if (!origin || new URL(origin).origin !== origin) throw new Error(`wizard_origin ${JSON.stringify(origin)} is not an origin`);
  return origin;
}

async function start() {
  restoreSettings();
  try {
    localStorage.removeItem(OLD_DRAFT_NOTES);
  } catch {
    // No storage: nothing to remove.
  }
  for (const id of ['role', 'locale']) $(id).addEventListener('change', saveSettings);
  $('session-form').addEventListener('submit', (event) => event.preventDefault());
  $('clear-log').addEventListener('click', () => $('message-log').replaceChildren());
  $('close-wizard').addEventListener('click', () => closeWizard('Wizard closed. Drafts it has sent to your account are in the list.'));
  $('retry-wizard').addEventListener('click', () => {
    if (session) openWizard(session.opened_with);
  });
  window.addEventListener('message', onMessage);
  $('open-standalone').addEventListener('click', (event) => openSignedIn(event, null));
  $('open-in-tab').addEventListener('click', (event) => openSignedIn(event, event.currentTarget.dataset.draftId));

  const newButton = $('new-onboarding');
  newButton.disabled = true;
  try {
    wizardOrigin = await loadConfig();
  } catch (error) {
    announce(`The dashboard could not find the wizard: ${error.message}`);
    return;
  }
  newButton.disabled = false;
  newButton.addEventListener('click', () => openWizard());
  $('open-standalone').href = standaloneUrl({ ...sessionSettings(), partner_id: partnerId });
  await Promise.all([refreshDrafts(), refreshOnboardings()]);
  document.documentElement.dataset.ready = 'true';
}

start();
