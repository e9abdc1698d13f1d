//! "Customer information": name, mailing address, business type, default language.

use leptos::prelude::*;
use onboarding_core::{BUSINESS_TYPES, CUSTOMER_LANGUAGES};

use crate::components::field::{SelectField, TextField};
use crate::i18n::{tr, use_i18n, Key};
use crate::wizard::CustomerFields;

#[component]
pub fn CustomerInfo(fields: CustomerFields) -> impl IntoView {
    let i18n = use_i18n();
    let countries = Signal::derive(move || i18n.lang.get().countries().to_vec());
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
            <TextField path="customer.address.street" label=Key::FieldCustomerAddressStreet value=fields.street />
            <TextField path="customer.address.street2" label=Key::FieldCustomerAddressStreet2 value=fields.street2 optional=true />
            <TextField path="customer.address.city" label=Key::FieldCustomerAddressCity value=fields.city width="input--w20" />
            <TextField path="customer.address.region" label=Key::FieldCustomerAddressRegion value=fields.region
                hint=Key::HintCustomerAddressRegion width="input--w20" />
            <TextField path="customer.address.postal_code" label=Key::FieldCustomerAddressPostalCode value=fields.postal_code width="input--w10" />
            <SelectField path="customer.address.country" label=Key::FieldCustomerAddressCountry value=fields.country
                options=countries empty=Key::SelectPlaceholder />
            <SelectField path="customer.business_type" label=Key::FieldCustomerBusinessType value=fields.business_type
                options=business_types empty=Key::SelectPlaceholder hint=Key::HintCustomerBusinessType />
            <SelectField path="customer.default_language" label=Key::FieldCustomerDefaultLanguage value=fields.default_language
                options=languages empty=Key::LanguageNone optional=true hint=Key::HintCustomerDefaultLanguage />
        </fieldset>
    }
}
