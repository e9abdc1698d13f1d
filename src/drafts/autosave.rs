//! Coalesced autosave: an edit only *schedules* a save; the first edit of a burst starts a
//! short timer and the save runs once when it fires, so typing never pays for serialising the
//! form. `flush` runs a pending save at once (page hidden, closed, or leaving the step).

use std::time::Duration;

use leptos::prelude::*;

/// Well within the spec's "autosaved within a second of any edit".
const DELAY: Duration = Duration::from_millis(400);

#[derive(Clone, Copy)]
pub struct Autosave {
    pending: StoredValue<Option<TimeoutHandle>>,
    /// Set once the draft is discarded, so no late save can bring it back.
    stopped: StoredValue<bool>,
    /// Set while another tab's version of the draft awaits the user's choice: nothing is
    /// written over it until then.
    paused: StoredValue<bool>,
}

impl Default for Autosave {
    fn default() -> Self {
        Autosave { pending: StoredValue::new(None), stopped: StoredValue::new(false), paused: StoredValue::new(false) }
    }
}

impl Autosave {
    pub fn schedule(&self, save: impl Fn() + Clone + 'static) {
        if self.stopped.get_value() || self.pending.with_value(Option::is_some) {
            return;
        }
        let pending = self.pending;
        let handle = set_timeout_with_handle(
            move || {
                pending.set_value(None);
                save();
            },
            DELAY,
        );
        self.pending.set_value(handle.ok());
    }

    /// Whether a save is scheduled, leaving it scheduled.
    pub fn is_pending(&self) -> bool {
        self.pending.with_value(Option::is_some)
    }

    /// Cancels a scheduled save; returns whether one was pending.
    pub fn take_pending(&self) -> bool {
        match self.pending.try_update_value(Option::take).flatten() {
            Some(handle) => {
                handle.clear();
                true
            }
            None => false,
        }
    }

    /// True when no save may be written now (discarded, or a conflict is open).
    pub fn is_stopped(&self) -> bool {
        self.stopped.get_value() || self.paused.get_value()
    }

    pub fn set_paused(&self, paused: bool) {
        self.paused.set_value(paused);
    }

    pub fn stop(&self) {
        self.take_pending();
        self.stopped.set_value(true);
    }
}
