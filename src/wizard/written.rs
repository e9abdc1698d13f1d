//! The draft as this tab last wrote it, brought up to date for the next write by reading only
//! what may have changed: the single-valued fields (a few dozen signals) always, and of the
//! contact rows only the new ones and those edited since. At 1,000 contacts, reading all 3,000
//! values after they have gone cold in memory was most of a save's cost.

use super::rows::Row;

/// More rows edited between two writes than this and every row is read again.
const MAX_LISTED: usize = 32;

/// The rows whose fields were edited since the last write, by slot (their element ids carry it).
#[derive(Default)]
pub struct EditedRows {
    admins: Edited,
    supports: Edited,
}

#[derive(Default)]
enum Edited {
    #[default]
    None,
    Slots(Vec<usize>),
    All,
}

impl Edited {
    fn mark(&mut self, slot: Option<usize>) {
        *self = match (std::mem::take(self), slot) {
            (Edited::All, _) | (_, None) => Edited::All,
            (Edited::None, Some(s)) => Edited::Slots(vec![s]),
            (Edited::Slots(mut slots), Some(s)) => {
                if !slots.contains(&s) {
                    slots.push(s);
                }
                if slots.len() > MAX_LISTED { Edited::All } else { Edited::Slots(slots) }
            }
        };
    }

    fn has(&self, slot: usize) -> bool {
        match self {
            Edited::None => false,
            Edited::Slots(slots) => slots.contains(&slot),
            Edited::All => true,
        }
    }
}

impl EditedRows {
    /// Notes an edit of the field with this element id (`admin_contacts-3-email`). An id in a
    /// list that does not name a slot marks the whole list, so an edit is never missed.
    pub fn mark(&mut self, dom_id: &str) {
        for (list, edited) in [("admin_contacts", &mut self.admins), ("support_contacts", &mut self.supports)] {
            if dom_id.starts_with(list) {
                edited.mark(super::rows::row_number(dom_id, list, '-').map(|(slot, _)| slot));
            }
        }
    }
}

/// Brings both lists of `written` up to the rows on screen and forgets the marks.
pub fn refresh_contacts(
    written: &mut onboarding_core::Draft,
    edited: EditedRows,
    admins: &[super::AdminRow],
    supports: &[super::SupportRow],
) {
    refresh_rows(&mut written.admin_contacts, admins, &edited.admins, |c| c.id, super::AdminRow::snapshot);
    refresh_rows(&mut written.support_contacts, supports, &edited.supports, |c| c.id, super::SupportRow::snapshot);
}

/// Brings `written` (a list's contacts as last written) up to `rows`: a row that is new or was
/// edited is read from its signals; any other keeps its written value, found by row id.
fn refresh_rows<R: Row, C: Default>(
    written: &mut Vec<C>,
    rows: &[R],
    edited: &Edited,
    id_of: impl Fn(&C) -> u64,
    read: impl Fn(&R) -> C,
) {
    let same_rows = written.len() == rows.len() && written.iter().zip(rows).all(|(c, r)| id_of(c) == r.id());
    if same_rows {
        for (c, r) in written.iter_mut().zip(rows).filter(|(_, r)| edited.has(r.slot())) {
            *c = read(r);
        }
        return;
    }
    // Rows were added or removed, never reordered: the written ones are found by one forward
    // scan (a row not found is read, which is always right, only slower).
    let mut old = std::mem::take(written);
    let mut from = 0;
    *written = rows
        .iter()
        .map(|r| {
            if !edited.has(r.slot()) {
                if let Some(k) = old[from..].iter().position(|c| id_of(c) == r.id()) {
                    from += k + 1;
                    return std::mem::take(&mut old[from - 1]);
                }
            }
            read(r)
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::{refresh_rows, Edited, EditedRows};
    use crate::wizard::rows::Row;
    use leptos::prelude::*;

    /// A row as the list operations see it, whose "signals" hold `value`.
    struct FakeRow(u64, usize, &'static str);
    impl Row for FakeRow {
        fn id(&self) -> u64 {
            self.0
        }
        fn index(&self) -> RwSignal<usize> {
            unreachable!("not used by refresh_rows")
        }
        fn slot(&self) -> usize {
            self.1
        }
    }

    fn refresh(written: &mut Vec<(u64, String)>, rows: &[FakeRow], edited: &Edited) {
        refresh_rows(written, rows, edited, |c| c.0, |r| (r.0, r.2.to_string()));
    }

    fn written(items: &[(u64, &str)]) -> Vec<(u64, String)> {
        items.iter().map(|(id, v)| (*id, v.to_string())).collect()
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn only_edited_and_new_rows_are_read() {
        let mut w = written(&[(10, "a"), (11, "b"), (12, "c")]);
        // The "signals" all hold new values; only what is marked or new may be read.
        let rows = [FakeRow(10, 0, "A"), FakeRow(11, 1, "B"), FakeRow(12, 2, "C")];
        refresh(&mut w, &rows, &Edited::Slots(vec![1]));
        assert_eq!(w, written(&[(10, "a"), (11, "B"), (12, "c")]));

        // The middle row removed, a row added: the others keep their written values.
        let rows = [FakeRow(10, 0, "A"), FakeRow(12, 2, "C"), FakeRow(13, 3, "D")];
        refresh(&mut w, &rows, &Edited::None);
        assert_eq!(w, written(&[(10, "a"), (12, "c"), (13, "D")]));

        refresh(&mut w, &rows, &Edited::All);
        assert_eq!(w, written(&[(10, "A"), (12, "C"), (13, "D")]));
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn edits_are_marked_by_element_id() {
        let mut e = EditedRows::default();
        e.mark("customer-name");
        assert!(matches!((&e.admins, &e.supports), (Edited::None, Edited::None)));
        e.mark("admin_contacts-7-email");
        e.mark("admin_contacts-7-first_name");
        assert!(matches!(&e.admins, Edited::Slots(s) if s == &[7]));
        e.mark("support_contacts");
        assert!(matches!(&e.supports, Edited::All), "an id without a slot marks the whole list");
        for slot in 0..40 {
            e.mark(&format!("admin_contacts-{slot}-email"));
        }
        assert!(e.admins.has(39) && matches!(&e.admins, Edited::All));
    }
}
