//! `step_of_field`: which backend error paths name a field a page shows (and so can be shown
//! beside it), and which do not (shown on Review instead). Every error the shared rules can
//! produce must name a shown field, or the wizard would show it with nothing to link to.

use onboarding_core::payload::{step_of_field, step_of_path, FORM_FIELDS};
use onboarding_core::validate::validate_all;
use onboarding_core::{AdminContact, Draft, StepId, SupportContact, SupportRole};

fn junk_draft(platform: &str, junk: &str) -> Draft {
    let mut d = Draft::new("not a uuid", None);
    let c = &mut d.customer;
    for f in [
        &mut c.name,
        &mut c.address.street,
        &mut c.address.street2,
        &mut c.address.city,
        &mut c.address.region,
        &mut c.address.postal_code,
        &mut c.address.country,
        &mut c.business_type,
        &mut c.default_language,
    ] {
        *f = junk.into();
    }
    d.admin_contacts = (0..2)
        .map(|id| AdminContact {
            id,
            first_name: junk.into(),
            last_name: junk.into(),
            email: junk.into(),
        })
        .collect();
    d.support_contacts = vec![
        SupportContact {
            id: 9,
            role: SupportRole::Other,
            name: junk.into(),
            email: junk.into()
        };
        2
    ];
    let g = &mut d.gateway;
    g.platform = platform.into();
    g.site_same_as_customer = false;
    for f in [
        &mut g.site_name,
        &mut g.mac_address,
        &mut g.site_address.street,
        &mut g.site_address.street2,
        &mut g.site_address.city,
        &mut g.site_address.region,
        &mut g.site_address.postal_code,
        &mut g.site_address.country,
    ] {
        *f = junk.into();
    }
    for f in [
        &mut d.pbx.host,
        &mut d.pbx.port,
        &mut d.pbx.username,
        &mut d.pbx.password,
        &mut d.pbx.certificate_pem,
    ] {
        *f = junk.into();
    }
    d.sync.users = junk.into();
    d
}

#[test]
fn every_error_the_rules_produce_names_a_shown_field_of_its_step() {
    let mut seen = 0;
    for platform in ["", "mivoice_business", "smbc", "bogus"] {
        for junk in ["", "x", "a\tb", &"é".repeat(300), "<b>x</b>@", "99999"] {
            for e in validate_all(&junk_draft(platform, junk)) {
                seen += 1;
                assert_eq!(step_of_field(&e.path), step_of_path(&e.path), "{}", e.path);
                assert!(
                    step_of_field(&e.path).is_some(),
                    "{} ({platform:?}, {junk:?})",
                    e.path
                );
            }
        }
    }
    assert!(
        seen > 100,
        "the drafts above must break many rules ({seen})"
    );
}

#[test]
fn paths_no_page_shows_have_no_step() {
    for path in [
        "customer.vat_number",
        "customer.address.planet",
        "admin_contacts[0].phone",
        "billing.iban",
        "pbx",
        "sync",
        "gateway",
        "draft_id",
        "schema_version",
        "",
    ] {
        assert_eq!(step_of_field(path), None, "{path:?}");
    }
}

#[test]
fn shown_fields_keep_their_step() {
    assert_eq!(
        step_of_field("admin_contacts[3].email"),
        Some(StepId::Customer)
    );
    assert_eq!(step_of_field("support_contacts"), Some(StepId::Customer));
    assert_eq!(
        step_of_field("gateway.site_address.postal_code"),
        Some(StepId::Gateway)
    );
    assert_eq!(step_of_field("pbx.password"), Some(StepId::Pbx));
    assert_eq!(step_of_field("pbx.certificate_pem"), Some(StepId::Connect));
    assert_eq!(step_of_field("sync.users"), Some(StepId::Sync));
    for path in FORM_FIELDS {
        assert!(step_of_path(path).is_some(), "{path}");
    }
}
