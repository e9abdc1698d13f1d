//! One form field: label, hint, inline error and control, wired for assistive technology
//! (`aria-invalid`, `aria-describedby` naming the hint and the error).

use std::sync::Arc;

use leptos::prelude::*;

use crate::i18n::{use_i18n, Key};
use crate::wizard::{dom_id, message, Errors};

/// The first error of `path` as a translated message (reactive).
fn field_error(path: Arc<str>) -> Memo<Option<String>> {
    let errors = expect_context::<Errors>();
    let i18n = use_i18n();
    Memo::new(move |_| {
        let mine = errors.at(&path);
        // The language is read untracked: with every field subscribed to the app-wide language,
        // each re-run left a set of thousands (removing a row while 3,000 errors are shown:
        // 0.2 s). A language change re-tells every field instead (`Errors::retell_all`).
        untrack(|| mine.first().map(|e| message(&i18n, e)))
    })
}

/// The field's element id, from its path. Paths never change (a contact row's carries its
/// slot, not its position), so ids and everything naming them are written once, not watched:
/// three fewer effects per field, 9,000 at 1,000 contacts.
fn field_id(path: &str) -> Arc<str> {
    dom_id(path).into()
}

fn described_by(id: &str, has_hint: bool, has_error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("{id}-hint"));
    }
    if has_error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[component]
fn FieldChrome(
    id: Arc<str>,
    label: Key,
    hint: Option<Key>,
    optional: bool,
    error: Memo<Option<String>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let has_hint = hint.is_some() || optional;
    view! {
        <div class="form-group" class:form-group--error=move || error.get().is_some()>
            <label class="label" for=id.clone()>{move || i18n.t(label)}</label>
            {has_hint.then(|| view! {
                <div class="hint" id=format!("{id}-hint")>
                    {move || {
                        let opt = if optional { i18n.t(Key::HintOptional) } else { "" };
                        let text = hint.map(|h| i18n.t(h)).unwrap_or("");
                        [opt, text].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ")
                    }}
                </div>
            })}
            // Re-runs whenever the message changes, a change of language included: the prefix
            // needs no subscription of its own to the app-wide language (see `field_error`).
            {move || error.get().map(|m| view! {
                <p class="error-message" id=format!("{id}-error")>
                    <span class="visually-hidden">{untrack(|| i18n.t(Key::ErrorPrefix))}" "</span>{m}
                </p>
            })}
            {children()}
        </div>
    }
}

#[component]
pub fn TextField(
    /// The key of the field's errors, and so its id: its path in the draft (`customer.name`),
    /// with a contact row's slot for its position (`admin_contacts[1].email`; `Errors::key_of`).
    #[prop(into)]
    path: Arc<str>,
    label: Key,
    value: RwSignal<String>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] optional: bool,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// The on-screen keyboard to offer (`numeric` for a port: a number field would turn
    /// "80a" into an empty value instead of an error the partner can see).
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(default = "")] width: &'static str,
    /// A machine value (address, user name, password): no spell check, no capitals.
    #[prop(optional)]
    code: bool,
) -> impl IntoView {
    let id = field_id(&path);
    let error = field_error(path);
    let has_hint = hint.is_some() || optional;
    view! {
        <FieldChrome id=id.clone() label hint optional error>
            <input
                class=format!("input {width}")
                class:input--error=move || error.get().is_some()
                id=id.clone()
                name=id.clone()
                type=input_type
                spellcheck=if input_type == "email" || code { "false" } else { "true" }
                autocapitalize=code.then_some("none")
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || described_by(&id, has_hint, error.get().is_some())
                bind:value=value
            />
        </FieldChrome>
    }
}

#[component]
pub fn SelectField(
    #[prop(into)] path: Arc<str>,
    label: Key,
    value: RwSignal<String>,
    /// (value, label) pairs; reactive so they follow the language.
    #[prop(into)]
    options: Signal<Vec<(&'static str, &'static str)>>,
    /// Label of an empty first option, if the field may be left unchosen.
    #[prop(optional)]
    empty: Option<Key>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] optional: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(&path);
    let error = field_error(path);
    let has_hint = hint.is_some() || optional;
    // The options are written as one piece of HTML (they are the app's own static texts,
    // escaped, never anything typed): built element by element, the 249 countries were about
    // two thirds of the Customer step's elements at first render. The chosen option is marked
    // when they are written (again in another language); the select's value follows later
    // changes.
    let options_html = move || {
        let current = value.get_untracked();
        let mut html = String::new();
        if let Some(k) = empty {
            push_option(&mut html, "", i18n.t(k), current.is_empty());
        }
        options.with(|options| {
            for (v, l) in options {
                push_option(&mut html, v, l, current == *v);
            }
        });
        html
    };
    view! {
        <FieldChrome id=id.clone() label hint optional error>
            <select
                class="select"
                class:input--error=move || error.get().is_some()
                id=id.clone()
                name=id.clone()
                autocomplete=autocomplete
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || described_by(&id, has_hint, error.get().is_some())
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:innerHTML=options_html
            ></select>
        </FieldChrome>
    }
}

/// Appends `<option value="…" selected>label</option>`, value and label escaped.
fn push_option(html: &mut String, value: &str, label: &str, selected: bool) {
    use onboarding_core::text::escape_html;
    html.push_str("<option value=\"");
    html.push_str(&escape_html(value));
    html.push_str(if selected { "\" selected>" } else { "\">" });
    html.push_str(&escape_html(label));
    html.push_str("</option>");
}

/// A multi-line text field (pasted certificates).
#[component]
pub fn TextAreaField(
    #[prop(into)] path: Arc<str>,
    label: Key,
    value: RwSignal<String>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional)] optional: bool,
    #[prop(default = 6)] rows: u32,
) -> impl IntoView {
    let id = field_id(&path);
    let error = field_error(path);
    let has_hint = hint.is_some() || optional;
    view! {
        <FieldChrome id=id.clone() label hint optional error>
            <textarea
                class="textarea"
                class:input--error=move || error.get().is_some()
                id=id.clone()
                name=id.clone()
                rows=rows
                spellcheck="false"
                autocomplete="off"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || described_by(&id, has_hint, error.get().is_some())
                bind:value=value
            ></textarea>
        </FieldChrome>
    }
}

/// A group of radio buttons in a fieldset whose legend is the question. The first radio
/// carries the field's id, so error links land on the group.
#[component]
pub fn RadioField(
    #[prop(into)] path: Arc<str>,
    label: Key,
    value: RwSignal<String>,
    /// (value, label) pairs.
    #[prop(into)]
    options: Signal<Vec<(&'static str, &'static str)>>,
    #[prop(optional)] hint: Option<Key>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(&path);
    let error = field_error(path);
    let (described_id, error_id) = (id.clone(), id.clone());
    view! {
        <div class="form-group" class:form-group--error=move || error.get().is_some()>
            <fieldset
                class="fieldset fieldset--plain"
                aria-describedby=move || described_by(&described_id, hint.is_some(), error.get().is_some())
            >
                <legend class="fieldset__legend fieldset__legend--s">{move || i18n.t(label)}</legend>
                {hint.map(|h| view! { <div class="hint" id=format!("{id}-hint")>{move || i18n.t(h)}</div> })}
                {move || error.get().map(|m| view! {
                    <p class="error-message" id=format!("{error_id}-error")>
                        <span class="visually-hidden">{i18n.t(Key::ErrorPrefix)}" "</span>{m}
                    </p>
                })}
                <div class="radios">
                    {move || options.get().into_iter().enumerate().map(|(i, (v, l))| {
                        let input_id = if i == 0 { id.to_string() } else { format!("{id}-{v}") };
                        view! {
                            <div class="radios__item">
                                <input class="radios__input" type="radio" id=input_id.clone() name=id.clone() value=v
                                    prop:checked=move || value.with(|cur| cur == v)
                                    on:change=move |_| value.set(v.to_string()) />
                                <label class="label radios__label" for=input_id>{l}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// A single checkbox answering a yes/no question.
#[component]
pub fn CheckboxField(
    #[prop(into)] path: Arc<str>,
    label: Key,
    checked: RwSignal<bool>,
    #[prop(optional)] hint: Option<Key>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = field_id(&path);
    view! {
        <div class="form-group">
            <div class="checkboxes__item">
                <input class="checkboxes__input" type="checkbox" id=id.clone() name=id.clone()
                    aria-describedby=hint.map(|_| format!("{id}-hint"))
                    bind:checked=checked />
                <label class="label checkboxes__label" for=id.clone()>{move || i18n.t(label)}</label>
                {hint.map(|h| view! { <div class="hint checkboxes__hint" id=format!("{id}-hint")>{move || i18n.t(h)}</div> })}
            </div>
        </div>
    }
}
