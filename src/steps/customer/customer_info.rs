//! "Customer information": name, mailing address, business type, default language.

use leptos::prelude::*;
use onboarding_core::{BUSINESS_TYPES, CUSTOMER_LANGUAGES};

use crate::components::address::AddressInputs;
use crate::components::field::{SelectField, TextField};
use crate::i18n::{tr, use_i18n, Key};
use crate::wizard::CustomerFields;

#[component]
pub fn CustomerInfo(fields: CustomerFields) -> impl IntoView {
    let i18n = use_i18n();
    let business_types = Signal::derive(move || {
        BUSINESS_TYPES.iter().map(|k| (*k, i18n.t_dyn(&format!("business_type.{k}")))).collect::<Vec<_>>()
    });
    let languages = Signal::derive(move || {
        CUSTOMER_LANGUAGES.iter().map(|k| (*k, i18n.t_dyn(&format!("language.{k}")))).collect::<Vec<_>>()
    });
    view! {
        <fieldset class="fieldset" id="customer">
            <legend class="fieldset__legend">{tr(Key::CustomerInfoLegend)}</legend>
            <TextField path="customer.name" label=Key::FieldCustomerName value=fields.name />
            <AddressInputs prefix="customer.address" fields=fields.address />
            <SelectField path="customer.business_type" label=Key::FieldCustomerBusinessType value=fields.business_type
                options=business_types empty=Key::SelectPlaceholder hint=Key::HintCustomerBusinessType />
            <SelectField path="customer.default_language" label=Key::FieldCustomerDefaultLanguage value=fields.default_language
                options=languages empty=Key::LanguageNone optional=true hint=Key::HintCustomerDefaultLanguage />
        </fieldset>
    }
}
