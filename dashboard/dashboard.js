// Acme Telecom partner portal — a demo host page for the onboarding wizard.
//
// It embeds the wizard in an iframe and speaks the wizard's postMessage protocol (SPEC.md,
// "Embedding"): it answers `onboarding.ready` with `onboarding.init`, follows
// `onboarding.resized`, keeps its own list of drafts and completed onboardings from the events it
// receives, and shows its lists again when the wizard returns (saved, cancelled or completed).
// docs/embedding.md quotes this file; keep the two in step.
//
// Plain ES module, no build step: the server's CSP allows only scripts and styles from this
// origin, and every text from a message is written with textContent, never as HTML.

const HOST_SOURCE = 'partner-dashboard';
const WIZARD_SOURCE = 'onboarding-wizard';
const PROTOCOL_VERSION = 1;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STORAGE = {
  session: 'acme-portal:session',
  drafts: 'acme-portal:drafts',
  completed: 'acme-portal:completed',
};
/** How long to wait for `onboarding.ready` after the frame has loaded before saying so. */
const READY_TIMEOUT_MS = 8000;
const MAX_LOG_ENTRIES = 300;
/** Guards against a runaway height; the wizard's pages are far shorter. */
const MAX_FRAME_HEIGHT = 20000;

const $ = (id) => document.getElementById(id);

/** The wizard's origin, from /dashboard-config.json (the server knows where the wizard is). */
let wizardOrigin = '';
/** The iframe now showing the wizard; replaced by a fresh element for every opening. */
let frame = $('wizard-frame');
/**
 * What the open wizard was started with: the `onboarding.init` fields, plus the draft it is
 * working on once known (from the init, or the first `draft_saved`).
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
    record = { draft_id: draftId, partner_id: partnerId, saved: false, step: null, updated_at: null };
    drafts.push(record);
  }
  Object.assign(record, changes, { updated_at: new Date().toISOString() });
  writeList(STORAGE.drafts, drafts);
}

function forgetDraft(draftId) {
  writeList(STORAGE.drafts, readList(STORAGE.drafts).filter((d) => d.draft_id !== draftId));
}

function noteCompleted(draftId, onboardingId, partnerId) {
  const completed = readList(STORAGE.completed).filter((c) => c.onboarding_id !== onboardingId);
  completed.push({
    onboarding_id: onboardingId,
    draft_id: draftId,
    partner_id: partnerId,
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
 * Shows the wizard in a fresh iframe. `draftId` resumes that draft; without it the wizard opens
 * its start page. The iframe element is replaced so that a previous wizard's late messages
 * (from the old window) fail the `event.source` check.
 */
function openWizard({ draftId = null, partnerId } = {}) {
  if (!wizardOrigin) return; // not configured yet (or at all): there is nothing to frame
  const settings = sessionSettings();
  session = {
    role: settings.role,
    locale: settings.locale,
    partner_id: partnerId ?? settings.partner_id,
    draft_id: draftId,
    ready: false,
  };
  const fresh = document.createElement('iframe');
  fresh.id = 'wizard-frame';
  fresh.title = 'Customer onboarding wizard';
  frame.replaceWith(fresh);
  frame = fresh;

  $('overview').hidden = true;
  $('wizard-view').hidden = false;
  $('wizard-step').textContent = draftId ? `Resuming draft ${shortId(draftId)}…` : 'Opening the wizard…';
  announce('');

  clearTimeout(readyTimer);
  frame.addEventListener('load', () => {
    clearTimeout(readyTimer);
    readyTimer = setTimeout(() => {
      if (session && !session.ready) {
        announce(
          `The wizard at ${wizardOrigin} did not answer. Check that ${location.origin} is in its ` +
            'allowed_parent_origins (config.json).',
        );
      }
    }, READY_TIMEOUT_MS);
  });
  frame.src = `${wizardOrigin}/`;
  $('wizard-heading').focus();
}

/** "Return to the partner dashboard": the wizard is gone, the lists are back. */
function closeWizard(message) {
  clearTimeout(readyTimer);
  session = null;
  const blank = document.createElement('iframe');
  blank.id = 'wizard-frame';
  blank.title = 'Customer onboarding wizard';
  frame.replaceWith(blank);
  frame = blank;
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
      const init = { role: session.role, locale: session.locale, partner_id: session.partner_id };
      if (session.draft_id) init.draft_id = session.draft_id;
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
      if (typeof msg.step === 'string') {
        session.step = msg.step;
        $('wizard-step').textContent = `Current step: ${msg.step}`;
        if (session.draft_id) noteDraft(session.draft_id, session.partner_id, { step: msg.step });
      }
      break;
    }
    case 'onboarding.draft_saved': {
      if (!isDraftId(msg.draft_id)) break;
      session.draft_id = msg.draft_id;
      // An autosave: the draft exists on the device, but Cancel may still discard it.
      noteDraft(msg.draft_id, session.partner_id, session.step ? { step: session.step } : {});
      break;
    }
    case 'onboarding.saved_and_returned': {
      if (isDraftId(msg.draft_id)) {
        noteDraft(msg.draft_id, session.partner_id, { saved: true, ...(session.step ? { step: session.step } : {}) });
      }
      closeWizard(`Draft ${shortId(msg.draft_id)} saved. Resume it from the list when you are ready.`);
      break;
    }
    case 'onboarding.cancelled': {
      // Cancel drops the changes since the last Save and return; a draft never saved that way
      // is discarded entirely, so the dashboard forgets it too.
      if (isDraftId(msg.draft_id)) {
        const known = readList(STORAGE.drafts).find((d) => d.draft_id === msg.draft_id);
        if (known && !known.saved) forgetDraft(msg.draft_id);
      }
      closeWizard('Onboarding cancelled.');
      break;
    }
    case 'onboarding.completed': {
      if (isDraftId(msg.draft_id) && typeof msg.onboarding_id === 'string' && msg.onboarding_id) {
        noteCompleted(msg.draft_id, msg.onboarding_id, session.partner_id);
        closeWizard(`Onboarding ${msg.onboarding_id} completed.`);
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

// ---------------------------------------------------------------------------------------------
// Rendering.

function shortId(id) {
  return typeof id === 'string' ? id.slice(0, 8) : '';
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
      const resume = element('button', { type: 'button', className: 'resume', text: 'Resume' }, []);
      resume.append(element('span', { className: 'visually-hidden', text: ` draft ${shortId(d.draft_id)}` }));
      resume.dataset.draftId = d.draft_id;
      resume.addEventListener('click', () => openWizard({ draftId: d.draft_id, partnerId: d.partner_id }));
      const details = [
        d.saved ? 'Saved' : 'Autosaved',
        d.step ? `step: ${d.step}` : null,
        d.updated_at ? `last change ${formatTime(d.updated_at)}` : null,
      ].filter(Boolean);
      return element('li', { className: 'record', 'data-draft-id': d.draft_id }, [
        element('div', {}, [
          element('p', { className: 'record-title' }, [
            'Draft ',
            element('code', { text: d.draft_id }),
          ]),
          element('p', { className: 'record-meta', text: details.join(' · ') }),
        ]),
        resume,
      ]);
    }),
  );
  $('drafts-empty').hidden = drafts.length > 0;

  $('completed').replaceChildren(
    ...completed.map((c) =>
      element('li', { className: 'record', 'data-onboarding-id': c.onboarding_id }, [
        element('div', {}, [
          element('p', { className: 'record-title' }, ['Onboarding ', element('code', { text: c.onboarding_id })]),
          element('p', {
            className: 'record-meta',
            text: `from draft ${shortId(c.draft_id)} · completed ${formatTime(c.completed_at)}`,
          }),
        ]),
      ]),
    ),
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
