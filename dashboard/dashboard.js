// Acme Telecom partner portal — a demo host page for the onboarding wizard.
//
// It embeds the wizard in an iframe and speaks the wizard's postMessage protocol (SPEC.md,
// "Embedding"): it answers `onboarding.ready` with `onboarding.init`, follows
// `onboarding.resized`, keeps its own list of drafts and completed onboardings from the events it
// receives (named by the customer name and step the messages carry, where they do), shows its
// lists again when the wizard returns (saved, cancelled or completed), and says so when the
// wizard does not open at all.
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
const STORAGE = {
  session: 'acme-portal:session',
  drafts: 'acme-portal:drafts',
  completed: 'acme-portal:completed',
};
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

// ---------------------------------------------------------------------------------------------
// The dashboard's own records (its localStorage, on its own origin). The drafts themselves live
// in the wizard's storage; these are the dashboard's notes about them.

function readList(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

function writeList(key, list) {
  try {
    localStorage.setItem(key, JSON.stringify(list));
  } catch {
    announce('This browser did not keep the dashboard’s lists (storage is full or disabled).');
  }
}

/** Adds or updates the draft record `draftId` with `changes`. */
function noteDraft(draftId, partnerId, changes) {
  const drafts = readList(STORAGE.drafts);
  let record = drafts.find((d) => d.draft_id === draftId);
  if (!record) {
    record = { draft_id: draftId, partner_id: partnerId, saved: false, step: null, customer_name: null, updated_at: null };
    drafts.push(record);
  }
  Object.assign(record, changes, { updated_at: new Date().toISOString() });
  writeList(STORAGE.drafts, drafts);
}

function forgetDraft(draftId) {
  writeList(STORAGE.drafts, readList(STORAGE.drafts).filter((d) => d.draft_id !== draftId));
}

function noteCompleted(draftId, onboardingId, partnerId, customerName) {
  const completed = readList(STORAGE.completed).filter((c) => c.onboarding_id !== onboardingId);
  completed.push({
    onboarding_id: onboardingId,
    draft_id: draftId,
    partner_id: partnerId,
    customer_name: customerName ?? null,
    completed_at: new Date().toISOString(),
  });
  writeList(STORAGE.completed, completed);
  forgetDraft(draftId);
}

// ---------------------------------------------------------------------------------------------
// Session controls: partner id, role and language for the next opening of the wizard.

function sessionSettings() {
  return {
    partner_id: $('partner-id').value.trim(),
    role: $('role').value === 'account_admin' ? 'account_admin' : 'partner',
    locale: $('locale').value === 'es' ? 'es' : 'en',
  };
}

function restoreSettings() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE.session) ?? '{}');
    if (typeof saved.partner_id === 'string') $('partner-id').value = saved.partner_id;
    if (saved.role === 'partner' || saved.role === 'account_admin') $('role').value = saved.role;
    if (saved.locale === 'en' || saved.locale === 'es') $('locale').value = saved.locale;
  } catch {
    // Unreadable settings: the form's defaults stand.
  }
}

function saveSettings() {
  try {
    localStorage.setItem(STORAGE.session, JSON.stringify(sessionSettings()));
  } catch {
    // Settings are a convenience; the form still holds them.
  }
  renderLists();
}

// ---------------------------------------------------------------------------------------------
// Opening and closing the wizard.

/**
 * Shows the wizard in a fresh iframe. `draftId` resumes that draft; without it the init asks for
 * a new onboarding (`draft_id: "new"`), which the wizard opens on its first step. The iframe
 * element is replaced so that a previous wizard's late messages (from the old window) fail the
 * `event.source` check.
 */
function openWizard({ draftId = null, partnerId, customerName = null } = {}) {
  if (!wizardOrigin) return; // not configured yet (or at all): there is nothing to frame
  const settings = sessionSettings();
  session = {
    role: settings.role,
    locale: settings.locale,
    partner_id: partnerId ?? settings.partner_id,
    draft_id: draftId,
    customer_name: customerName,
    step: null,
    ready: false,
    opened_with: { draftId, partnerId, customerName },
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
}

/** The wizard on its own, with this session's role, language and partner in its query string. */
function standaloneUrl({ role, locale, partner_id: partnerId }) {
  const url = new URL('/', wizardOrigin);
  url.searchParams.set('lang', locale);
  if (role === 'account_admin') url.searchParams.set('role', role);
  if (partnerId) url.searchParams.set('partner_id', partnerId);
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
  renderLists();
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
      // The draft to resume, or a new one; once the wizard has saved a new one (draft_saved),
      // a wizard reloading in the frame resumes it rather than starting yet another.
      const init = { role: session.role, locale: session.locale, partner_id: session.partner_id };
      init.draft_id = session.draft_id ?? NEW_DRAFT;
      postToWizard('onboarding.init', init);
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
        if (session.draft_id) noteDraft(session.draft_id, session.partner_id, described(session));
      }
      break;
    }
    case 'onboarding.draft_saved': {
      if (!isDraftId(msg.draft_id)) break;
      session.draft_id = msg.draft_id;
      Object.assign(session, aboutDraft(msg));
      // An autosave: the draft exists on the device, but Cancel may still discard it.
      noteDraft(msg.draft_id, session.partner_id, described(session));
      break;
    }
    case 'onboarding.saved_and_returned': {
      Object.assign(session, aboutDraft(msg));
      if (isDraftId(msg.draft_id)) {
        noteDraft(msg.draft_id, session.partner_id, { saved: true, ...described(session) });
      }
      closeWizard(`${capitalized(draftLabel(msg.draft_id, session.customer_name))} saved. Resume it from the list when you are ready.`);
      break;
    }
    case 'onboarding.cancelled': {
      // Cancel drops the changes since the last Save and return; a draft never saved that way
      // is discarded entirely, so the dashboard forgets it too. A saved one is back at its last
      // Save and return, which the message names.
      Object.assign(session, aboutDraft(msg));
      const name = session.customer_name;
      if (isDraftId(msg.draft_id)) {
        const known = readList(STORAGE.drafts).find((d) => d.draft_id === msg.draft_id);
        if (known && !known.saved) forgetDraft(msg.draft_id);
        else if (known) noteDraft(msg.draft_id, session.partner_id, described(session));
      }
      closeWizard(name ? `Onboarding for ${name} cancelled.` : 'Onboarding cancelled.');
      break;
    }
    case 'onboarding.completed': {
      if (isDraftId(msg.draft_id) && typeof msg.onboarding_id === 'string' && msg.onboarding_id) {
        const name = aboutDraft(msg).customer_name ?? session.customer_name;
        noteCompleted(msg.draft_id, msg.onboarding_id, session.partner_id, name);
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

/** The name and step known for the open draft, as a record keeps them. */
function described(known) {
  const changes = {};
  if (known.step) changes.step = known.step;
  if (known.customer_name !== undefined) changes.customer_name = known.customer_name;
  return changes;
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

function renderLists() {
  const partnerId = sessionSettings().partner_id;
  const drafts = readList(STORAGE.drafts)
    .filter((d) => d.partner_id === partnerId && isDraftId(d.draft_id))
    .sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
  const completed = readList(STORAGE.completed)
    .filter((c) => c.partner_id === partnerId)
    .sort((a, b) => String(b.completed_at).localeCompare(String(a.completed_at)));

  $('drafts').replaceChildren(
    ...drafts.map((d) => {
      const name = typeof d.customer_name === 'string' && d.customer_name ? d.customer_name : null;
      const resume = element('button', { type: 'button', className: 'resume', text: 'Resume' }, []);
      resume.append(element('span', { className: 'visually-hidden', text: ` ${draftLabel(d.draft_id, name)}` }));
      resume.dataset.draftId = d.draft_id;
      resume.addEventListener('click', () => openWizard({ draftId: d.draft_id, partnerId: d.partner_id, customerName: name }));
      const details = [
        d.saved ? 'Saved' : 'Autosaved',
        d.step ? `step: ${stepName(d.step)}` : null,
        d.updated_at ? `last change ${formatTime(d.updated_at)}` : null,
      ].filter(Boolean);
      // Named by its customer where a message said the name; by its id otherwise.
      const title = name
        ? [element('p', { className: 'record-title record-name', text: name }), element('p', { className: 'record-id' }, ['Draft ', element('code', { text: d.draft_id })])]
        : [element('p', { className: 'record-title' }, ['Draft ', element('code', { text: d.draft_id })])];
      return element('li', { className: 'record', 'data-draft-id': d.draft_id }, [
        element('div', {}, [...title, element('p', { className: 'record-meta', text: details.join(' · ') })]),
        resume,
      ]);
    }),
  );
  $('drafts-empty').hidden = drafts.length > 0;

  $('completed').replaceChildren(
    ...completed.map((c) => {
      const name = typeof c.customer_name === 'string' && c.customer_name ? c.customer_name : null;
      const id = element('p', { className: name ? 'record-id' : 'record-title' }, ['Onboarding ', element('code', { text: c.onboarding_id })]);
      return element('li', { className: 'record', 'data-onboarding-id': c.onboarding_id }, [
        element('div', {}, [
          ...(name ? [element('p', { className: 'record-title record-name', text: name })] : []),
          id,
          element('p', {
            className: 'record-meta',
            text: `from draft ${shortId(c.draft_id)} · completed ${formatTime(c.completed_at)}`,
          }),
        ]),
      ]);
    }),
  );
  $('completed-empty').hidden = completed.length > 0;
}

/** One log line: direction, type and the whole message as JSON. */
function logMessage(direction, message) {
  const log = $('message-log');
  const arrow = direction === 'sent' ? 'dashboard → wizard' : 'wizard → dashboard';
  const item = element('li', { className: `log-entry log-${direction}`, 'data-direction': direction, 'data-type': String(message.type) }, [
    element('span', { className: 'log-direction', text: arrow }),
    ' ',
    element('span', { className: 'log-type', text: String(message.type) }),
    element('code', { className: 'log-json', text: JSON.stringify(message) }),
  ]);
  log.append(item);
  while (log.children.length > MAX_LOG_ENTRIES) log.firstElementChild.remove();
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
  renderLists();
  for (const id of ['partner-id', 'role', 'locale']) $(id).addEventListener('change', saveSettings);
  $('session-form').addEventListener('submit', (event) => event.preventDefault());
  $('clear-log').addEventListener('click', () => $('message-log').replaceChildren());
  $('close-wizard').addEventListener('click', () => closeWizard('Wizard closed. Autosaved drafts stay in the list.'));
  $('retry-wizard').addEventListener('click', () => {
    if (session) openWizard(session.opened_with);
  });
  window.addEventListener('message', onMessage);
  // Another tab of the dashboard changed the lists.
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE.drafts || event.key === STORAGE.completed) renderLists();
  });

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
  document.documentElement.dataset.ready = 'true';
}

start();
