//! Connect (platforms other than SMBC/VA): TLS, and the PBX's own certificate if it has one.

use leptos::prelude::*;

use crate::components::field::{CheckboxField, TextAreaField};
use crate::i18n::{tr, Key};
use crate::wizard::Wizard;

#[component]
pub fn ConnectStep(wizard: Wizard) -> impl IntoView {
    let p = wizard.pbx;
    // A private key pasted with the certificate is taken out as soon as it arrives, before any
    // autosave can read the field (the draft codec and the submission drop keys as well), and
    // the partner is told what happened.
    let key_removed = RwSignal::new(false);
    Effect::new(move |_| {
        let pasted = p.certificate_pem.get();
        if let Some(certificates) = onboarding_core::formats::without_private_keys(&pasted) {
            p.certificate_pem.set(certificates);
            key_removed.set(true);
            // A draft stored by an older version may hold the key: write over it now.
            wizard.edited();
        }
    });
    view! {
        <p class="body lead">{tr(Key::ConnectIntro)}</p>
        <CheckboxField path="pbx.use_tls" label=Key::FieldPbxUseTls checked=p.use_tls hint=Key::HintPbxUseTls />
        // The certificate belongs to TLS: revealed only with it (kept, not sent, without it).
        {move || p.use_tls.get().then(|| view! {
            <div class="conditional" id="pbx-certificate-reveal">
                <Show when=move || key_removed.get()>
                    <div class="notice notice--warning" role="alert" id="pbx-certificate_pem-key-removed">{tr(Key::ConnectPrivateKeyRemoved)}</div>
                </Show>
                <TextAreaField path="pbx.certificate_pem" label=Key::FieldPbxCertificatePem value=p.certificate_pem
                    hint=Key::HintPbxCertificatePem optional=true rows=8 />
            </div>
        })}
    }
}
