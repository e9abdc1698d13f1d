//! Contact rows that own their signals: typing in a row notifies that row's field only, never
//! the list, so a keyed `<For>` over 1,000 rows does no work per keystroke.

use leptos::prelude::*;
use onboarding_core::{AdminContact, SupportContact, SupportRole};

#[derive(Clone, Copy)]
pub struct AdminRow {
    pub id: u64,
    /// 0-based position, kept current on removal: numbers "Admin contact 2".
    pub index: RwSignal<usize>,
    /// The row's place in its element ids and error keys (`admin_contacts[slot].email` →
    /// `admin_contacts-slot-email`): its index when the row was created, never changed, so a
    /// removal renumbers only the texts people see, not fifteen ids per row after it.
    pub slot: usize,
    pub first_name: RwSignal<String>,
    pub last_name: RwSignal<String>,
    pub email: RwSignal<String>,
}

impl AdminRow {
    pub fn new(index: usize, slot: usize, c: &AdminContact) -> Self {
        AdminRow {
            id: c.id,
            index: RwSignal::new(index),
            slot,
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
    /// See `AdminRow::slot`.
    pub slot: usize,
    /// A role key (`maintainer`, `onsite_admin`, `other`), as the select holds it.
    pub role: RwSignal<String>,
    pub name: RwSignal<String>,
    pub email: RwSignal<String>,
}

impl SupportRow {
    pub fn new(index: usize, slot: usize, c: &SupportContact) -> Self {
        SupportRow {
            id: c.id,
            index: RwSignal::new(index),
            slot,
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
    fn slot(&self) -> usize;
}

impl Row for AdminRow {
    fn id(&self) -> u64 {
        self.id
    }
    fn index(&self) -> RwSignal<usize> {
        self.index
    }
    fn slot(&self) -> usize {
        self.slot
    }
}

impl Row for SupportRow {
    fn id(&self) -> u64 {
        self.id
    }
    fn index(&self) -> RwSignal<usize> {
        self.index
    }
    fn slot(&self) -> usize {
        self.slot
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

/// What a field path or element id says about the contact rows of one list.
#[derive(Clone, Debug, PartialEq)]
pub enum RowPlace {
    /// It names no row of this list.
    NotARow,
    /// It names a position with no row (a backend's error about a row the form does not have).
    Missing,
    /// The same text with the row's slot in place of its position.
    Slot(String),
}

/// Reads the row number that follows `list` and `open` in `text` (`admin_contacts[2].email`
/// with `[`, `admin_contacts-2-email` with `-`) and puts `to_slot` of it in its place.
pub fn map_row_number(text: &str, list: &str, open: char, to_slot: impl Fn(usize) -> Option<usize>) -> RowPlace {
    let Some((index, rest)) = row_number(text, list, open) else {
        return RowPlace::NotARow;
    };
    match to_slot(index) {
        Some(slot) => RowPlace::Slot(format!("{list}{open}{slot}{rest}")),
        None => RowPlace::Missing,
    }
}

/// The row number that follows `list` and `open` in `text`, and the text after it.
pub fn row_number<'a>(text: &'a str, list: &str, open: char) -> Option<(usize, &'a str)> {
    let rest = text.strip_prefix(list)?.strip_prefix(open)?;
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let index = rest[..digits].parse::<usize>().ok()?;
    Some((index, &rest[digits..]))
}

#[cfg(test)]
mod tests {
    use super::{map_row_number, RowPlace};

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn row_numbers_map_to_slots_in_paths_and_ids() {
        let slots = |i: usize| [0usize, 2, 5].get(i).copied();
        let slot = |s: &str| RowPlace::Slot(s.to_string());
        assert_eq!(map_row_number("admin_contacts[1].email", "admin_contacts", '[', slots), slot("admin_contacts[2].email"));
        assert_eq!(map_row_number("admin_contacts-2-first_name", "admin_contacts", '-', slots), slot("admin_contacts-5-first_name"));
        assert_eq!(map_row_number("admin_contacts[7].email", "admin_contacts", '[', slots), RowPlace::Missing);
        assert_eq!(map_row_number("support_contacts[1].email", "admin_contacts", '[', slots), RowPlace::NotARow);
        assert_eq!(map_row_number("admin_contacts", "admin_contacts", '[', slots), RowPlace::NotARow, "the group itself");
        assert_eq!(map_row_number("admin_contacts[x].email", "admin_contacts", '[', slots), RowPlace::NotARow);
    }
}
