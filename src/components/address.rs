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
    // Countries with a closed list of states or provinces (US, CA, AU, MX) get a select of
    // them; elsewhere the region is free text. Re-rendered only when the list changes.
    let regions = Memo::new(move |_| onboarding_core::regions::of(&fields.country.get()));
    // Something typed before the list applied ("california", "Ontario") becomes its code, so
    // the select shows it chosen. A state chosen from another country's list does not carry
    // over (Washington's WA is not Western Australia's): the region is asked again.
    Effect::new(move |previous: Option<String>| {
        let country = fields.country.get();
        let typed = fields.region.get_untracked();
        let from_other_list = previous.as_deref().is_some_and(|p| {
            p != country && onboarding_core::regions::of(p).is_some_and(|list| list.iter().any(|r| r.code == typed))
        });
        if from_other_list {
            fields.region.set(String::new());
        } else if let Some(region) = onboarding_core::regions::find(&country, &typed) {
            if region.code != typed {
                fields.region.set(region.code.to_string());
            }
        }
        country
    });
    let region_field = move || match regions.get() {
        Some(list) => {
            let options = Signal::derive(move || list.iter().map(|r| (r.code, r.name)).collect::<Vec<_>>());
            view! {
                <SelectField path=path("region") label=Key::FieldCustomerAddressRegion value=fields.region
                    options empty=Key::SelectPlaceholder hint=Key::HintCustomerAddressRegion />
            }
            .into_any()
        }
        None => view! {
            <TextField path=path("region") label=Key::FieldCustomerAddressRegion value=fields.region
                hint=Key::HintCustomerAddressRegion width="input--w20" />
        }
        .into_any(),
    };
    view! {
        <TextField path=path("street") label=Key::FieldCustomerAddressStreet value=fields.street />
        <TextField path=path("street2") label=Key::FieldCustomerAddressStreet2 value=fields.street2 optional=true />
        <TextField path=path("city") label=Key::FieldCustomerAddressCity value=fields.city width="input--w20" />
        {region_field}
        <TextField path=path("postal_code") label=Key::FieldCustomerAddressPostalCode value=fields.postal_code width="input--w10" />
        <SelectField path=path("country") label=Key::FieldCustomerAddressCountry value=fields.country
            options=countries empty=Key::SelectPlaceholder />
    }
}
