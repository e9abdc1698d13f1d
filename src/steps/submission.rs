//! Drives a submission from the page: Submit and Retry now, automatic retries on their timer,
//! the outbox that sends when the browser is back online, and where the page goes after.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use onboarding_core::embed::{About, Outgoing};
use onboarding_core::StepId;

use crate::config::use_config;
use crate::drafts::use_draft_store;
use crate::session::use_session;
use crate::submit::{self, Attempt, Next, SubmitState};
use crate::wizard::{ActiveWizard, Wizard};

#[derive(Clone, Copy)]
pub struct SubmitActions {
    /// Submit onboarding (the form's submit on Review).
    pub submit: Callback<()>,
    pub retry_now: Callback<()>,
    /// After a `409`: the answers move to a new onboarding, opened at Review.
    pub copy_to_new: Callback<()>,
}

pub fn use_submission(wizard: Wizard) -> SubmitActions {
    let config = use_config();
    let store = use_draft_store();
    let session = use_session();
    let active = expect_context::<ActiveWizard>();
    let navigate = use_navigate();
    let embed = crate::embed::use_embed();
    let signin = crate::signin::use_signin();
    let submitter = wizard.submitter;
    let draft_id = wizard.draft_id.get_value();

    // One attempt; a retry it schedules runs only if no newer attempt started meanwhile.
    let send: StoredValue<Option<Callback<()>>> = StoredValue::new(None);
    let confirmation_path = {
        let draft_id = draft_id.clone();
        move || session.href(&format!("/onboarding/{draft_id}/submitted"))
    };
    let run = Callback::new(move |()| {
        // Another tab (or an earlier visit) already had this onboarding accepted: show that.
        if store.load_confirmation(&draft_id).is_some() {
            wizard.finish();
            active.close(&draft_id);
            navigate(&confirmation_path(), NavigateOptions::default());
            return;
        }
        let attempt_no = submitter.next_attempt();
        // From now until the backend answers, the device says a submission is under way: if
        // the page is closed meanwhile, the start page can say it was not sent.
        wizard.set_submission_waiting(true);
        let input = Attempt {
            draft: wizard.snapshot(),
            api_base_url: config.config.with_untracked(|c| c.api_base_url.clone()),
            authorization: signin.and_then(|s| s.authorization()),
            signed_out: signin.is_some_and(|s| s.lacks_session()),
        };
        let navigate = navigate.clone();
        let draft_id = draft_id.clone();
        leptos::task::spawn_local(async move {
            let (next, retry_in) = submit::attempt(submitter, input).await;
            if !submitter.is_current(attempt_no) {
                return;
            }
            let go = |path: String| navigate(&path, NavigateOptions::default());
            // Once the step is put right, Next comes back to Review, as after a Change link.
            let back_to_review = |step: StepId| session.href_with(&format!("/onboarding/{draft_id}/{}", step.slug()), "return=review");
            // Whether a submission now waits only in this page: the device remembers it, so a
            // visit after the page is gone can say it was never sent.
            wizard.set_submission_waiting(submitter.is_waiting());
            match next {
                Next::Stay => {
                    if let Some(ms) = retry_in {
                        schedule(send, submitter, attempt_no, ms);
                    }
                }
                Next::AlreadySubmitted => {
                    crate::dom::focus_id("submission-status");
                }
                Next::SignInNeeded => {
                    if let Some(signin) = signin {
                        signin.refused();
                    }
                }
                Next::FixStep(step) => {
                    wizard.show_errors_on(step);
                    go(back_to_review(step));
                    crate::dom::focus_page_start(crate::components::error_summary::SUMMARY_ID);
                }
                Next::Rejected(errors) => {
                    let step = wizard.take_server_errors(errors);
                    wizard.show_errors_on(step);
                    if step != StepId::Review {
                        go(back_to_review(step));
                    }
                    crate::dom::focus_page_start(crate::components::error_summary::SUMMARY_ID);
                }
                Next::Confirmed(confirmation) => {
                    // The draft leaves the device only once the confirmation is kept there.
                    if store.save_confirmation(&confirmation) {
                        wizard.finish();
                    }
                    embed.post(Outgoing::Completed {
                        draft_id: confirmation.draft_id.clone(),
                        onboarding_id: confirmation.onboarding_id.clone(),
                        about: About::named(&confirmation.customer_name),
                    });
                    active.close(&draft_id);
                    go(session.href(&format!("/onboarding/{draft_id}/submitted")));
                }
            }
        });
    });
    send.set_value(Some(run));

    // The outbox: sent when the browser says it is back, or at once if it came back while the
    // page was elsewhere.
    let online = window_event_listener_untyped("online", move |_| {
        if matches!(submitter.state.get_untracked(), SubmitState::Offline | SubmitState::Waiting { .. }) {
            submitter.reset_retries();
            run.run(());
        }
    });
    on_cleanup(move || online.remove());
    // The outbox, for a session: sent as soon as there is one (the host's fresh session, or a
    // sign-in in another tab); until then a signed-out page keeps looking.
    if let Some(signin) = signin {
        Effect::new(move |_| {
            let waiting = submitter.state.get() == SubmitState::SignInNeeded;
            signin.wanted.set(waiting);
            if waiting && signin.signed_in().is_some() {
                submitter.reset_retries();
                run.run(());
            }
        });
    }
    // Back on the page after leaving it: pick up where the submission was.
    match submitter.state.get_untracked() {
        SubmitState::Offline if crate::dom::is_online() => run.run(()),
        SubmitState::Waiting { retry_at: Some(at), .. } => {
            let ms = (at - crate::dom::now_ms()).max(0.0) as u32;
            schedule(send, submitter, submitter.next_attempt(), ms);
        }
        _ => {}
    }

    // The outbox lives in this page (the password is never stored): leaving it while a
    // submission waits asks first.
    let leaving = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if submitter.is_pending() {
            ev.prevent_default();
            // Older browsers ask only when this is not empty; none shows the text itself.
            ev.set_return_value("submission pending");
        }
    });
    on_cleanup(move || leaving.remove());

    let submit = Callback::new(move |()| {
        // A second click or Enter while a request is out (or queued) sends nothing more; the
        // status beside the button says why.
        if submitter.is_busy() {
            crate::dom::focus_id("submission-status");
            return;
        }
        submitter.reset_retries();
        run.run(());
    });
    let retry_now = Callback::new(move |()| {
        if submitter.state.get_untracked() == SubmitState::Sending {
            return;
        }
        submitter.reset_retries();
        run.run(());
    });
    let copy_navigate = use_navigate();
    let copy_to_new = Callback::new(move |()| {
        let new_id = crate::dom::new_uuid();
        crate::sync::begun_here(&new_id);
        if wizard.copy_to_new(&new_id, active) {
            copy_navigate(&session.href(&format!("/onboarding/{new_id}/review")), NavigateOptions::default());
        }
    });
    SubmitActions { submit, retry_now, copy_to_new }
}

/// The next automatic attempt, unless a newer attempt started first or the page that drives
/// submissions is gone (leaving the wizard pauses retries; coming back resumes them).
fn schedule(send: StoredValue<Option<Callback<()>>>, submitter: crate::submit::Submitter, attempt_no: u64, ms: u32) {
    set_timeout(
        move || {
            if submitter.is_current(attempt_no) {
                if let Some(Some(send)) = send.try_get_value() {
                    send.try_run(());
                }
            }
        },
        std::time::Duration::from_millis(u64::from(ms)),
    );
}
