//! The start page: the drafts of this device and of the partner's account together (where each
//! is kept, whether its changes are sent; Resume, Delete) and Start new onboarding.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use onboarding_core::draft_codec::StoredDraft;
use onboarding_core::sync::{kept_in, AccountListing, KeptIn};
use onboarding_core::StepId;

use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::notices::Notices;
use crate::components::stepper::step_name;
use crate::config::use_config;
use crate::dom;
use crate::drafts::{use_draft_store, DraftListing};
use crate::i18n::{tr, use_i18n, Key};
use crate::session::use_session;
use crate::wizard::ActiveWizard;

fn display_name(i18n: &crate::i18n::I18n, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() { i18n.t(Key::StartUnnamed).to_string() } else { name.to_string() }
}

/// One line of the list: a device draft (with the account's word on it, if any) or a draft
/// only the account has.
#[derive(Clone)]
struct Row {
    id: String,
    name: String,
    step: StepId,
    updated_at: f64,
    kept: KeptIn,
    unsent: bool,
    submission_waiting: bool,
    /// The account version to delete, when the account has it.
    version: Option<String>,
}

fn rows_of(device: Vec<StoredDraft>, account: Option<Vec<AccountListing>>) -> Vec<Row> {
    let account = account.unwrap_or_default();
    let listed = |id: &str| account.iter().find(|a| a.draft_id == id);
    let mut rows: Vec<Row> = device
        .iter()
        .map(|d| {
            let in_account = listed(&d.working.id);
            Row {
                id: d.working.id.clone(),
                name: d.working.customer.name.clone(),
                step: d.working.current_step,
                updated_at: d.updated_at,
                kept: kept_in(Some(d), in_account.is_some()),
                unsent: d.unsent || d.account_version.is_none(),
                submission_waiting: d.submission_waiting,
                version: in_account.map(|a| a.version.clone()).or_else(|| d.account_version.clone()),
            }
        })
        .collect();
    for a in &account {
        if device.iter().all(|d| d.working.id != a.draft_id) {
            rows.push(Row {
                id: a.draft_id.clone(),
                name: a.customer_name.clone(),
                step: a.current_step.unwrap_or(StepId::Customer),
                updated_at: a.updated_at.unwrap_or_default() as f64,
                kept: KeptIn::Account,
                unsent: false,
                submission_waiting: false,
                version: Some(a.version.clone()),
            });
        }
    }
    rows.sort_by(|a, b| b.updated_at.total_cmp(&a.updated_at));
    rows
}

fn edited_at(ms: f64, lang: &str) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(lang, &options).into()
}

#[component]
pub fn StartPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let store = use_draft_store();
    let config = use_config();
    let active = expect_context::<ActiveWizard>();
    let navigate = use_navigate();
    // Arriving from a step inside the app: its last edits belong in the list.
    if let Some(w) = active.current() {
        w.flush();
    }
    // Bumped after a delete so the list is read again.
    let version = RwSignal::new(0u32);
    let listing = Memo::new(move |_| {
        version.track();
        // Nothing expires before the configured lifetime is known.
        let ttl = if config.settled.get() { config.config.with(|c| c.draft_ttl_days) } else { u32::MAX };
        store.list(dom::now_ms(), ttl)
    });
    // The account's drafts join the list once they arrive (signed in, online).
    let sync = crate::sync::use_account_sync();
    let account: RwSignal<Option<Vec<AccountListing>>> = RwSignal::new(None);
    if let Some(sync) = sync {
        leptos::task::spawn_local(async move {
            if let Some(list) = sync.list().await {
                let _ = account.try_set(Some(list));
            }
        });
    }
    Effect::new(move |_| dom::set_title(&format!("{} – {}", i18n.t(Key::StartTitle), i18n.t(Key::AppName))));
    // Reached inside the app (the wizard's Back link, the confirmation's link to the drafts):
    // the page is new, so focus starts at its heading rather than on the document. Save and
    // return and Cancel load the dashboard as a new document instead.
    if dom::arrived_within_app() {
        dom::focus_page_start("start-heading");
    }

    let start_new = move |_| {
        let id = dom::new_uuid();
        crate::sync::begun_here(&id);
        navigate(&session.href(&format!("/onboarding/{id}/customer")), Default::default())
    };
    let to_delete: RwSignal<Option<Row>> = RwSignal::new(None);
    let confirm_open = RwSignal::new(false);
    let confirm_delete = Callback::new(move |()| {
        if let Some(row) = to_delete.get_untracked() {
            store.delete(&row.id);
            active.close(&row.id);
            if let Some(sync) = sync {
                sync.forget(row.id.clone(), row.version.clone());
            }
            account.update(|a| {
                if let Some(a) = a {
                    a.retain(|d| d.draft_id != row.id);
                }
            });
            version.update(|v| *v += 1);
            dom::focus_id("start-new");
        }
    });

    let rows = move || {
        let drafts: Vec<StoredDraft> = listing.with(|l| {
            l.iter().filter_map(|e| if let DraftListing::Draft(d) = e { Some(d.clone()) } else { None }).collect()
        });
        let drafts = rows_of(drafts, account.get());
        if drafts.is_empty() {
            return view! { <p class="body" id="no-drafts">{i18n.t(Key::StartNoDrafts)}</p> }.into_any();
        }
        let lang = i18n.lang.get().code();
        // Where a draft is kept is worth saying only once there is an account to keep it in.
        let accounted = account.with(Option::is_some);
        let rows = drafts.into_iter().map(|row| {
            let name = display_name(&i18n, &row.name);
            let href = session.href(&format!("/onboarding/{}/{}", row.id, row.step.slug()));
            // A submission that was waiting when its page closed was never sent.
            let not_sent = row.submission_waiting.then(|| view! { <p class="not-sent">{i18n.t(Key::StartNotSent)}</p> });
            let kept = accounted.then(|| {
                let key = match row.kept {
                    KeptIn::Device => Key::StartKeptDevice,
                    KeptIn::Account => Key::StartKeptAccount,
                    KeptIn::Both => Key::StartKeptBoth,
                };
                let unsent = row.unsent.then(|| view! { <br /><span class="unsent">{i18n.t(Key::StartUnsent)}</span> });
                view! { <p class="kept-in">{i18n.t(key)}{unsent}</p> }
            });
            let delete_row = row.clone();
            view! {
                <tr>
                    <td>{name.clone()}</td>
                    <td>{i18n.t(step_name(row.step))}{not_sent}{kept}</td>
                    <td>{edited_at(row.updated_at, lang)}</td>
                    <td><div class="actions">
                        <a href=href class="button button--quiet button--small" aria-label=i18n.fmt(Key::StartResumeNamed, &[("name", &name)])>{i18n.t(Key::StartResume)}</a>
                        <button type="button" class="button button--quiet button--small"
                            aria-label=i18n.fmt(Key::StartDeleteNamed, &[("name", &name)])
                            on:click=move |_| {
                                to_delete.set(Some(Row { name: display_name(&i18n, &delete_row.name), ..delete_row.clone() }));
                                confirm_open.set(true);
                            }>
                            {i18n.t(Key::StartDelete)}
                        </button>
                    </div></td>
                </tr>
            }
        }).collect_view();
        // On a narrow screen the cells wrap; if the table is still wider than the screen, it
        // scrolls inside its own region, never the page.
        view! {
            <div class="table-scroll" role="region" aria-labelledby="drafts-heading" tabindex="0">
            <table class="table" id="drafts">
                <thead><tr>
                    <th scope="col">{i18n.t(Key::StartColCustomer)}</th>
                    <th scope="col">{i18n.t(Key::StartColStep)}</th>
                    <th scope="col">{i18n.t(Key::StartColEdited)}</th>
                    <th scope="col">{i18n.t(Key::StartColActions)}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            </div>
        }.into_any()
    };
    let problems = move || {
        listing.with(|l| {
            l.iter().filter_map(|e| match e {
                DraftListing::Unreadable { reason, .. } => Some(i18n.fmt(Key::StartUnreadable, &[("reason", reason)])),
                DraftListing::FutureVersion { .. } => Some(i18n.t(Key::StartFutureVersion).to_string()),
                DraftListing::Draft(_) => None,
            }).map(|text| view! { <p class="notice notice--warning draft-problem">{text}</p> }).collect_view()
        })
    };
    let delete_body = Signal::derive(move || {
        let everywhere = to_delete.with(|d| d.as_ref().is_some_and(|r| r.kept != KeptIn::Device));
        i18n.t(if everywhere { Key::StartDeleteBodyEverywhere } else { Key::StartDeleteBody }).to_string()
    });
    let delete_name = Signal::derive(move || to_delete.with(|d| d.as_ref().map(|r| r.name.clone()).unwrap_or_default()));

    view! {
        <div class="width-container">
            <main class="main" id="main">
                <Notices />
                <h1 class="heading-l" id="start-heading" tabindex="-1">{tr(Key::StartTitle)}</h1>
                <p class="body lead">{tr(Key::StartIntro)}</p>
                <button type="button" class="button button--start" id="start-new" on:click=start_new>{tr(Key::StartNew)}</button>
                <h2 class="heading-m" id="drafts-heading">{tr(Key::StartDraftsHeading)}</h2>
                {problems}
                {rows}
            </main>
            <ConfirmDialog
                id="delete-dialog"
                open=confirm_open
                title=Key::StartDeleteTitle
                body=delete_body
                body_name=delete_name
                confirm_label=Key::StartDeleteConfirm
                keep_label=Key::StartDeleteKeep
                on_confirm=confirm_delete
            />
        </div>
    }
}
