//! PBX (platforms other than SMBC/VA): how the gateway signs in to the customer's PBX. The
//! password lives only in this page's memory.

use leptos::prelude::*;

use crate::components::field::TextField;
use crate::i18n::{tr, Key};
use crate::wizard::Wizard;

#[component]
pub fn PbxStep(wizard: Wizard) -> impl IntoView {
    let p = wizard.pbx;
    // Said once the draft came back from the device without its password, until one is typed.
    let not_kept = move || wizard.password_not_kept.get() && p.password.with(String::is_empty);
    view! {
        <p class="body lead">{tr(Key::PbxIntro)}</p>
        <TextField path="pbx.host" label=Key::FieldPbxHost value=p.host hint=Key::HintPbxHost code=true />
        <TextField path="pbx.port" label=Key::FieldPbxPort value=p.port hint=Key::HintPbxPort optional=true width="input--w10" code=true inputmode="numeric" />
        <TextField path="pbx.username" label=Key::FieldPbxUsername value=p.username width="input--w20" code=true autocomplete="off" />
        {move || not_kept().then(|| view! {
            <div class="inset" id="pbx-password-not-kept">{tr(Key::PbxPasswordNotKept)}</div>
        })}
        <TextField path="pbx.password" label=Key::FieldPbxPassword value=p.password hint=Key::HintPbxPassword
            input_type="password" width="input--w20" code=true autocomplete="off" />
    }
}
