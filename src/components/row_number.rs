//! A contact row's number, in its legend ("Admin contact 3") and in its Remove button's name
//! ("Remove admin contact 3"). Removing a row renumbers every row after it — 500 rows when the
//! middle one of 1,000 goes — so a renumbered row writes two texts, each joined in JavaScript
//! from its language's fixed parts and the number (`dom::set_numbered`): no string is formatted
//! in the wasm or decoded per row, and the legend stays one text node, as in a plain page.
//! Measured against (bench: remove): a template filled in the wasm and sent per row (a third of
//! the script time), the number in an element of its own (the browser laid out every
//! renumbered legend again, off screen too) and the name as visually hidden text (twice the
//! style and layout work of an attribute).

use leptos::html::{Button, Legend};
use leptos::prelude::*;

use crate::dom::{self, NumberedPlace};
use crate::i18n::{use_i18n, Key, Lang};

#[derive(Clone, Copy)]
pub struct RowNumber {
    index: RwSignal<usize>,
    legend: NodeRef<Legend>,
    button: NodeRef<Button>,
    title: Key,
    remove_named: Key,
}

impl RowNumber {
    /// `title` is the legend ("Admin contact {n}"), `remove_named` the Remove button's name
    /// ("Remove admin contact {n}").
    pub fn new(index: RwSignal<usize>, title: Key, remove_named: Key) -> Self {
        let i18n = use_i18n();
        let this = Self { index, legend: NodeRef::new(), button: NodeRef::new(), title, remove_named };
        let shown = (index.get_untracked(), i18n.lang.get_untracked());
        // Two effects, each tracking one thing: an effect's re-run leaves and rejoins the
        // subscribers of what it read, which costs time linear in their number, and every row
        // reads the app-wide language. Renumbering must not touch that set.
        Effect::new(move |was: Option<usize>| {
            let at = index.get();
            if was.unwrap_or(shown.0) != at {
                this.write(untrack(|| i18n.lang.get()), at);
            }
            at
        });
        Effect::new(move |was: Option<Lang>| {
            let lang = i18n.lang.get();
            if was.unwrap_or(shown.1) != lang {
                this.write(lang, index.get_untracked());
            }
            lang
        });
        this
    }

    fn write(self, lang: Lang, index: usize) {
        let legend: Option<web_sys::HtmlLegendElement> = self.legend.get_untracked();
        if let Some(legend) = legend {
            dom::set_numbered(&legend, NumberedPlace::Text, around_number(lang.text(self.title)), index + 1);
        }
        let button: Option<web_sys::HtmlButtonElement> = self.button.get_untracked();
        if let Some(button) = button {
            dom::set_numbered(&button, NumberedPlace::AriaLabel, around_number(lang.text(self.remove_named)), index + 1);
        }
    }

    /// The legend, for `node_ref`; the effects keep its text.
    pub fn legend(self) -> NodeRef<Legend> {
        self.legend
    }

    /// The legend's text when the row is made.
    pub fn legend_text(self) -> String {
        numbered(use_i18n().lang.get_untracked().text(self.title), self.index.get_untracked() + 1)
    }

    /// The Remove button, for `node_ref`; the effects keep its name.
    pub fn button(self) -> NodeRef<Button> {
        self.button
    }

    /// The Remove button's name when the row is made.
    pub fn remove_label(self) -> String {
        numbered(use_i18n().lang.get_untracked().text(self.remove_named), self.index.get_untracked() + 1)
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
