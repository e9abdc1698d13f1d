//! One signal per field of the draft's single-valued parts, so a keystroke notifies only the
//! views of that field. Contact rows own their signals (see `rows.rs`).

use leptos::prelude::*;
use onboarding_core::{Address, Customer, Gateway, Pbx, SyncSettings};

#[derive(Clone, Copy)]
pub struct CustomerFields {
    pub name: RwSignal<String>,
    pub address: AddressFields,
    pub business_type: RwSignal<String>,
    pub default_language: RwSignal<String>,
}

impl CustomerFields {
    pub(super) fn new(c: &Customer) -> Self {
        CustomerFields {
            name: RwSignal::new(c.name.clone()),
            address: AddressFields::new(&c.address),
            business_type: RwSignal::new(c.business_type.clone()),
            default_language: RwSignal::new(c.default_language.clone()),
        }
    }

    pub(super) fn snapshot(&self) -> Customer {
        Customer {
            name: self.name.get_untracked(),
            business_type: self.business_type.get_untracked(),
            default_language: self.default_language.get_untracked(),
            address: self.address.snapshot(),
        }
    }
}

#[derive(Clone, Copy)]
pub struct AddressFields {
    pub street: RwSignal<String>,
    pub street2: RwSignal<String>,
    pub city: RwSignal<String>,
    pub region: RwSignal<String>,
    pub postal_code: RwSignal<String>,
    pub country: RwSignal<String>,
}

impl AddressFields {
    fn new(a: &Address) -> Self {
        AddressFields {
            street: RwSignal::new(a.street.clone()),
            street2: RwSignal::new(a.street2.clone()),
            city: RwSignal::new(a.city.clone()),
            region: RwSignal::new(a.region.clone()),
            postal_code: RwSignal::new(a.postal_code.clone()),
            country: RwSignal::new(a.country.clone()),
        }
    }

    fn snapshot(&self) -> Address {
        Address {
            street: self.street.get_untracked(),
            street2: self.street2.get_untracked(),
            city: self.city.get_untracked(),
            region: self.region.get_untracked(),
            postal_code: self.postal_code.get_untracked(),
            country: self.country.get_untracked(),
        }
    }
}

#[derive(Clone, Copy)]
pub struct GatewayFields {
    pub platform: RwSignal<String>,
    pub site_name: RwSignal<String>,
    pub site_same_as_customer: RwSignal<bool>,
    pub site_address: AddressFields,
    pub mac_address: RwSignal<String>,
}

impl GatewayFields {
    pub(super) fn new(g: &Gateway) -> Self {
        GatewayFields {
            platform: RwSignal::new(g.platform.clone()),
            site_name: RwSignal::new(g.site_name.clone()),
            site_same_as_customer: RwSignal::new(g.site_same_as_customer),
            site_address: AddressFields::new(&g.site_address),
            mac_address: RwSignal::new(g.mac_address.clone()),
        }
    }

    pub(super) fn snapshot(&self) -> Gateway {
        Gateway {
            platform: self.platform.get_untracked(),
            site_name: self.site_name.get_untracked(),
            site_same_as_customer: self.site_same_as_customer.get_untracked(),
            site_address: self.site_address.snapshot(),
            mac_address: self.mac_address.get_untracked(),
        }
    }
}

/// The PBX and Connect steps' fields. The password signal is the only copy of the password.
#[derive(Clone, Copy)]
pub struct PbxFields {
    pub host: RwSignal<String>,
    pub port: RwSignal<String>,
    pub username: RwSignal<String>,
    pub password: RwSignal<String>,
    pub use_tls: RwSignal<bool>,
    pub certificate_pem: RwSignal<String>,
}

impl PbxFields {
    pub(super) fn new(p: &Pbx) -> Self {
        PbxFields {
            host: RwSignal::new(p.host.clone()),
            port: RwSignal::new(p.port.clone()),
            username: RwSignal::new(p.username.clone()),
            password: RwSignal::new(p.password.clone()),
            use_tls: RwSignal::new(p.use_tls),
            certificate_pem: RwSignal::new(p.certificate_pem.clone()),
        }
    }

    pub(super) fn snapshot(&self) -> Pbx {
        Pbx {
            host: self.host.get_untracked(),
            port: self.port.get_untracked(),
            username: self.username.get_untracked(),
            password: self.password.get_untracked(),
            use_tls: self.use_tls.get_untracked(),
            certificate_pem: self.certificate_pem.get_untracked(),
        }
    }
}

#[derive(Clone, Copy)]
pub struct SyncFields {
    pub users: RwSignal<String>,
    pub send_welcome_emails: RwSignal<bool>,
}

impl SyncFields {
    pub(super) fn new(s: &SyncSettings) -> Self {
        SyncFields { users: RwSignal::new(s.users.clone()), send_welcome_emails: RwSignal::new(s.send_welcome_emails) }
    }

    pub(super) fn snapshot(&self) -> SyncSettings {
        SyncSettings { users: self.users.get_untracked(), send_welcome_emails: self.send_welcome_emails.get_untracked() }
    }
}
