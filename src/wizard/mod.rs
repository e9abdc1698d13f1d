//! The state of the onboarding being edited: one signal per field, rows that own their signals
//! (a keystroke in a contact row notifies only that row), and the transitions the controls
//! dispatch (next, save and return, cancel). Rules come from `onboarding-core`.

mod errors;
mod rows;

pub use errors::{dom_id, message, target_id, Errors};
pub use rows::{AdminRow, Row, SupportRow};

use leptos::prelude::*;
use onboarding_core::draft_codec::{DecodeError, StoredDraft};
use onboarding_core::steps::{next_step, StepId};
use onboarding_core::validate::validate_step;
use onboarding_core::{Address, Customer, Draft};

use crate::dom;
use crate::drafts::{Autosave, DraftStore};

#[derive(Clone, Copy)]
pub struct CustomerFields {
    pub name: RwSignal<String>,
    pub street: RwSignal<String>,
    pub street2: RwSignal<String>,
    pub city: RwSignal<String>,
    pub region: RwSignal<String>,
    pub postal_code: RwSignal<String>,
    pub country: RwSignal<String>,
    pub business_type: RwSignal<String>,
    pub default_language: RwSignal<String>,
}

impl CustomerFields {
    fn new(c: &Customer) -> Self {
        let a = &c.address;
        CustomerFields {
            name: RwSignal::new(c.name.clone()),
            street: RwSignal::new(a.street.clone()),
            street2: RwSignal::new(a.street2.clone()),
            city: RwSignal::new(a.city.clone()),
            region: RwSignal::new(a.region.clone()),
            postal_code: RwSignal::new(a.postal_code.clone()),
            country: RwSignal::new(a.country.clone()),
            business_type: RwSignal::new(c.business_type.clone()),
            default_language: RwSignal::new(c.default_language.clone()),
        }
    }

    fn snapshot(&self) -> Customer {
        Customer {
            name: self.name.get_untracked(),
            business_type: self.business_type.get_untracked(),
            default_language: self.default_language.get_untracked(),
            address: Address {
                street: self.street.get_untracked(),
                street2: self.street2.get_untracked(),
                city: self.city.get_untracked(),
                region: self.region.get_untracked(),
                postal_code: self.postal_code.get_untracked(),
                country: self.country.get_untracked(),
            },
        }
    }
}

#[derive(Clone, Copy)]
pub struct Wizard {
    /// Owns every signal of this draft, rows added later included.
    owner: StoredValue<Owner>,
    pub draft_id: StoredValue<String>,
    partner_id: StoredValue<Option<String>>,
    pub customer: CustomerFields,
    pub admins: RwSignal<Vec<AdminRow>>,
    pub supports: RwSignal<Vec<SupportRow>>,
    next_row_id: StoredValue<u64>,
    pub current_step: RwSignal<StepId>,
    pub completed: RwSignal<Vec<StepId>>,
    /// The checkpoint of the last *Save and return*; `None` for a never-saved onboarding.
    saved: StoredValue<Option<Draft>>,
    pub errors: Errors,
    revalidate_pending: StoredValue<bool>,
    autosave: Autosave,
    store: DraftStore,
}

impl PartialEq for Wizard {
    fn eq(&self, other: &Self) -> bool {
        self.draft_id.get_value() == other.draft_id.get_value()
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
        owner.clone().with(|| {
            let d = &stored.working;
            Wizard {
                owner: StoredValue::new(owner),
                draft_id: StoredValue::new(d.id.clone()),
                partner_id: StoredValue::new(d.partner_id.clone()),
                customer: CustomerFields::new(&d.customer),
                admins: RwSignal::new(d.admin_contacts.iter().enumerate().map(|(i, c)| AdminRow::new(i, c)).collect()),
                supports: RwSignal::new(d.support_contacts.iter().enumerate().map(|(i, c)| SupportRow::new(i, c)).collect()),
                next_row_id: StoredValue::new(d.next_row_id()),
                current_step: RwSignal::new(d.current_step),
                completed: RwSignal::new(d.completed.clone()),
                saved: StoredValue::new(stored.saved.clone()),
                errors: Errors::default(),
                revalidate_pending: StoredValue::new(false),
                autosave: Autosave::default(),
                store,
            }
        })
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
        }
    }

    fn new_row_id(&self) -> u64 {
        let id = self.next_row_id.get_value();
        self.next_row_id.set_value(id + 1);
        id
    }

    /// Appends a row built by `make(index, id)` under the wizard's owner; returns its index.
    fn push_row<R: Send + Sync + 'static>(&self, list: RwSignal<Vec<R>>, make: impl FnOnce(usize, u64) -> R) -> usize {
        let id = self.new_row_id();
        let index = list.with_untracked(Vec::len);
        let row = self.owner.get_value().with(|| make(index, id));
        list.update(|rows| rows.push(row));
        self.edited();
        index
    }

    /// Removes the row with this id; rows after it are renumbered, rows before it untouched.
    fn remove_row<R: Row + Send + Sync + 'static>(&self, list: RwSignal<Vec<R>>, id: u64) {
        list.update(|rows| {
            rows.retain(|r| r.id() != id);
            rows::renumber(rows.iter().map(Row::index));
        });
        self.edited();
    }

    pub fn add_admin(&self) -> usize {
        self.push_row(self.admins, |index, id| AdminRow::new(index, &onboarding_core::AdminContact { id, ..Default::default() }))
    }

    pub fn remove_admin(&self, id: u64) {
        self.remove_row(self.admins, id);
    }

    /// New support contacts start as Other: the two mandatory roles come with a new onboarding.
    pub fn add_support(&self) -> usize {
        self.push_row(self.supports, |index, id| {
            let role = onboarding_core::SupportRole::Other;
            SupportRow::new(index, &onboarding_core::SupportContact { id, role, ..Default::default() })
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
                this.errors.set(validate_step(this.current_step.get_untracked(), &this.snapshot()));
            });
        }
    }

    /// Writes the draft now (a pending autosave is folded in). False when the device refused.
    pub fn save_now(&self) -> bool {
        self.autosave.take_pending();
        if self.autosave.is_stopped() {
            return true;
        }
        let working = self.snapshot();
        if self.saved.with_value(Option::is_none) && working.is_untouched() && working.completed.is_empty() {
            // Nothing typed (or everything erased): no entry on the device for an empty onboarding.
            self.store.delete(&working.id);
            return true;
        }
        let stored = StoredDraft { updated_at: dom::now_ms(), saved: self.saved.get_value(), ..StoredDraft::new(working, 0.0) };
        self.store.save(&stored)
    }

    /// Flushes a pending autosave (page hidden or closed).
    pub fn flush(&self) {
        if self.autosave.take_pending() {
            self.save_now();
        }
    }

    /// Shows the step as entered: errors from another step never carry over.
    pub fn enter_step(&self, step: StepId) {
        if self.current_step.get_untracked() != step {
            self.current_step.set(step);
            self.edited();
        }
        self.errors.clear();
    }

    /// Next: validates the step. Returns the step to go to, or `None` with errors shown.
    pub fn next(&self) -> Option<StepId> {
        let step = self.current_step.get_untracked();
        let errors = validate_step(step, &self.snapshot());
        if !errors.is_empty() {
            self.errors.set(errors);
            self.errors.shown.set(true);
            return None;
        }
        self.errors.clear();
        self.completed.update(|c| {
            if !c.contains(&step) {
                c.push(step)
            }
        });
        let next = next_step(step, None)?;
        self.current_step.set(next);
        self.save_now();
        Some(next)
    }

    /// Save and return: the working copy becomes the checkpoint Cancel goes back to. True only
    /// when the device really kept it (not when drafts live in memory only).
    pub fn save_and_return(&self) -> bool {
        let previous = self.saved.get_value();
        self.saved.set_value(Some(self.snapshot()));
        let kept = self.save_now() && self.store.status.get_untracked() == crate::drafts::StorageStatus::Ok;
        if !kept {
            // The device does not hold this checkpoint: Cancel must still see the old one.
            self.saved.set_value(previous);
        }
        kept
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

/// The wizard of the draft in the URL, kept across step routes so Back finds everything as the
/// user left it.
#[derive(Clone, Copy)]
pub struct ActiveWizard(StoredValue<Option<Wizard>>);

impl Default for ActiveWizard {
    fn default() -> Self {
        ActiveWizard(StoredValue::new(None))
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

    /// Forgets the open wizard (its draft was discarded or deleted).
    pub fn close(&self, draft_id: &str) {
        if let Some(w) = self.0.get_value().filter(|w| w.draft_id.get_value() == draft_id) {
            // No pending save may bring a deleted or discarded draft back.
            w.autosave.stop();
            self.0.set_value(None);
        }
    }
}
