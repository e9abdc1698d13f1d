//! "Support contacts": numbered contacts with a role; at least one Maintainer and one On-site
//! administrator. The group's own errors show under its legend.

use leptos::prelude::*;
use onboarding_core::SupportRole;

use crate::components::field::{SelectField, TextField};
use crate::components::row_number::RowNumber;
use crate::dom;
use crate::i18n::{tr, use_i18n, Key};
use crate::wizard::{message, Errors, SupportRow, Wizard};

#[component]
pub fn SupportContacts(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let errors = expect_context::<Errors>();
    let group_errors = Memo::new(move |_| errors.at("support_contacts"));
    let add = move |_| {
        let slot = wizard.add_support();
        dom::focus_id(&format!("support_contacts-{slot}-role"));
    };
    let roles = SupportRole::ALL.map(|r| {
        let key = r.key();
        view! {
            <li><strong>{move || i18n.t_dyn(&format!("role.{key}"))}</strong>": "{move || i18n.t_dyn(&format!("role_hint.{key}"))}</li>
        }
    });
    view! {
        <fieldset
            class="fieldset"
            class:form-group--error=move || !group_errors.with(Vec::is_empty)
            id="support_contacts"
            aria-describedby=move || if group_errors.with(Vec::is_empty) { "support_contacts-hint" } else { "support_contacts-hint support_contacts-error" }
        >
            <legend class="fieldset__legend">{tr(Key::SupportsLegend)}</legend>
            <div class="hint" id="support_contacts-hint">
                <p>{tr(Key::SupportsHint)}</p>
                <ul class="role-list">{roles}</ul>
            </div>
            <div id="support_contacts-error">
                {move || group_errors.get().iter().map(|e| view! {
                    <p class="error-message"><span class="visually-hidden">{i18n.t(Key::ErrorPrefix)}" "</span>{message(&i18n, e)}</p>
                }).collect_view()}
            </div>
            // Rows in a plain container, not directly in the fieldset: see admin_contacts.rs.
            <div class="contact-list">
                <For each=move || wizard.supports.get() key=|row| row.id let:row>
                    <SupportContactRow wizard row />
                </For>
            </div>
            <button type="button" class="button button--secondary" id="add-support-contact" on:click=add>
                {tr(Key::SupportsAdd)}
            </button>
        </fieldset>
    }
}

#[component]
fn SupportContactRow(wizard: Wizard, row: SupportRow) -> impl IntoView {
    let i18n = use_i18n();
    let number = RowNumber::new(row.index, Key::SupportsItem, Key::SupportsRemoveNamed);
    // Ids and error keys use the row's slot, which never changes: a removal above renumbers
    // only the legend and the Remove button's name (see `AdminRow::slot`).
    let path = move |field: &'static str| format!("support_contacts[{}].{field}", row.slot);
    let roles = Signal::derive(move || {
        SupportRole::ALL.iter().map(|r| (r.key(), i18n.t_dyn(&format!("role.{}", r.key())))).collect::<Vec<_>>()
    });
    let remove = move |_| {
        wizard.remove_support(row.id);
        dom::focus_id("add-support-contact");
    };
    view! {
        <fieldset class="contact" id=format!("support_contacts-{}", row.slot)>
            <legend class="contact__legend" node_ref=number.legend()>{number.legend_text()}</legend>
            <div class="contact__fields">
                <SelectField path=path("role") label=Key::FieldSupportContactsRole value=row.role options=roles />
                <TextField path=path("name") label=Key::FieldSupportContactsName value=row.name />
                <TextField path=path("email") label=Key::FieldSupportContactsEmail value=row.email input_type="email" />
            </div>
            <button type="button" class="button button--quiet button--small"
                node_ref=number.button() aria-label=number.remove_label() on:click=remove>
                {tr(Key::SupportsRemove)}
            </button>
        </fieldset>
    }
}
