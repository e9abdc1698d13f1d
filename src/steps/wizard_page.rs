//! The shell around every step of a draft: stepper, error summary, heading, the step's form,
//! the controls and the Cancel confirmation. Route: `/onboarding/:draft_id/:step`.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use onboarding_core::steps::previous_step;
use onboarding_core::embed::{About, Outgoing};
use onboarding_core::StepId;

use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::error_summary::{ErrorSummary, SUMMARY_ID};
use crate::components::notices::Notices;
use crate::components::step_controls::StepControls;
use crate::components::stepper::{step_title, Stepper};
use crate::config::use_config;
use crate::dom;
use crate::embed::use_embed;
use crate::drafts::use_draft_store;
use crate::i18n::{tr, use_i18n, Key};
use crate::session::use_session;
use crate::steps::confirmation::ConfirmationPage;
use crate::steps::connect::ConnectStep;
use crate::steps::customer::CustomerStep;
use crate::steps::gateway::GatewayStep;
use crate::steps::pbx::PbxStep;
use crate::steps::review::{ReviewStep, SubmissionStatus};
use crate::steps::submission::use_submission;
use crate::steps::sync::SyncStep;
use crate::sync::use_account_sync;
use crate::wizard::{use_tab_sync, ActiveWizard, LoadProblem, Wizard};

const HEADING_ID: &str = "step-heading";

#[component]
pub fn WizardPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let store = use_draft_store();
    let active = expect_context::<ActiveWizard>();
    let draft_id = Memo::new(move |_| params.read().get("draft_id").unwrap_or_default());
    // Once the backend has accepted a draft, every route of it shows the confirmation (browser
    // Back from it must not bring back a Review with a Submit button).
    let submitted = Memo::new(move |_| {
        let draft_id = draft_id.get();
        params.read().get("step").as_deref() == Some(SUBMITTED)
            || store.load_confirmation(&draft_id).is_some()
            || crate::submit::last_confirmation(&draft_id).is_some()
    });
    let step = Memo::new(move |_| params.read().get("step").and_then(|s| StepId::from_slug(&s)));
    let wizard = Memo::new(move |_| {
        // Another tab's version replaces the open wizard: show the new one.
        active.generation();
        active.open(&draft_id.get(), session.partner_id.get_value(), store)
    });
    // Tracks only whether the step exists, so moving between steps keeps the page mounted.
    let first_step = Memo::new(move |prev: Option<&Option<StepId>>| match prev {
        Some(Some(s)) if step.get().is_some() => Some(*s),
        _ => step.get(),
    });
    move || if submitted.get() {
        view! { <ConfirmationPage draft_id=draft_id.get() /> }.into_any()
    } else { match (wizard.get(), first_step.get()) {
        (Ok(w), Some(s)) => view! { <WizardSteps wizard=w step=Signal::derive(move || step.get().unwrap_or(s)) /> }.into_any(),
        (Err(LoadProblem::Unreadable(_)), _) => {
            view! { <Problem title=Key::AppDraftUnreadableTitle body=Key::AppDraftUnreadableBody /> }.into_any()
        }
        _ => view! { <Problem title=Key::AppNotFoundTitle body=Key::AppNotFoundBody /> }.into_any(),
    }}
}

/// The route segment of the confirmation page, in place of a step.
pub const SUBMITTED: &str = "submitted";

/// How long Save and return waits for the partner's account to confirm before returning anyway.
const SAVE_AND_RETURN_WAIT_MS: u64 = 4_000;

/// A wizard address that cannot be shown: no such draft id, or a stored draft that cannot be
/// read (left untouched, and reported on the start page).
#[component]
pub fn Problem(title: Key, body: Key) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    Effect::new(move |_| dom::set_title(&format!("{} – {}", i18n.t(title), i18n.t(Key::AppName))));
    view! {
        <div class="width-container">
            <main class="main" id="main">
                <h1 class="heading-l">{tr(title)}</h1>
                <p class="body">{tr(body)}</p>
                <p class="body"><a href=move || session.href("/")>{tr(Key::AppBackToStart)}</a></p>
            </main>
        </div>
    }
}

#[component]
fn WizardSteps(wizard: Wizard, step: Signal<StepId>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_draft_store();
    let session = use_session();
    let config = use_config();
    let active = expect_context::<ActiveWizard>();
    let navigate = use_navigate();
    provide_context(wizard.errors);
    let draft_id = wizard.draft_id.get_value();

    // Inline messages follow the language through this one subscriber (see `field_error`).
    Effect::new(move |first: Option<()>| {
        i18n.lang.track();
        if first.is_some() {
            wizard.errors.retell_all();
        }
    });
    // The route decides the step; entering it clears the previous step's errors.
    Effect::new(move |_| wizard.enter_step(step.get()));
    // The document title follows the heading, prefixed while errors are shown.
    Effect::new(move |_| {
        let prefix = if wizard.errors.has_any() { i18n.t(Key::AppErrorTitlePrefix) } else { "" };
        dom::set_title(&format!("{prefix}{} – {}", i18n.t(step_title(step.get())), i18n.t(Key::AppName)));
    });

    let query = use_query_map();
    // Arrived through a Change link on Review: Next goes back there, and the field takes focus.
    let returning = Memo::new(move |_| query.read().get("return").as_deref() == Some("review"));
    let focus_field = Memo::new(move |_| query.read().get("field"));
    // A new step reads like a new page: focus goes to its heading, or to the field a Change
    // link names, or to the summary when the step opens with errors (Submit sent it here). On
    // the page the browser loaded, focus is left where the browser puts it.
    let arrived_within_app = dom::arrived_within_app();
    Effect::new(move |first: Option<()>| {
        let _ = step.get();
        match focus_field.get() {
            Some(field) => dom::focus_id(&wizard.element_id(&field)),
            None if first.is_none() && !arrived_within_app => {}
            None if wizard.errors.shown.get_untracked() => dom::focus_page_start(SUMMARY_ID),
            None => dom::focus_page_start(HEADING_ID),
        }
    });
    let actions = use_submission(wizard);
    // Opening a draft compares the device's copy with the account's (once per page).
    let sync = use_account_sync();
    if let Some(sync) = sync {
        sync.on_open(wizard.draft_id.get_value());
    }

    let step_href = {
        let draft_id = draft_id.clone();
        move |s: StepId| session.href(&format!("/onboarding/{draft_id}/{}", s.slug()))
    };
    let back_href = {
        let step_href = step_href.clone();
        move || match previous_step(step.get(), wizard.platform().as_deref()) {
            Some(prev) => step_href(prev),
            None => session.href("/"),
        }
    };
    let on_submit = {
        let navigate = navigate.clone();
        let draft_id = draft_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if step.get_untracked() == StepId::Review {
                actions.submit.run(());
                return;
            }
            let returning = returning.get_untracked();
            let next = wizard.next(returning);
            // Each step done is worth sending to the account at once.
            if let Some(sync) = sync {
                sync.send_now(draft_id.clone());
            }
            match next {
                Some(next) => {
                    let path = format!("/onboarding/{draft_id}/{}", next.slug());
                    // Still on the way back to Review: keep saying so.
                    let href = if returning && next != StepId::Review { session.href_with(&path, "return=review") } else { session.href(&path) };
                    navigate(&href, Default::default());
                    // A new step reads from its heading, as a new page would.
                    dom::focus_page_start(HEADING_ID);
                }
                None => dom::focus_page_start(SUMMARY_ID),
            }
        }
    };
    let tabs = use_tab_sync();
    let embed = use_embed();
    // Each step change is news to an embedding host (with the name as it stands, read without
    // subscribing: typing a name is not a step change).
    Effect::new(move |_| {
        let step = step.get();
        if embed.is_embedded() {
            embed.post(Outgoing::step_changed(step, &wizard.customer.name.get_untracked()));
        }
    });
    let leave_navigate = navigate.clone();
    let leave = Callback::new(move |message: Outgoing| {
        // In a dashboard's frame, "return to the dashboard" is the host's job: tell it, and
        // leave the frame on the start page in case it stays visible.
        if embed.is_embedded() {
            embed.post(message);
            leave_navigate(&session.href("/"), Default::default());
            return;
        }
        let url = config.config.with_untracked(|c| c.dashboard_url.clone());
        // A dashboard path on this origin (the default `/` is the start page) keeps the
        // language, role and partner; an outside dashboard gets its URL untouched.
        let same_origin_path = url.starts_with('/') && !url.starts_with("//") && !url.contains('?');
        dom::go_to(&if same_origin_path { session.href(&url) } else { url });
    });
    // Save and return refused by the device: said beside the controls, and the partner stays.
    let save_refused = RwSignal::new(false);
    let on_save_and_return = Callback::new(move |()| {
        let (on_device, previous) = wizard.save_and_return();
        let draft_id = wizard.draft_id.get_value();
        // The account is given a few seconds to confirm; the partner returns either way when
        // the device holds the draft. Leaving with a draft that neither holds would lose it:
        // stay, and say so.
        // Plain shared state, not a signal: the page may be gone when the later of the two
        // (the account's answer, the time limit) arrives.
        let settled = std::rc::Rc::new(std::cell::Cell::new(false));
        let finish = move |synced: bool| {
            if settled.replace(true) {
                return;
            }
            if on_device || synced {
                let about = About::draft(&wizard.snapshot());
                leave.run(Outgoing::SavedAndReturned { draft_id: wizard.draft_id.get_value(), synced, about });
            } else {
                wizard.undo_checkpoint(previous.clone());
                save_refused.try_set(true);
                dom::focus_id("save-refused");
            }
        };
        match sync {
            Some(sync) => {
                let done = finish.clone();
                leptos::task::spawn_local(async move { done(sync.send_waiting(draft_id, SAVE_AND_RETURN_WAIT_MS as f64).await) });
                set_timeout(move || finish(false), std::time::Duration::from_millis(SAVE_AND_RETURN_WAIT_MS));
            }
            None => finish(false),
        }
    });
    let confirm_open = RwSignal::new(false);
    let discard = {
        let draft_id = draft_id.clone();
        Callback::new(move |()| {
            // Named as it stays: the checkpoint Cancel goes back to, else the discarded answers.
            let about = if embed.is_embedded() { About::draft(&wizard.after_discard()) } else { About::default() };
            // Nothing of a cancelled onboarding may still be sent.
            wizard.submitter.cancel();
            let never_saved = !wizard.has_checkpoint();
            let account_version = store.load(&draft_id).ok().flatten().and_then(|d| d.account_version);
            wizard.discard();
            // Cancel holds for the account's copy too: back to the checkpoint, or gone.
            if let Some(sync) = sync {
                // With `keepalive`: leaving the page follows at once.
                if never_saved {
                    sync.forget(draft_id.clone(), account_version);
                } else {
                    sync.send_on_leaving(&draft_id);
                }
            }
            active.close(&draft_id);
            leave.run(Outgoing::Cancelled { draft_id: draft_id.clone(), about });
        })
    };
    let on_cancel = Callback::new(move |()| {
        if wizard.has_unsaved_changes() {
            confirm_open.set(true);
        } else {
            discard.run(());
        }
    });
    let cancel_body = Signal::derive(move || {
        // Whether a checkpoint exists decides what Cancel goes back to.
        let key = if wizard.has_checkpoint() { Key::CancelBodySaved } else { Key::CancelBodyNew };
        i18n.t(key).to_string()
    });
    let support_rows = Signal::derive(move || wizard.supports.with(Vec::len));
    let edited = move |ev: leptos::ev::Event| wizard.form_edited(&ev);
    let path = Memo::new(move |_| wizard.path());

    view! {
        <div class="width-container">
            <Stepper draft_id=draft_id.clone() path current=step completed=wizard.completed />
            <a class="back-link" href=back_href>{tr(Key::ControlsBack)}</a>
            <main class="main" id="main">
                <Notices />
                {move || tabs.and_then(|t| t.notice.get()).map(|k| view! {
                    <div class="notice" role="status" id="tabs-notice">{i18n.t(k)}</div>
                })}
                {move || sync.and_then(|s| s.updated_from_account.get()).filter(|(id, _)| *id == wizard.draft_id.get_value()).map(|(_, at)| view! {
                    <div class="notice" role="status" id="account-notice">{i18n.fmt(Key::SyncUpdated, &[("time", &crate::sync::local_time(&at))])}</div>
                })}
                // A submission waiting to be sent stays visible wherever the partner goes;
                // Review shows it beside the Submit button instead.
                {move || (step.get() != StepId::Review).then(|| view! {
                    <SubmissionStatus submitter=wizard.submitter retry_now=actions.retry_now copy_to_new=actions.copy_to_new />
                })}
                <ErrorSummary errors=wizard.errors support_rows />
                <h1 class="heading-l" id=HEADING_ID tabindex="-1">{move || i18n.t(step_title(step.get()))}</h1>
                <form novalidate on:submit=on_submit on:input=edited on:change=edited>
                    {move || match step.get() {
                        StepId::Customer => view! { <CustomerStep wizard /> }.into_any(),
                        StepId::Gateway => view! { <GatewayStep wizard /> }.into_any(),
                        StepId::Pbx => view! { <PbxStep wizard /> }.into_any(),
                        StepId::Connect => view! { <ConnectStep wizard /> }.into_any(),
                        StepId::Sync => view! { <SyncStep wizard /> }.into_any(),
                        StepId::Review => view! { <ReviewStep wizard retry_now=actions.retry_now copy_to_new=actions.copy_to_new /> }.into_any(),
                    }}
                    <Show when=move || save_refused.get()>
                        <div class="notice notice--warning" id="save-refused" role="alert" tabindex="-1">{move || {
                            // A device that refuses storage altogether, or one that is full.
                            let key = if store.status.get() == crate::drafts::StorageStatus::Unavailable { Key::StorageSaveRefused } else { Key::StorageWriteFailed };
                            i18n.t(key)
                        }}</div>
                    </Show>
                    <StepControls
                        next_label=Signal::derive(move || if step.get() == StepId::Review { Key::ControlsSubmit } else { Key::ControlsNext })
                        on_save_and_return
                        on_cancel
                    />
                </form>
            </main>
            {tabs.map(|t| view! {
                <ConfirmDialog
                    id="conflict-dialog"
                    open=t.conflict
                    title=Key::TabsConflictTitle
                    body=Signal::derive(move || i18n.t(Key::TabsConflictBody).to_string())
                    confirm_label=Key::TabsConflictTakeTheirs
                    keep_label=Key::TabsConflictKeepMine
                    on_confirm=Callback::new(move |()| t.take_theirs())
                    on_keep=Callback::new(move |()| t.keep_mine())
                />
            })}
            {sync.map(|s| {
                let open = RwSignal::new(false);
                let this_draft = draft_id.clone();
                Effect::new(move |_| open.set(s.conflict.with(|c| c.as_ref().is_some_and(|c| c.draft_id == this_draft))));
                let body = Signal::derive(move || {
                    let at = s.conflict.with(|c| c.as_ref().map(|c| crate::sync::local_time(&c.account.updated_at))).unwrap_or_default();
                    i18n.fmt(Key::SyncConflictBody, &[("time", &at)])
                });
                view! {
                    <ConfirmDialog
                        id="account-conflict-dialog"
                        open
                        title=Key::SyncConflictTitle
                        body
                        confirm_label=Key::SyncConflictTakeTheirs
                        keep_label=Key::SyncConflictKeepMine
                        on_confirm=Callback::new(move |()| s.take_theirs())
                        on_keep=Callback::new(move |()| s.keep_mine())
                    />
                }
            })}
            <ConfirmDialog
                id="cancel-dialog"
                open=confirm_open
                title=Key::CancelTitle
                body=cancel_body
                confirm_label=Key::CancelDiscard
                keep_label=Key::CancelKeep
                on_confirm=discard
            />
        </div>
    }
}
