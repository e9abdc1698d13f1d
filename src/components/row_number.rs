//! A contact row's number, in its legend ("Admin contact 3") and in its Remove button's name
//! ("Remove admin contact 3"). Removing a row renumbers every row after it — 500 rows when the
//! middle one of 1,000 goes — so a row keeps one effect that writes both: the legend's number as
//! a number (the browser makes the text) and the button's name as one short string. Two effects
//! per row that each filled a template and sent its text made a removal at 1,000 rows take more
//! than a frame; so did a second text node per row (the name as visually hidden text), which
//! cost the browser twice the style and layout work of an attribute (bench: remove).

use leptos::html::{Button, Span};
use leptos::prelude::*;

use crate::dom;
use crate::i18n::{use_i18n, Key};

#[derive(Clone, Copy)]
pub struct RowNumber {
    index: RwSignal<usize>,
    legend_number: NodeRef<Span>,
    button: NodeRef<Button>,
    remove_named: Key,
}

impl RowNumber {
    /// `remove_named` is the Remove button's name, a template with `{n}`.
    pub fn new(index: RwSignal<usize>, remove_named: Key) -> Self {
        let i18n = use_i18n();
        let this = Self { index, legend_number: NodeRef::new(), button: NodeRef::new(), remove_named };
        Effect::new(move |_| {
            let n = index.get() + 1;
            let span: Option<web_sys::HtmlSpanElement> = this.legend_number.get_untracked();
            if let Some(span) = span {
                dom::set_text_number(&span, n);
            }
            let button: Option<web_sys::HtmlButtonElement> = this.button.get_untracked();
            if let Some(button) = button {
                // Untracked: a change of language re-runs `remove_label` instead, and tracking
                // the app-wide language here would cost each renumbered row a subscription.
                let _ = button.set_attribute("aria-label", &numbered(untrack(|| i18n.t(remove_named)), n));
            }
        });
        this
    }

    /// The row's title from a template with `{n}` ("Admin contact {n}"), for the legend.
    pub fn title(self, template: Key) -> impl IntoView {
        let i18n = use_i18n();
        // Rebuilt only when the language changes; the number inside is the effect's.
        move || {
            let (before, after) = around_number(i18n.t(template));
            view! { {before}<span node_ref=self.legend_number>{self.index.get_untracked() + 1}</span>{after} }
        }
    }

    /// The Remove button, to be given its name by the effect.
    pub fn button(self) -> NodeRef<Button> {
        self.button
    }

    /// The Remove button's name in the current language (the effect keeps its number current).
    pub fn remove_label(self) -> impl Fn() -> String + Send + Sync + 'static {
        let i18n = use_i18n();
        move || numbered(i18n.t(self.remove_named), self.index.get_untracked() + 1)
    }
}

/// The text before and after `{n}` in a template (all of it before, when there is none).
pub fn around_number(template: &'static str) -> (&'static str, &'static str) {
    template.split_once("{n}").unwrap_or((template, ""))
}

/// A template with `{n}` filled in.
fn numbered(template: &'static str, n: usize) -> String {
    let (before, after) = around_number(template);
    format!("{before}{n}{after}")
}

#[cfg(test)]
mod tests {
    use super::{around_number, numbered};

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn splits_a_template_at_its_number() {
        assert_eq!(around_number("Admin contact {n}"), ("Admin contact ", ""));
        assert_eq!(around_number("{n}. Kontakt"), ("", ". Kontakt"));
        assert_eq!(around_number("Contacts"), ("Contacts", ""));
        assert_eq!(numbered("Eliminar contacto de administración {n}", 12), "Eliminar contacto de administración 12");
    }
}
