// The framework-free baseline of the Customer step (bench/static-form/index.html): what the
// wizard does on this step, written directly against the DOM, so bench/bench.mjs can compare.
// - Admin contacts: Add creates a numbered fieldset (ids admin_contacts-<i>-<field>, labels,
//   "Remove admin contact <n>") and focuses its first field; Remove renumbers the rows after it.
// - Support contacts: the same with a role select.
// - Autosave: every input/change schedules one write (400 ms, coalesced) of the whole form,
//   serialised to JSON, to localStorage; flushed on pagehide / when hidden. The write is
//   wrapped in a User Timing measure named `autosave`, like the app's.
// - Next: required fields and email shape, measured as `validate` (far simpler rules than the
//   app's, so only for scale).
'use strict';

(() => {
  const KEY = 'static-form:draft';
  const form = document.getElementById('customer-form');
  const admins = document.getElementById('admin_contacts');
  const supports = document.getElementById('support_contacts');
  const addAdmin = document.getElementById('add-admin-contact');
  const addSupport = document.getElementById('add-support-contact');
  const emptyAdmins = admins.querySelector('.empty-list');
  const CUSTOMER_FIELDS = ['name', 'address-street', 'address-street2', 'address-city', 'address-region',
    'address-postal_code', 'address-country', 'business_type', 'default_language'];
  const ROLES = [['maintainer', 'Maintainer'], ['onsite_admin', 'On-site administrator'], ['other', 'Other']];

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function field(list, i, name, label, type) {
    const id = `${list}-${i}-${name}`;
    const group = el('div', { class: 'form-group' });
    group.append(el('label', { class: 'label', for: id }, label));
    if (type === 'role') {
      const select = el('select', { class: 'select', id, name: id });
      for (const [value, text] of ROLES) select.append(el('option', { value }, text));
      select.value = 'other';
      group.append(select);
    } else {
      group.append(el('input', { class: 'input ', id, name: id, type, spellcheck: type === 'email' ? 'false' : 'true' }));
    }
    return group;
  }

  const LISTS = {
    admin_contacts: {
      box: admins, add: addAdmin, item: 'Admin contact', remove: 'Remove admin contact',
      fields: [['first_name', 'First name', 'text'], ['last_name', 'Last name', 'text'], ['email', 'Email', 'email']],
    },
    support_contacts: {
      box: supports, add: addSupport, item: 'Support contact', remove: 'Remove support contact',
      fields: [['role', 'Role', 'role'], ['name', 'Name', 'text'], ['email', 'Email', 'email']],
    },
  };

  function rows(list) {
    // Rows sit in a plain container inside the fieldset, as in the app.
    return LISTS[list].box.querySelectorAll(':scope > .contact-list > fieldset.contact');
  }

  // Focus after the next render; calls before it coalesce (the last wins), as the app does.
  let pendingFocus = null;
  function focusSoon(id) {
    const scheduled = pendingFocus !== null;
    pendingFocus = id;
    if (scheduled) return;
    requestAnimationFrame(() => {
      const f = document.getElementById(pendingFocus);
      pendingFocus = null;
      if (f) { f.focus(); f.scrollIntoView(); }
    });
  }

  function addRow(list) {
    const spec = LISTS[list];
    const i = rows(list).length;
    const row = el('fieldset', { class: 'contact', id: `${list}-${i}` });
    row.append(el('legend', { class: 'contact__legend' }, `${spec.item} ${i + 1}`));
    const fields = el('div', { class: 'contact__fields' });
    for (const [name, label, type] of spec.fields) fields.append(field(list, i, name, label, type));
    row.append(fields);
    row.append(el('button', { class: 'button button--quiet button--small', type: 'button', 'aria-label': `${spec.remove} ${i + 1}` }, 'Remove'));
    spec.box.querySelector(':scope > .contact-list').append(row);
    if (list === 'admin_contacts' && emptyAdmins) emptyAdmins.hidden = true;
    const first = `${list}-${i}-${spec.fields[0][0]}`;
    focusSoon(first);
    edited();
  }

  /** Gives row `row` the number i (0-based): ids, label targets, names, legend, Remove's name. */
  function renumber(list, row, i) {
    const spec = LISTS[list];
    row.id = `${list}-${i}`;
    row.querySelector('legend').textContent = `${spec.item} ${i + 1}`;
    row.querySelector(':scope > button').setAttribute('aria-label', `${spec.remove} ${i + 1}`);
    for (const [name] of spec.fields) {
      const id = `${list}-${i}-${name}`;
      const control = row.querySelector(`[id$="-${name}"]`);
      control.id = id;
      control.name = id;
      row.querySelector(`label[for$="-${name}"]`).setAttribute('for', id);
    }
  }

  function removeRow(list, row) {
    const all = [...rows(list)];
    const at = all.indexOf(row);
    row.remove();
    for (let i = at + 1; i < all.length; i++) renumber(list, all[i], i - 1);
    if (list === 'admin_contacts' && emptyAdmins) emptyAdmins.hidden = all.length > 1;
    LISTS[list].add.focus();
    edited();
  }

  function value(id) {
    return document.getElementById(id).value;
  }

  function snapshot() {
    const customer = {};
    for (const f of CUSTOMER_FIELDS) customer[f] = value(`customer-${f}`);
    const read = (list) => [...rows(list)].map((row, i) => {
      const out = {};
      for (const [name] of LISTS[list].fields) out[name] = value(`${list}-${i}-${name}`);
      return out;
    });
    return { updated_at: Date.now(), customer, admin_contacts: read('admin_contacts'), support_contacts: read('support_contacts') };
  }

  let timer = 0;
  function saveNow() {
    clearTimeout(timer);
    timer = 0;
    performance.mark('autosave');
    try {
      localStorage.setItem(KEY, JSON.stringify(snapshot()));
    } catch {
      // Storage refused: the page keeps working; a real page would say so.
    }
    performance.measure('autosave', 'autosave');
    performance.clearMarks('autosave');
  }
  function edited() {
    if (!timer) timer = setTimeout(saveNow, 400);
  }
  function flush() {
    if (timer) saveNow();
  }

  const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  function validate() {
    const errors = [];
    const required = (id) => { if (!value(id).trim()) errors.push([id, 'required']); };
    for (const f of ['name', 'address-street', 'address-city', 'address-postal_code', 'address-country', 'business_type']) required(`customer-${f}`);
    for (const list of Object.keys(LISTS)) {
      rows(list).forEach((_, i) => {
        for (const [name, , type] of LISTS[list].fields) {
          const id = `${list}-${i}-${name}`;
          required(id);
          if (type === 'email' && value(id) && !EMAIL.test(value(id).trim())) errors.push([id, 'email']);
        }
      });
    }
    return errors;
  }

  form.addEventListener('input', edited);
  form.addEventListener('change', edited);
  addAdmin.addEventListener('click', () => addRow('admin_contacts'));
  addSupport.addEventListener('click', () => addRow('support_contacts'));
  form.addEventListener('click', (ev) => {
    const button = ev.target.closest('fieldset.contact > button');
    if (!button) return;
    const row = button.parentElement;
    removeRow(row.id.startsWith('admin_contacts') ? 'admin_contacts' : 'support_contacts', row);
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    performance.mark('validate');
    const errors = validate();
    performance.measure('validate', 'validate');
    performance.clearMarks('validate');
    document.title = errors.length ? `Error: ${document.title.replace(/^Error: /, '')}` : document.title;
    saveNow();
  });
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'hidden') flush(); });
})();
