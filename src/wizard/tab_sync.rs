//! Two tabs with one draft: another tab's write reaches this one as a `storage` event. If this
//! tab has no answers of its own since its last write, it takes the other version and says so;
//! otherwise saving stops and the user chooses which version wins. Nothing is overwritten
//! silently either way.

use leptos::prelude::*;
use onboarding_core::draft_codec;

use super::ActiveWizard;
use crate::drafts::DraftStore;
use crate::i18n::Key;

#[derive(Clone, Copy)]
pub struct TabSync {
    /// A version from another tab differs from this tab's own edits.
    pub conflict: RwSignal<bool>,
    /// What happened, for a notice on the page.
    pub notice: RwSignal<Option<Key>>,
    active: ActiveWizard,
    store: DraftStore,
}

impl TabSync {
    /// Starts listening for other tabs' writes for the page's life.
    pub fn watch(active: ActiveWizard, store: DraftStore) -> TabSync {
        let sync = TabSync { conflict: RwSignal::new(false), notice: RwSignal::new(None), active, store };
        let handle = window_event_listener_untyped("storage", move |ev| {
            use wasm_bindgen::JsCast;
            if let Ok(ev) = ev.dyn_into::<web_sys::StorageEvent>() {
                sync.changed(ev.key(), ev.new_value());
            }
        });
        std::mem::forget(handle);
        sync
    }

    fn changed(&self, key: Option<String>, new_value: Option<String>) {
        let Some(wizard) = self.active.current() else { return };
        let draft_id = wizard.draft_id.get_value();
        // `key` is None when the other tab cleared all of storage.
        if key.is_some_and(|k| k != self.store.key_of(&draft_id)) {
            return;
        }
        // Whatever the other tab wrote, this page's idea of the account version is stale.
        self.store.forget_sync_marks(&draft_id);
        let theirs = match new_value.map(|text| draft_codec::decode(&text)) {
            None => {
                self.notice.set(Some(Key::TabsRemoved));
                return;
            }
            Some(Ok(stored)) => stored.working,
            // An entry this version cannot read is left to the start page's reporting.
            Some(Err(_)) => return,
        };
        if theirs.same_answers(&wizard.snapshot()) || wizard.last_wrote(&theirs) {
            return;
        }
        if wizard.has_own_edits() {
            wizard.pause_saving(true);
            self.conflict.set(true);
        } else {
            self.active.reload(self.store);
            self.notice.set(Some(Key::TabsUpdated));
        }
    }

    /// The user keeps this tab's version: it is written over the other one.
    pub fn keep_mine(&self) {
        self.conflict.set(false);
        if let Some(wizard) = self.active.current() {
            wizard.pause_saving(false);
            wizard.save_now();
        }
    }

    /// The user takes the other tab's version: this tab shows it.
    pub fn take_theirs(&self) {
        self.conflict.set(false);
        self.active.reload(self.store);
        self.notice.set(Some(Key::TabsUpdated));
    }
}

pub fn use_tab_sync() -> Option<TabSync> {
    use_context::<TabSync>()
}
