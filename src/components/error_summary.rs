//! "There is a problem": the step's errors, each a link that focuses its field. At most
//! `MAX_LINKS` are listed, then how many more there are: with a thousand empty contact rows
//! (3,000 errors) a complete list would be thousands of links above the form, that the partner
//! would have to scroll past to reach it, and rebuilding them made every removal or revalidation
//! take twice as long. Every error keeps its inline message beside its field.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::dom;
use crate::i18n::{tr, use_i18n, Key};
use crate::wizard::{message, target_id, Errors};

pub const SUMMARY_ID: &str = "error-summary";

/// The most errors the summary lists; errors come in page order, so these are the first ones.
pub const MAX_LINKS: usize = 20;

/// One link of the summary: the id of the element it focuses, and what it says.
type Link = (String, String);

#[component]
pub fn ErrorSummary(errors: Errors, #[prop(into)] support_rows: Signal<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let links = Memo::new(move |_| {
        // Keys are unique: `Errors::set` keeps no error twice, and a field's errors say different things.
        errors.list.with(|list| {
            list.iter().take(MAX_LINKS).map(|e| (target_id(&errors, e, support_rows.get_untracked()), message(&i18n, e))).collect::<Vec<Link>>()
        })
    });
    let more = Memo::new(move |_| errors.list.with(|list| list.len().saturating_sub(MAX_LINKS)));
    // One listener for every link: each link names its field in its href. The links are
    // `rel="external"` so that the router leaves them alone: it would otherwise navigate to the
    // fragment, and the browser scroll the field to the very top, its label out of view. Rebuilding a closure
    // per link made a change to 3,000 shown errors (a removal at 1,000 contacts) cost 0.2 s.
    let follow = move |ev: leptos::ev::MouseEvent| {
        let link = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|el| el.closest("a[href^='#']").ok().flatten());
        if let Some(target) = link.and_then(|a| a.get_attribute("href")) {
            ev.prevent_default();
            dom::focus_id(&target[1..]);
        }
    };
    view! {
        <Show when=move || errors.has_any()>
            <div class="error-summary" id=SUMMARY_ID tabindex="-1" aria-labelledby="error-summary-title">
                <h2 class="error-summary__title" id="error-summary-title">{tr(Key::SummaryTitle)}</h2>
                // Keyed: a link whose text and target are unchanged is left alone.
                <ul class="error-summary__list" on:click=follow>
                    <For each=move || links.get() key=|link| link.clone() let:link>
                        <li><a href=format!("#{}", link.0) rel="external">{link.1}</a></li>
                    </For>
                </ul>
                <Show when=move || { more.get() > 0 }>
                    <p class="error-summary__more">{move || i18n.fmt(Key::SummaryMore, &[("n", &more.get().to_string())])}</p>
                </Show>
            </div>
        </Show>
    }
}
