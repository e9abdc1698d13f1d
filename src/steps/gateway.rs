//! Gateway — "Configure the customer site": platform, site name and address, gateway MAC.

use leptos::prelude::*;
use onboarding_core::steps::SYNC_PLATFORMS;
use onboarding_core::PLATFORMS;

use crate::components::address::AddressInputs;
use crate::components::field::{CheckboxField, RadioField, TextField};
use crate::i18n::{tr, use_i18n, Key};
use crate::wizard::{AddressFields, Wizard};

#[component]
pub fn GatewayStep(wizard: Wizard) -> impl IntoView {
    let i18n = use_i18n();
    let g = wizard.gateway;
    let platforms = Signal::derive(move || PLATFORMS.iter().map(|k| (*k, i18n.t_dyn(&format!("platform.{k}")))).collect::<Vec<_>>());
    // SMBC and VA gateways are embedded or virtual: there is no hardware address to ask for.
    let needs_mac = move || !SYNC_PLATFORMS.contains(&g.platform.get().as_str());
    view! {
        <p class="body lead">{tr(Key::GatewayIntro)}</p>
        <RadioField path="gateway.platform" label=Key::FieldGatewayPlatform value=g.platform options=platforms
            hint=Key::HintGatewayPlatform />
        <TextField path="gateway.site_name" label=Key::FieldGatewaySiteName value=g.site_name hint=Key::HintGatewaySiteName />
        <CheckboxField path="gateway.site_same_as_customer" label=Key::FieldGatewaySiteSameAsCustomer checked=g.site_same_as_customer />
        {move || (!g.site_same_as_customer.get()).then(|| view! { <SiteAddress fields=g.site_address /> })}
        {move || needs_mac().then(|| view! {
            <TextField path="gateway.mac_address" label=Key::FieldGatewayMacAddress value=g.mac_address
                hint=Key::HintGatewayMacAddress width="input--w20" code=true />
        })}
    }
}

/// The site's own address, revealed when it differs from the customer's; same rules.
#[component]
fn SiteAddress(fields: AddressFields) -> impl IntoView {
    view! {
        <fieldset class="fieldset conditional" id="gateway-site_address">
            <legend class="fieldset__legend fieldset__legend--s">{tr(Key::GatewaySiteAddressLegend)}</legend>
            <AddressInputs prefix="gateway.site_address" fields />
        </fieldset>
    }
}
