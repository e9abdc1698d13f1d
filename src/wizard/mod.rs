//! The state of the onboarding being edited: one signal per field, rows that own their signals
//! (a keystroke in a contact row notifies only that row), and the transitions the controls
//! dispatch (next, save and return, cancel). Rules come from `onboarding-core`.

mod errors;
mod fields;
mod rows;
mod tab_sync;
mod written;

pub use errors::{dom_id, message, target_id, Errors};
pub use fields::{AddressFields, CustomerFields, GatewayFields, PbxFields, SyncFields};
pub use rows::{AdminRow, Row, SupportRow};
pub use tab_sync::{use_tab_sync, TabSync};

use leptos::prelude::*;
use onboarding_core::draft_codec::{DecodeError, StoredDraft};
use onboarding_core::steps::{next_step, steps_for, StepId};
use onboarding_core::validate::validate_step;
use onboarding_core::{Draft, FieldError};

use crate::dom;
use crate::drafts::{Autosave, DraftStore};

#[derive(Clone, Copy)]
pub struct Wizard {
    /// Owns every signal of this draft, rows added later included.
    owner: StoredValue<Owner>,
    pub draft_id: StoredValue<String>,
    partner_id: StoredValue<Option<String>>,
    pub customer: CustomerFields,
    pub gateway: GatewayFields,
    pub pbx: PbxFields,
    pub sync: SyncFields,
    pub admins: RwSignal<Vec<AdminRow>>,
    pub supports: RwSignal<Vec<SupportRow>>,
    next_row_id: StoredValue<u64>,
    /// The next unused `slot` of each list (see `AdminRow::slot`).
    next_admin_slot: StoredValue<usize>,
    next_support_slot: StoredValue<usize>,
    pub current_step: RwSignal<StepId>,
    pub completed: RwSignal<Vec<StepId>>,
    /// The checkpoint of the last *Save and return*; `None` for a never-saved onboarding.
    saved: StoredValue<Option<Draft>>,
    pub errors: Errors,
    /// Errors the partner backend reported (422) that the user has not edited since; shown on
    /// their step beside the local rules' errors.
    server_errors: RwSignal<Vec<FieldError>>,
    /// True when this draft came back from the device with PBX answers but, necessarily, no
    /// password: the PBX step says why the field is empty.
    pub password_not_kept: RwSignal<bool>,
    /// The working copy as this tab last wrote or read it: edits since then are this tab's own.
    /// A save brings it up to date from the signals (see `written.rs`) and writes it.
    persisted: StoredValue<Draft>,
    /// Contact rows edited since `persisted` was last brought up to date.
    edited_rows: StoredValue<written::EditedRows>,
    /// Asks the next `enter_step` of this step to show its errors at once (Submit found them).
    show_on_entry: StoredValue<Option<StepId>>,
    pub submitter: crate::submit::Submitter,
    /// A submission was started and not accepted (see `StoredDraft::submission_waiting`).
    submission_waiting: StoredValue<bool>,
    revalidate_pending: StoredValue<bool>,
    autosave: Autosave,
    store: DraftStore,
}

impl PartialEq for Wizard {
    /// The same wizard object: a draft reloaded from the device is a new one.
    fn eq(&self, other: &Self) -> bool {
        self.owner == other.owner
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum LoadProblem {
    NotADraftId,
    Unreadable(DecodeError),
}

impl Wizard {
    fn new(stored: StoredDraft, store: DraftStore) -> Wizard {
        // A root owner: the wizard outlives the route component that happened to open it.
        let owner = Owner::new_root(None);
        let wizard = owner.clone().with(|| {
            let d = &stored.working;
            Wizard {
                owner: StoredValue::new(owner),
                draft_id: StoredValue::new(d.id.clone()),
                partner_id: StoredValue::new(d.partner_id.clone()),
                customer: CustomerFields::new(&d.customer),
                gateway: GatewayFields::new(&d.gateway),
                pbx: PbxFields::new(&d.pbx),
                sync: SyncFields::new(&d.sync),
                admins: RwSignal::new(d.admin_contacts.iter().enumerate().map(|(i, c)| AdminRow::new(i, i, c)).collect()),
                supports: RwSignal::new(d.support_contacts.iter().enumerate().map(|(i, c)| SupportRow::new(i, i, c)).collect()),
                next_row_id: StoredValue::new(d.next_row_id()),
                next_admin_slot: StoredValue::new(d.admin_contacts.len()),
                next_support_slot: StoredValue::new(d.support_contacts.len()),
                current_step: RwSignal::new(d.current_step),
                completed: RwSignal::new(d.completed.clone()),
                saved: StoredValue::new(stored.saved.clone()),
                errors: Errors::default(),
                server_errors: RwSignal::new(Vec::new()),
                password_not_kept: RwSignal::new(
                    d.completed.contains(&StepId::Pbx) || !d.pbx.host.is_empty() || !d.pbx.username.is_empty(),
                ),
                show_on_entry: StoredValue::new(None),
                persisted: StoredValue::new(d.clone()),
                edited_rows: StoredValue::new(written::EditedRows::default()),
                submitter: crate::submit::Submitter::default(),
                submission_waiting: StoredValue::new(stored.submission_waiting),
                revalidate_pending: StoredValue::new(false),
                autosave: Autosave::default(),
                store,
            }
        });
        // Errors are kept under the rows' slots, not their positions (see `AdminRow::slot`).
        let (admins, supports) = (wizard.admins, wizard.supports);
        wizard.errors.key_paths_by(move |path| row_place(admins, supports, path, '['));
        wizard
    }

    /// Opens the draft with this id, or starts a new onboarding under it when the device has
    /// none (nothing is written until the first edit).
    pub fn open(draft_id: &str, partner_id: Option<String>, store: DraftStore) -> Result<Wizard, LoadProblem> {
        // Only the canonical spelling, so one draft never sits under two storage keys.
        if uuid::Uuid::try_parse(draft_id).map(|u| u.hyphenated().to_string()).as_deref() != Ok(draft_id) {
            return Err(LoadProblem::NotADraftId);
        }
        let stored = match store.load(draft_id).map_err(LoadProblem::Unreadable)? {
            Some(stored) => stored,
            None => StoredDraft::new(Draft::new(draft_id, partner_id), dom::now_ms()),
        };
        Ok(Wizard::new(stored, store))
    }

    /// The draft as the user has entered it, read without subscribing.
    pub fn snapshot(&self) -> Draft {
        Draft {
            id: self.draft_id.get_value(),
            partner_id: self.partner_id.get_value(),
            current_step: self.current_step.get_untracked(),
            completed: self.completed.get_untracked(),
            customer: self.customer.snapshot(),
            admin_contacts: self.admins.with_untracked(|rows| rows.iter().map(AdminRow::snapshot).collect()),
            support_contacts: self.supports.with_untracked(|rows| rows.iter().map(SupportRow::snapshot).collect()),
            gateway: self.gateway.snapshot(),
            pbx: self.pbx.snapshot(),
            sync: self.sync.snapshot(),
        }
    }

    /// The platform chosen on Gateway (reactive): it decides the path.
    pub fn platform(&self) -> Option<String> {
        Some(self.gateway.platform.get()).filter(|p| !p.is_empty())
    }

    /// The steps of the current path (reactive in the platform).
    pub fn path(&self) -> &'static [StepId] {
        steps_for(self.platform().as_deref())
    }

    /// The errors to show for a step: its rules, plus what the backend reported for it.
    fn step_errors(&self, step: StepId) -> Vec<FieldError> {
        let mut errors = validate_step(step, &self.snapshot());
        self.server_errors.with_untracked(|server| {
            for e in server.iter().filter(|e| self.shown_on(step, e)) {
                if !errors.iter().any(|mine| mine.path == e.path) {
                    errors.push(e.clone());
                }
            }
        });
        errors
    }

    /// The form's bubbling `input` or `change` event: the field it came from is marked
    /// (`field_edited`), then the save and any revalidation are scheduled (`edited`).
    pub fn form_edited(&self, ev: &web_sys::Event) {
        use wasm_bindgen::JsCast;
        if let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            self.field_edited(&el.id());
        }
        self.edited();
    }

    /// A field was edited (its element id): the backend's verdict on it no longer holds, and
    /// if it is in a contact row, the next save reads that row again.
    pub fn field_edited(&self, dom_id: &str) {
        self.edited_rows.update_value(|e| e.mark(dom_id));
        let on_field = |e: &FieldError| errors::dom_id(&self.errors.key_of(&e.path)) == dom_id;
        if self.server_errors.with_untracked(|s| s.iter().any(on_field)) {
            self.server_errors.update(|s| s.retain(|e| !on_field(e)));
        }
    }

    /// True when the page of `step` shows this backend error (Review shows those no step can).
    fn shown_on(&self, step: StepId, error: &FieldError) -> bool {
        match self.errors.step_showing(error) {
            Some(s) => s == step,
            None => step == StepId::Review,
        }
    }

    /// The element id of a field named by its position (`admin_contacts-2-email`, as Review's
    /// Change links and the address bar say it): contact rows' ids carry their slot.
    pub fn element_id(&self, positional_id: &str) -> String {
        match row_place(self.admins, self.supports, positional_id, '-') {
            rows::RowPlace::Slot(id) => id,
            rows::RowPlace::NotARow | rows::RowPlace::Missing => positional_id.to_string(),
        }
    }

    /// The backend refused the submission: keeps its errors and returns the first step that
    /// has one (or Review, for errors about no field this version shows).
    pub fn take_server_errors(&self, errors: Vec<FieldError>) -> StepId {
        let path = steps_for(self.snapshot().platform());
        let step = path.iter().copied().find(|s| errors.iter().any(|e| self.errors.step_showing(e) == Some(*s))).unwrap_or(StepId::Review);
        self.server_errors.set(errors);
        step
    }

    /// Submit found errors on `step`: they show as soon as it is entered.
    pub fn show_errors_on(&self, step: StepId) {
        self.show_on_entry.set_value(Some(step));
        if self.current_step.get_untracked() == step {
            self.enter_step(step);
        }
    }

    /// The onboarding was accepted and its confirmation kept: the draft leaves the device.
    pub fn finish(&self) {
        self.autosave.stop();
        self.store.delete(&self.draft_id.get_value());
    }

    /// Shows the errors of the current step as after a Next.
    pub fn show_errors(&self, errors: Vec<FieldError>) {
        self.errors.set(errors);
        self.errors.show();
    }

    /// The first step of the path that is not complete yet, after `step`.
    pub fn first_incomplete_after(&self, step: StepId) -> Option<StepId> {
        let path = self.path();
        let completed = self.completed.get_untracked();
        let at = path.iter().position(|s| *s == step)?;
        path[at + 1..].iter().copied().find(|s| *s != StepId::Review && !completed.contains(s))
    }

    fn new_row_id(&self) -> u64 {
        let id = self.next_row_id.get_value();
        self.next_row_id.set_value(id + 1);
        id
    }

    /// Appends a row built by `make(index, slot, id)` under the wizard's owner; returns its slot.
    fn push_row<R: Send + Sync + 'static>(
        &self,
        list: RwSignal<Vec<R>>,
        slots: StoredValue<usize>,
        make: impl FnOnce(usize, usize, u64) -> R,
    ) -> usize {
        let id = self.new_row_id();
        let index = list.with_untracked(Vec::len);
        let slot = slots.get_value();
        slots.set_value(slot + 1);
        let row = self.owner.get_value().with(|| make(index, slot, id));
        list.update(|rows| rows.push(row));
        self.edited();
        slot
    }

    /// Removes the row with this id; rows after it are renumbered, rows before it untouched.
    fn remove_row<R: Row + Send + Sync + 'static>(&self, list: RwSignal<Vec<R>>, id: u64) {
        list.update(|rows| {
            rows.retain(|r| r.id() != id);
            rows::renumber(rows.iter().map(Row::index));
        });
        self.edited();
    }

    /// Adds an empty admin contact; returns its slot (its fields' ids: `admin_contacts-{slot}-…`).
    pub fn add_admin(&self) -> usize {
        self.push_row(self.admins, self.next_admin_slot, |index, slot, id| {
            AdminRow::new(index, slot, &onboarding_core::AdminContact { id, ..Default::default() })
        })
    }

    pub fn remove_admin(&self, id: u64) {
        self.remove_row(self.admins, id);
    }

    /// New support contacts start as Other: the two mandatory roles come with a new onboarding.
    pub fn add_support(&self) -> usize {
        self.push_row(self.supports, self.next_support_slot, |index, slot, id| {
            let role = onboarding_core::SupportRole::Other;
            SupportRow::new(index, slot, &onboarding_core::SupportContact { id, role, ..Default::default() })
        })
    }

    pub fn remove_support(&self, id: u64) {
        self.remove_row(self.supports, id);
    }

    /// Called for every edit (the form's bubbling input/change events, row add/remove): only
    /// schedules work, so the keystroke itself stays cheap.
    pub fn edited(&self) {
        let this = *self;
        self.autosave.schedule(move || {
            this.save_now();
        });
        if self.errors.shown.get_untracked() && !self.revalidate_pending.get_value() {
            self.revalidate_pending.set_value(true);
            request_animation_frame(move || {
                this.revalidate_pending.set_value(false);
                this.errors.set(this.step_errors(this.current_step.get_untracked()));
            });
        }
    }

    /// Writes the draft now (a pending autosave is folded in). False when the device refused.
    pub fn save_now(&self) -> bool {
        dom::measure("autosave", || {
            self.autosave.take_pending();
            if self.autosave.is_stopped() {
                return true;
            }
            let working = self.working_for_save();
            if self.saved.with_value(Option::is_none) && working.is_untouched() && working.completed.is_empty() {
                // Nothing typed (or everything erased): no entry on the device for an empty onboarding.
                self.store.delete(&working.id);
                self.persisted.set_value(working);
                return true;
            }
            let stored = StoredDraft {
                updated_at: dom::now_ms(),
                saved: self.saved.get_value(),
                submission_waiting: self.submission_waiting.get_value(),
                ..StoredDraft::new(working, 0.0)
            };
            let kept = self.store.save(&stored);
            self.persisted.set_value(stored.working);
            kept
        })
    }

    /// The draft to write: `persisted` brought up to date, re-reading of the contact rows only
    /// those edited (their inputs' events mark them through `field_edited`) or added since.
    fn working_for_save(&self) -> Draft {
        let mut working = self.persisted.try_update_value(std::mem::take).unwrap_or_default();
        let edited = self.edited_rows.try_update_value(std::mem::take).unwrap_or_default();
        working.id = self.draft_id.get_value();
        working.partner_id = self.partner_id.get_value();
        working.current_step = self.current_step.get_untracked();
        working.completed = self.completed.get_untracked();
        working.customer = self.customer.snapshot();
        working.gateway = self.gateway.snapshot();
        working.pbx = self.pbx.snapshot();
        working.sync = self.sync.snapshot();
        self.admins.with_untracked(|admins| {
            self.supports.with_untracked(|supports| written::refresh_contacts(&mut working, edited, admins, supports))
        });
        // Debug builds (the wasm tests) check that no edit went unmarked.
        debug_assert_eq!(working, self.snapshot(), "a contact row was changed without field_edited");
        working
    }

    /// Records on the device whether a submission of this draft is waiting to be sent, so a
    /// later visit to the start page can say it was never sent.
    pub fn set_submission_waiting(&self, waiting: bool) {
        if self.submission_waiting.get_value() != waiting {
            self.submission_waiting.set_value(waiting);
            self.save_now();
        }
    }

    /// Copies the answers (the password included, in memory) to a new draft with this id and
    /// removes this one: after a `409` this draft id is spent, and the copy is the onboarding
    /// that can carry corrected answers. False when the device refused the copy.
    pub fn copy_to_new(&self, new_id: &str, active: ActiveWizard) -> bool {
        let mut draft = self.snapshot();
        draft.id = new_id.to_string();
        let copy = StoredDraft::new(draft, dom::now_ms());
        // A device that refuses storage keeps drafts in this page's memory: the copy is kept
        // there as well as any other draft would be.
        let kept = self.store.save(&copy) || matches!(self.store.load(new_id), Ok(Some(_)));
        if !kept {
            return false;
        }
        self.autosave.stop();
        let old_id = self.draft_id.get_value();
        self.store.delete(&old_id);
        active.close(&old_id);
        if let Ok(fresh) = active.open(new_id, self.partner_id.get_value(), self.store) {
            fresh.pbx.password.set(self.pbx.password.get_untracked());
            fresh.password_not_kept.set(self.password_not_kept.get_untracked());
        }
        true
    }

    /// True when this tab holds answers it has not written (pending or refused writes).
    /// Whether `draft` holds the answers this page last wrote (another tab's write of only the
    /// account's marks, or of the same answers).
    pub fn last_wrote(&self, draft: &Draft) -> bool {
        self.persisted.with_value(|p| p.same_answers(draft))
    }

    pub fn has_own_edits(&self) -> bool {
        self.autosave.is_pending() || !self.snapshot().same_answers(&self.persisted.get_value())
    }

    /// Pauses or resumes writing while another tab's version awaits the user's choice.
    pub fn pause_saving(&self, paused: bool) {
        self.autosave.set_paused(paused);
    }

    /// Flushes a pending autosave (page hidden or closed).
    pub fn flush(&self) {
        if self.autosave.take_pending() {
            self.save_now();
        }
    }

    /// Shows the step as entered: errors from another step never carry over, but what the
    /// backend said about this step's fields is shown at once.
    pub fn enter_step(&self, step: StepId) {
        if self.current_step.get_untracked() != step {
            self.current_step.set(step);
            self.edited();
        }
        self.errors.clear();
        let has_server_errors = self.server_errors.with_untracked(|s| s.iter().any(|e| self.shown_on(step, e)));
        let asked = self.show_on_entry.get_value() == Some(step);
        self.show_on_entry.set_value(None);
        if has_server_errors || asked {
            self.show_errors(self.step_errors(step));
        }
    }

    /// Validates the current step and marks it complete. False with errors shown.
    pub fn complete_step(&self) -> bool {
        let step = self.current_step.get_untracked();
        let errors = dom::measure("validate", || validate_step(step, &self.snapshot()));
        if !errors.is_empty() {
            self.show_errors(errors);
            return false;
        }
        // Passing the rules again is the user's answer to what the backend said here.
        self.server_errors.update(|s| s.retain(|e| self.errors.step_showing(e) != Some(step)));
        self.errors.clear();
        self.completed.update(|c| {
            if !c.contains(&step) {
                c.push(step)
            }
        });
        true
    }

    /// Next: validates the step. Returns the step to go to, or `None` with errors shown.
    /// Coming from a Change link on Review, it goes back to Review, through any step the
    /// change made necessary (a new platform's Sync step, say).
    pub fn next(&self, returning_to_review: bool) -> Option<StepId> {
        if !self.complete_step() {
            return None;
        }
        let step = self.current_step.get_untracked();
        let next = if returning_to_review {
            self.first_incomplete_after(step).unwrap_or(StepId::Review)
        } else {
            next_step(step, self.snapshot().platform())?
        };
        self.current_step.set(next);
        self.save_now();
        Some(next)
    }

    /// Save and return: the working copy becomes the checkpoint Cancel goes back to. True only
    /// when the device really kept it (not when drafts live in memory only).
    /// Makes the answers the checkpoint and writes them. True when the device holds it; the
    /// previous checkpoint comes back with `undo_checkpoint` if the account does not hold it
    /// either.
    pub fn save_and_return(&self) -> (bool, Option<Draft>) {
        let previous = self.saved.get_value();
        self.saved.set_value(Some(self.snapshot()));
        let kept = self.save_now() && self.store.status.get_untracked() == crate::drafts::StorageStatus::Ok;
        (kept, previous)
    }

    /// Nothing holds the new checkpoint: Cancel must still see the old one.
    pub fn undo_checkpoint(&self, previous: Option<Draft>) {
        self.saved.try_set_value(previous);
    }

    pub fn has_checkpoint(&self) -> bool {
        self.saved.with_value(Option::is_some)
    }

    /// True when Cancel would lose something, so it must ask first.
    pub fn has_unsaved_changes(&self) -> bool {
        let working = self.snapshot();
        match self.saved.get_value() {
            Some(saved) => !working.same_answers(&saved),
            None => !working.is_untouched(),
        }
    }

    /// The draft as Cancel leaves it: the checkpoint, or (never saved) the answers it drops.
    pub fn after_discard(&self) -> Draft {
        self.saved.get_value().unwrap_or_else(|| self.snapshot())
    }

    /// Cancel: back to the checkpoint, or gone entirely if there never was one.
    pub fn discard(&self) {
        self.autosave.stop();
        let id = self.draft_id.get_value();
        match self.saved.get_value() {
            Some(saved) => {
                let restored = StoredDraft { saved: Some(saved.clone()), ..StoredDraft::new(saved, dom::now_ms()) };
                self.store.save(&restored);
            }
            None => self.store.delete(&id),
        }
    }
}

/// Where a contact row named by its position (`[` in a path, `-` in an element id) is now.
fn row_place(admins: RwSignal<Vec<AdminRow>>, supports: RwSignal<Vec<SupportRow>>, text: &str, open: char) -> rows::RowPlace {
    match rows::map_row_number(text, "admin_contacts", open, |i| admins.with_untracked(|r| r.get(i).map(|r| r.slot))) {
        rows::RowPlace::NotARow => {
            rows::map_row_number(text, "support_contacts", open, |i| supports.with_untracked(|r| r.get(i).map(|r| r.slot)))
        }
        place => place,
    }
}

/// The wizard of the draft in the URL, kept across step routes so Back finds everything as the
/// user left it.
#[derive(Clone, Copy)]
pub struct ActiveWizard(StoredValue<Option<Wizard>>, RwSignal<u64>);

impl Default for ActiveWizard {
    fn default() -> Self {
        ActiveWizard(StoredValue::new(None), RwSignal::new(0))
    }
}

impl ActiveWizard {
    pub fn open(&self, draft_id: &str, partner_id: Option<String>, store: DraftStore) -> Result<Wizard, LoadProblem> {
        if let Some(w) = self.0.get_value().filter(|w| w.draft_id.get_value() == draft_id) {
            return Ok(w);
        }
        if let Some(old) = self.0.get_value() {
            old.flush();
        }
        let wizard = Wizard::open(draft_id, partner_id, store)?;
        self.0.set_value(Some(wizard));
        Ok(wizard)
    }

    pub fn current(&self) -> Option<Wizard> {
        self.0.get_value()
    }

    /// Replaces the open wizard with the draft as the device now holds it (another tab's
    /// version); the password, never stored, carries over, and so does a submission under way
    /// in this tab (its outbox lives here). Pages showing it re-render.
    pub fn reload(&self, store: DraftStore) -> Option<Wizard> {
        let old = self.0.get_value()?;
        old.autosave.stop();
        let mut fresh = Wizard::open(&old.draft_id.get_value(), old.partner_id.get_value(), store).ok()?;
        fresh.submitter = old.submitter;
        if old.submitter.is_pending() {
            fresh.submission_waiting.set_value(true);
        }
        fresh.pbx.password.set(old.pbx.password.get_untracked());
        if !old.pbx.password.with_untracked(String::is_empty) {
            fresh.password_not_kept.set(false);
        }
        self.0.set_value(Some(fresh));
        self.1.update(|g| *g += 1);
        Some(fresh)
    }

    /// Changes when the open wizard is replaced (read it to re-render with the new one).
    pub fn generation(&self) -> u64 {
        self.1.get()
    }

    /// Forgets the open wizard (its draft was discarded or deleted).
    pub fn close(&self, draft_id: &str) {
        if let Some(w) = self.0.get_value().filter(|w| w.draft_id.get_value() == draft_id) {
            // No pending save may bring a deleted or discarded draft back.
            w.autosave.stop();
            self.0.set_value(None);
        }
    }
}
