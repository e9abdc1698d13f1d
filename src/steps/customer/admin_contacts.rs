//! "Admin contacts": an add-another list of numbered contacts, zero or more.

use leptos::prelude::*;

use crate::components::field::TextField;
use crate::components::row_number::RowNumber;
use crate::dom;
use crate::i18n::{tr, Key};
use crate::wizard::{AdminRow, Wizard};

#[component]
pub fn AdminContacts(wizard: Wizard) -> impl IntoView {
    let add = move |_| {
        let slot = wizard.add_admin();
        dom::focus_id(&format!("admin_contacts-{slot}-first_name"));
    };
    view! {
        <fieldset class="fieldset" id="admin_contacts" aria-describedby="admin_contacts-hint">
            <legend class="fieldset__legend">{tr(Key::AdminsLegend)}</legend>
            <div class="hint" id="admin_contacts-hint">{tr(Key::AdminsHint)}</div>
            <Show when=move || wizard.admins.with(Vec::is_empty)>
                <p class="body empty-list">{tr(Key::AdminsNone)}</p>
            </Show>
            // Rows sit in a plain container: laid out directly in the fieldset, every added row
            // made the browser lay out all the others again (bench: 300 rows 15 s → 3.4 s).
            <div class="contact-list">
                <For each=move || wizard.admins.get() key=|row| row.id let:row>
                    <AdminContactRow wizard row />
                </For>
            </div>
            <button type="button" class="button button--secondary" id="add-admin-contact" on:click=add>
                {tr(Key::AdminsAdd)}
            </button>
        </fieldset>
    }
}

#[component]
fn AdminContactRow(wizard: Wizard, row: AdminRow) -> impl IntoView {
    let number = RowNumber::new(row.index, Key::AdminsItem, Key::AdminsRemoveNamed);
    // Ids and error keys use the row's slot, which never changes: a removal above renumbers
    // only the legend and the Remove button's name (see `AdminRow::slot`).
    let path = move |field: &'static str| format!("admin_contacts[{}].{field}", row.slot);
    let remove = move |_| {
        wizard.remove_admin(row.id);
        dom::focus_id("add-admin-contact");
    };
    view! {
        <fieldset class="contact" id=format!("admin_contacts-{}", row.slot)>
            <legend class="contact__legend" node_ref=number.legend()>{number.legend_text()}</legend>
            <div class="contact__fields">
                <TextField path=path("first_name") label=Key::FieldAdminContactsFirstName value=row.first_name />
                <TextField path=path("last_name") label=Key::FieldAdminContactsLastName value=row.last_name />
                <TextField path=path("email") label=Key::FieldAdminContactsEmail value=row.email input_type="email" />
            </div>
            <button type="button" class="button button--quiet button--small"
                node_ref=number.button() aria-label=number.remove_label() on:click=remove>
                {tr(Key::AdminsRemove)}
            </button>
        </fieldset>
    }
}
