//! Contact rows that own their signals: typing in a row notifies that row's field only, never
//! the list, so a keyed `<For>` over 1,000 rows does no work per keystroke.

use leptos::prelude::*;
use onboarding_core::{AdminContact, SupportContact, SupportRole};

#[derive(Clone, Copy)]
pub struct AdminRow {
    pub id: u64,
    /// 0-based position, kept current on removal: numbers "Admin contact 2" and error paths.
    pub index: RwSignal<usize>,
    pub first_name: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub email: RwSignal<String>,
}

impl AdminRow {
    pub fn new(index: usize, c: &AdminContact) -> Self {
        AdminRow {
            id: c.id,
            index: RwSignal::new(index),
            first_name: RwSignal::new(c.first_name.clone()),
            last_name: RwSignal::new(c.last_name.clone()),
            email: RwSignal::new(c.email.clone()),
        }
    }

    pub fn snapshot(&self) -> AdminContact {
        AdminContact {
            id: self.id,
            first_name: self.first_name.get_untracked(),
            last_name: self.last_name.get_untracked(),
            email: self.email.get_untracked(),
        }
    }
}

#[derive(Clone, Copy)]
pub struct SupportRow {
    pub id: u64,
    pub index: RwSignal<usize>,
    /// A role key (`maintainer`, `onsite_admin`, `other`), as the select holds it.
    pub role: RwSignal<String>,
    pub name: RwSignal<String>,
    pub email: RwSignal<String>,
}

impl SupportRow {
    pub fn new(index: usize, c: &SupportContact) -> Self {
        SupportRow {
            id: c.id,
            index: RwSignal::new(index),
            role: RwSignal::new(c.role.key().to_string()),
            name: RwSignal::new(c.name.clone()),
            email: RwSignal::new(c.email.clone()),
        }
    }

    pub fn snapshot(&self) -> SupportContact {
        SupportContact {
            id: self.id,
            role: self.role.with_untracked(|k| SupportRole::from_key(k)).unwrap_or_default(),
            name: self.name.get_untracked(),
            email: self.email.get_untracked(),
        }
    }
}

/// What the list operations need of any contact row.
pub trait Row {
    fn id(&self) -> u64;
    fn index(&self) -> RwSignal<usize>;
}

impl Row for AdminRow {
    fn id(&self) -> u64 {
        self.id
    }
    fn index(&self) -> RwSignal<usize> {
        self.index
    }
}

impl Row for SupportRow {
    fn id(&self) -> u64 {
        self.id
    }
    fn index(&self) -> RwSignal<usize> {
        self.index
    }
}

/// After a removal, gives each row its new position; rows before the gap are not notified.
pub fn renumber(indexes: impl Iterator<Item = RwSignal<usize>>) {
    for (i, index) in indexes.enumerate() {
        if index.get_untracked() != i {
            index.set(i);
        }
    }
}
