//! A contact row's number, in its legend ("Admin contact 3") and in its Remove button's name
//! ("Remove admin contact 3"). Removing a row renumbers every row after it — 500 rows when the
//! middle one of 1,000 goes — so a row keeps one effect that writes both numbers as numbers
//! (the browser makes the text): no string is built in wasm or decoded in JS per row. Building
//! and sending two strings per row made a removal at 1,000 rows take more than a frame (bench).

use leptos::html::Span;
use leptos::prelude::*;

use crate::dom;
use crate::i18n::{use_i18n, Key};

#[derive(Clone, Copy)]
pub struct RowNumber {
    index: RwSignal<usize>,
    spans: [NodeRef<Span>; 2],
}

impl RowNumber {
    pub fn new(index: RwSignal<usize>) -> Self {
        let spans = [NodeRef::new(), NodeRef::new()];
        Effect::new(move |_| {
            let n = index.get() + 1;
            for span in spans {
                let el: Option<web_sys::HtmlSpanElement> = span.get_untracked();
                if let Some(el) = el {
                    dom::set_text_number(&el, n);
                }
            }
        });
        Self { index, spans }
    }

    /// The row's title from a template with `{n}` ("Admin contact {n}"), for the legend.
    pub fn title(self, template: Key) -> impl IntoView {
        self.text(template, 0)
    }

    /// The Remove button's content: "Remove" as seen, the numbered name ("Remove admin contact
    /// {n}") as heard; voice control still finds it by the word it shows.
    pub fn remove_button_text(self, shown: Key, named: Key) -> impl IntoView {
        let i18n = use_i18n();
        view! {
            <span aria-hidden="true">{move || i18n.t(shown)}</span>
            <span class="visually-hidden">{self.text(named, 1)}</span>
        }
    }

    fn text(self, template: Key, which: usize) -> impl IntoView {
        let i18n = use_i18n();
        let span = self.spans[which];
        let index = self.index;
        // Rebuilt only when the language changes; the number inside is the effect's.
        move || {
            let (before, after) = around_number(i18n.t(template));
            view! { {before}<span node_ref=span>{index.get_untracked() + 1}</span>{after} }
        }
    }
}

/// The text before and after `{n}` in a template (all of it before, when there is none).
pub fn around_number(template: &'static str) -> (&'static str, &'static str) {
    template.split_once("{n}").unwrap_or((template, ""))
}

#[cfg(test)]
mod tests {
    use super::around_number;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn splits_a_template_at_its_number() {
        assert_eq!(around_number("Admin contact {n}"), ("Admin contact ", ""));
        assert_eq!(around_number("{n}. Kontakt"), ("", ". Kontakt"));
        assert_eq!(around_number("Contacts"), ("Contacts", ""));
    }
}
