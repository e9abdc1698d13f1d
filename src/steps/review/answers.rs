//! The answers of each step as label/value rows, in the words of the current language, each
//! with where its Change link goes.

use leptos::prelude::*;
use onboarding_core::{Address, Draft, StepId};

use crate::i18n::{fill, I18n, Key};
use crate::wizard::dom_id;

/// A piece of an answer: the partner's own text, shown isolated (`<bdi>`) so that a
/// right-to-left override or an unclosed embedding in it cannot reorder anything around it, or
/// the wizard's own words.
pub enum Piece {
    User(String),
    Ui(String),
}

pub struct AnswerRow {
    pub label: String,
    pub value: Vec<Piece>,
    /// The step and the id of the field the Change link returns to.
    pub change: (StepId, String),
}

pub struct Section {
    pub step: StepId,
    /// A sub-heading inside the step's section (e.g. "Admin contact 2").
    pub title: Option<String>,
    pub rows: Vec<AnswerRow>,
}

/// An answer's pieces as text nodes, the partner's own in `<bdi>` elements.
pub fn render(pieces: Vec<Piece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|p| match p {
            Piece::User(text) => view! { <bdi>{text}</bdi> }.into_any(),
            Piece::Ui(text) => text.into_any(),
        })
        .collect_view()
}

fn ui(text: impl Into<String>) -> Vec<Piece> {
    vec![Piece::Ui(text.into())]
}

/// The partner's answer, trimmed, or "Not provided".
fn or_not_provided(i18n: &I18n, value: &str) -> Vec<Piece> {
    let value = value.trim();
    if value.is_empty() {
        ui(i18n.t(Key::ReviewNotProvided))
    } else {
        vec![Piece::User(value.to_string())]
    }
}

/// Wizard words (a platform, a business type) or "Not provided".
fn ui_or_not_provided(i18n: &I18n, value: &str) -> Vec<Piece> {
    ui(if value.is_empty() { i18n.t(Key::ReviewNotProvided) } else { value })
}

fn country_name(i18n: &I18n, code: &str) -> String {
    let lang = i18n.lang.get();
    lang.countries().iter().find(|(c, _)| *c == code).map(|(_, n)| n.to_string()).unwrap_or_else(|| code.to_string())
}

/// One line per part given, as it will be sent (trimmed, the postal code in its country's
/// form): the partner's lines, then the country's name; or "Not provided".
fn address_text(i18n: &I18n, a: &Address) -> Vec<Piece> {
    let mut out = Vec::new();
    let a = onboarding_core::payload::submitted_address(a);
    let parts = [a.street, a.street2, a.city, a.region, a.postal_code]
        .into_iter()
        .map(Piece::User)
        .chain(std::iter::once(Piece::Ui(country_name(i18n, &a.country))))
        .filter(|p| matches!(p, Piece::User(s) | Piece::Ui(s) if !s.is_empty()));
    for part in parts {
        if !out.is_empty() {
            out.push(Piece::Ui("\n".into()));
        }
        out.push(part);
    }
    if out.is_empty() {
        out = ui(i18n.t(Key::ReviewNotProvided));
    }
    out
}

fn yes_no(i18n: &I18n, value: bool) -> Vec<Piece> {
    ui(i18n.t(if value { Key::ReviewYes } else { Key::ReviewNo }))
}

fn row(step: StepId, path: &str, label: String, value: Vec<Piece>) -> AnswerRow {
    AnswerRow { label, value, change: (step, dom_id(path)) }
}

/// Every section of the draft's path, in wizard order.
pub fn sections(i18n: &I18n, d: &Draft) -> Vec<Section> {
    let t = |k: Key| i18n.t(k).to_string();
    let mut out = Vec::new();
    for &step in onboarding_core::steps::steps_for(d.platform()) {
        match step {
            StepId::Customer => {
                let c = &d.customer;
                let business = if c.business_type.is_empty() { String::new() } else { i18n.t_dyn(&format!("business_type.{}", c.business_type)).to_string() };
                let language = if c.default_language.is_empty() { t(Key::LanguageNone) } else { i18n.t_dyn(&format!("language.{}", c.default_language)).to_string() };
                out.push(Section {
                    step,
                    title: Some(t(Key::CustomerInfoLegend)),
                    rows: vec![
                        row(step, "customer.name", t(Key::FieldCustomerName), or_not_provided(i18n, &c.name)),
                        row(step, "customer.address.street", t(Key::ReviewAddress), address_text(i18n, &c.address)),
                        row(step, "customer.business_type", t(Key::FieldCustomerBusinessType), ui_or_not_provided(i18n, &business)),
                        row(step, "customer.default_language", t(Key::FieldCustomerDefaultLanguage), ui(language)),
                    ],
                });
                let admins: Vec<AnswerRow> = d
                    .admin_contacts
                    .iter()
                    .enumerate()
                    .map(|(i, a)| {
                        let n = (i + 1).to_string();
                        let value = vec![
                            Piece::User(a.first_name.trim().into()),
                            Piece::Ui(" ".into()),
                            Piece::User(a.last_name.trim().into()),
                            Piece::Ui("\n".into()),
                            Piece::User(a.email.trim().into()),
                        ];
                        row(step, &format!("admin_contacts[{i}].first_name"), fill(i18n.t(Key::AdminsItem), &[("n", &n)]), value)
                    })
                    .collect();
                let admins = if admins.is_empty() {
                    vec![AnswerRow { label: t(Key::AdminsLegend), value: ui(t(Key::ReviewAdminContactsNone)), change: (step, "add-admin-contact".into()) }]
                } else {
                    admins
                };
                out.push(Section { step, title: Some(t(Key::AdminsLegend)), rows: admins });
                let supports = d
                    .support_contacts
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let n = (i + 1).to_string();
                        let role = i18n.t_dyn(&format!("role.{}", s.role.key()));
                        let value = vec![
                            Piece::Ui(format!("{role}\n")),
                            Piece::User(s.name.trim().into()),
                            Piece::Ui("\n".into()),
                            Piece::User(s.email.trim().into()),
                        ];
                        row(step, &format!("support_contacts[{i}].role"), fill(i18n.t(Key::SupportsItem), &[("n", &n)]), value)
                    })
                    .collect();
                out.push(Section { step, title: Some(t(Key::SupportsLegend)), rows: supports });
            }
            StepId::Gateway => {
                let g = &d.gateway;
                let platform = if g.platform.is_empty() { String::new() } else { i18n.t_dyn(&format!("platform.{}", g.platform)).to_string() };
                let site = if g.site_same_as_customer { ui(t(Key::ReviewSameAsCustomer)) } else { address_text(i18n, &g.site_address) };
                let site_path = if g.site_same_as_customer { "gateway.site_same_as_customer" } else { "gateway.site_address.street" };
                let mut rows = vec![
                    row(step, "gateway.platform", t(Key::FieldGatewayPlatform), ui_or_not_provided(i18n, &platform)),
                    row(step, "gateway.site_name", t(Key::FieldGatewaySiteName), or_not_provided(i18n, &g.site_name)),
                    row(step, site_path, t(Key::ReviewSiteAddress), site),
                ];
                if !onboarding_core::steps::SYNC_PLATFORMS.contains(&g.platform.as_str()) {
                    let mac = onboarding_core::formats::normalize_mac(&g.mac_address).unwrap_or_else(|| g.mac_address.clone());
                    rows.push(row(step, "gateway.mac_address", t(Key::FieldGatewayMacAddress), or_not_provided(i18n, &mac)));
                }
                out.push(Section { step, title: None, rows });
            }
            StepId::Pbx => {
                let p = &d.pbx;
                // As it will be sent (` 0443 ` is 443); text that is no number stays as typed,
                // and the PBX step's rules stop it before Submit.
                let port = match (p.port.trim(), onboarding_core::payload::submitted_port(&p.port)) {
                    ("", _) => ui(t(Key::ReviewDefaultPort)),
                    (_, Some(n)) => vec![Piece::User(n.to_string())],
                    (typed, None) => vec![Piece::User(typed.into())],
                };
                let password = t(if p.password.is_empty() { Key::ReviewPasswordMissing } else { Key::ReviewPasswordEntered });
                out.push(Section {
                    step,
                    title: None,
                    rows: vec![
                        row(step, "pbx.host", t(Key::FieldPbxHost), or_not_provided(i18n, &p.host)),
                        row(step, "pbx.port", t(Key::FieldPbxPort), port),
                        row(step, "pbx.username", t(Key::FieldPbxUsername), or_not_provided(i18n, &p.username)),
                        row(step, "pbx.password", t(Key::FieldPbxPassword), ui(password)),
                    ],
                });
            }
            StepId::Connect => {
                let p = &d.pbx;
                let mut rows = vec![row(step, "pbx.use_tls", t(Key::FieldPbxUseTls), yes_no(i18n, p.use_tls))];
                // Without TLS no certificate is sent, so none is shown.
                if p.use_tls {
                    let cert = t(if p.certificate_pem.trim().is_empty() { Key::ReviewNoCertificate } else { Key::ReviewCertificateGiven });
                    rows.push(row(step, "pbx.certificate_pem", t(Key::FieldPbxCertificatePem), ui(cert)));
                }
                out.push(Section { step, title: None, rows });
            }
            StepId::Sync => {
                let s = &d.sync;
                out.push(Section {
                    step,
                    title: None,
                    rows: vec![
                        row(step, "sync.users", t(Key::FieldSyncUsers), ui(i18n.t_dyn(&format!("sync_users.{}", s.users)))),
                        row(step, "sync.send_welcome_emails", t(Key::FieldSyncSendWelcomeEmails), yes_no(i18n, s.send_welcome_emails)),
                    ],
                });
            }
            StepId::Review => {}
        }
    }
    out
}
