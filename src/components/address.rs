//! The fields of a postal address (customer mailing address, gateway site address): the same
//! labels, hints and rules wherever an address is asked for; only the path prefix differs.

use leptos::prelude::*;

use crate::components::field::{SelectField, TextField};
use crate::i18n::{use_i18n, Key};
use crate::wizard::AddressFields;

#[component]
pub fn AddressInputs(
    /// The address's path in the draft: `customer.address`, `gateway.site_address`.
    prefix: &'static str,
    fields: AddressFields,
) -> impl IntoView {
    let i18n = use_i18n();
    let countries = Signal::derive(move || i18n.lang.get().countries().to_vec());
    let path = move |field: &str| format!("{prefix}.{field}");
    view! {
        <TextField path=path("street") label=Key::FieldCustomerAddressStreet value=fields.street />
        <TextField path=path("street2") label=Key::FieldCustomerAddressStreet2 value=fields.street2 optional=true />
        <TextField path=path("city") label=Key::FieldCustomerAddressCity value=fields.city width="input--w20" />
        <TextField path=path("region") label=Key::FieldCustomerAddressRegion value=fields.region
            hint=Key::HintCustomerAddressRegion width="input--w20" />
        <TextField path=path("postal_code") label=Key::FieldCustomerAddressPostalCode value=fields.postal_code width="input--w10" />
        <SelectField path=path("country") label=Key::FieldCustomerAddressCountry value=fields.country
            options=countries empty=Key::SelectPlaceholder />
    }
}
