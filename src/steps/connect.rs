//! Connect (platforms other than SMBC/VA): TLS, and the PBX's own certificate if it has one.

use leptos::prelude::*;

use crate::components::field::{CheckboxField, TextAreaField};
use crate::i18n::{tr, Key};
use crate::wizard::Wizard;

#[component]
pub fn ConnectStep(wizard: Wizard) -> impl IntoView {
    let p = wizard.pbx;
    view! {
        <p class="body lead">{tr(Key::ConnectIntro)}</p>
        <CheckboxField path="pbx.use_tls" label=Key::FieldPbxUseTls checked=p.use_tls hint=Key::HintPbxUseTls />
        // The certificate belongs to TLS: revealed only with it (kept, not sent, without it).
        {move || p.use_tls.get().then(|| view! {
            <div class="conditional" id="pbx-certificate-reveal">
                <TextAreaField path="pbx.certificate_pem" label=Key::FieldPbxCertificatePem value=p.certificate_pem
                    hint=Key::HintPbxCertificatePem optional=true rows=8 />
            </div>
        })}
    }
}
