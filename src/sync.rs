//! Drafts in the partner's account (contract): the device's copy is written first, always; this
//! module sends it to the account in the background — coalesced (about 10 s after typing stops,
//! 2 s when the device keeps nothing; at once after Next, Save and return, Cancel), one request
//! at a time per draft, retried with backoff, waiting while offline or signed out — and, when a
//! draft is opened, compares the two copies. The decisions are `onboarding_core::sync`.

use std::cell::RefCell;

use gloo_net::http::Request;
use leptos::prelude::*;
use onboarding_core::draft_codec::StoredDraft;
use onboarding_core::sync::{self as rules, AccountCopy, AccountHas, AccountListing, Answer, OnOpen, Push};

use crate::dom;
use crate::drafts::{DraftStore, StorageStatus};
use crate::signin::{SignIn, SignInState};
use crate::wizard::ActiveWizard;

const TIMEOUT_MS: i32 = 15_000;

#[derive(Default)]
struct PerDraft {
    in_flight: bool,
    /// Another send was asked for while one was out: it follows.
    again: bool,
    /// Bumped by every schedule, so only the last timer sends.
    timer: u64,
    retries: u32,
    /// Compared with the account's copy since the page loaded.
    compared: bool,
}

thread_local! {
    // Drafts begun in this page (Start new onboarding, `init`'s "new", a copy): the account
    // cannot have them yet, so opening one asks it nothing.
    static BEGUN_HERE: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    // The drafts this page has sent or compared: a handful, so a list.
    static DRAFTS: RefCell<Vec<(String, PerDraft)>> = const { RefCell::new(Vec::new()) };
}

fn with_draft<T>(draft_id: &str, f: impl FnOnce(&mut PerDraft) -> T) -> T {
    DRAFTS.with(|d| {
        let mut drafts = d.borrow_mut();
        let at = match drafts.iter().position(|(id, _)| id == draft_id) {
            Some(at) => at,
            None => {
                drafts.push((draft_id.to_string(), PerDraft::default()));
                drafts.len() - 1
            }
        };
        f(&mut drafts[at].1)
    })
}

/// A draft id this page just made up: nothing to compare with the account.
pub fn begun_here(draft_id: &str) {
    BEGUN_HERE.with(|b| b.borrow_mut().push(draft_id.to_string()));
}

/// The two copies of one draft disagree: the account's, held until the partner chooses.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    pub draft_id: String,
    pub account: AccountCopy,
}

#[derive(Clone, Copy)]
pub struct AccountSync {
    api_base_url: StoredValue<String>,
    /// Whose drafts this page shows; a session of another partner sends none of them.
    partner: StoredValue<Option<String>>,
    store: DraftStore,
    signin: Option<SignIn>,
    active: ActiveWizard,
    /// False once the backend showed it keeps no account drafts: nothing more is sent.
    offered: StoredValue<bool>,
    /// Copies that disagree, for the page's choice.
    pub conflict: RwSignal<Option<Conflict>>,
    /// The draft whose device copy the account's replaced, and when that copy was saved.
    pub updated_from_account: RwSignal<Option<(String, String)>>,
}

impl AccountSync {
    pub fn new(api_base_url: String, partner: Option<String>, store: DraftStore, signin: Option<SignIn>, active: ActiveWizard) -> AccountSync {
        let sync = AccountSync {
            api_base_url: StoredValue::new(api_base_url),
            partner: StoredValue::new(partner),
            store,
            signin,
            active,
            offered: StoredValue::new(true),
            conflict: RwSignal::new(None),
            updated_from_account: RwSignal::new(None),
        };
        // Whatever waited (offline, signed out) goes once it can.
        let online = window_event_listener_untyped("online", move |_| sync.send_all());
        std::mem::forget(online);
        if let Some(signin) = signin {
            Effect::new(move |_| {
                if signin.signed_in().is_some() {
                    sync.send_all();
                }
            });
        }
        sync
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api_base_url.get_value().trim_end_matches('/'))
    }

    /// Sending makes sense only with a session of the partner whose drafts these are (or of the
    /// first partner to sign in on a device that never had one), online, to a backend that
    /// keeps drafts.
    fn can_send(&self) -> bool {
        let partner = self.partner.get_value();
        self.offered.get_value()
            && dom::is_online()
            && self.signin.is_some_and(|s| match s.state.get_untracked() {
                SignInState::SignedIn(who) => partner.as_deref().is_none_or(|p| p == who.partner_id),
                _ => false,
            })
    }

    pub fn in_flight(&self, draft_id: &str) -> bool {
        with_draft(draft_id, |d| d.in_flight)
    }

    /// [`send`](Self::send), first waiting (at most `within_ms`) for a send already out.
    pub async fn send_waiting(self, draft_id: String, within_ms: f64) -> bool {
        let until = dom::now_ms() + within_ms;
        while self.in_flight(&draft_id) && dom::now_ms() < until {
            sleep_ms(100).await;
        }
        self.send(draft_id).await
    }

    fn authorized(&self, mut request: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
        if let Some(value) = self.signin.and_then(|s| s.authorization()) {
            request = request.header("Authorization", &value);
        }
        request
    }

    /// After an edit the device kept: sent once typing has stopped a while.
    pub fn schedule(self, draft_id: String) {
        let delay = if self.store.status.get_untracked() == StorageStatus::Ok { rules::PUSH_AFTER_EDIT_MS } else { rules::PUSH_AFTER_EDIT_NO_STORAGE_MS };
        self.send_after(draft_id, delay);
    }

    fn send_after(self, draft_id: String, delay_ms: u32) {
        let timer = with_draft(&draft_id, |d| {
            d.timer += 1;
            d.timer
        });
        set_timeout(
            move || {
                if with_draft(&draft_id, |d| d.timer) == timer {
                    leptos::task::spawn_local(async move {
                        self.send(draft_id).await;
                    });
                }
            },
            std::time::Duration::from_millis(u64::from(delay_ms)),
        );
    }

    /// Sends now (Next, Cancel): a pending timer is folded in.
    pub fn send_now(self, draft_id: String) {
        with_draft(&draft_id, |d| d.timer += 1);
        leptos::task::spawn_local(async move {
            self.send(draft_id).await;
        });
    }

    /// Every device draft with edits the account lacks.
    pub fn send_all(self) {
        for draft in self.store.drafts() {
            if rules::push_for(&draft) != Push::Nothing {
                self.send_now(draft.working.id.clone());
            }
        }
    }

    /// Brings the account up to the device's copy. True when the account holds it.
    pub async fn send(self, draft_id: String) -> bool {
        if !self.can_send() {
            return false;
        }
        let Ok(Some(copy)) = self.store.load(&draft_id) else { return false };
        let push = rules::push_for(&copy);
        if push == Push::Nothing {
            return true;
        }
        if with_draft(&draft_id, |d| std::mem::replace(&mut d.in_flight, true)) {
            with_draft(&draft_id, |d| d.again = true);
            return false;
        }
        let mut request = self.authorized(Request::put(&self.url(&format!("/drafts/{draft_id}"))));
        request = match &push {
            Push::Update(version) => request.header("If-Match", &format!("\"{version}\"")),
            _ => request.header("If-None-Match", "*"),
        };
        let body = format!("{{\"draft\":{}}}", rules::account_document(&copy));
        let answer = match crate::net::send(request, Some(body), TIMEOUT_MS).await {
            Ok((status, text)) => rules::read_answer(Some(status), &text),
            Err(_) => rules::read_answer(None, ""),
        };
        let synced = self.settle(&draft_id, &copy, answer);
        let again = with_draft(&draft_id, |d| {
            d.in_flight = false;
            std::mem::take(&mut d.again)
        });
        if again {
            self.send_now(draft_id);
        }
        synced
    }

    /// Acts on a send's answer; true when the account now holds the device's copy.
    fn settle(&self, draft_id: &str, sent: &StoredDraft, answer: Answer) -> bool {
        match answer {
            Answer::Accepted { version } => {
                with_draft(draft_id, |d| d.retries = 0);
                let Ok(Some(current)) = self.store.load(draft_id) else { return true };
                let next = rules::after_accepted(&current, sent, &version);
                let synced = !next.unsent;
                self.store.save_synced(&next);
                if !synced {
                    with_draft(draft_id, |d| d.again = true);
                }
                synced
            }
            // The account already holds what was sent (an earlier send whose answer was lost
            // with its page): that is its version.
            Answer::Conflict(Some(current)) if current.draft.working.same_answers(&sent.working) && current.draft.saved == sent.saved => {
                self.settle(draft_id, sent, Answer::Accepted { version: current.version })
            }
            Answer::Conflict(current) => {
                self.compare(draft_id, current.map(|c| *c), true);
                false
            }
            Answer::SignedOut => {
                if let Some(signin) = self.signin {
                    signin.refused();
                }
                false
            }
            Answer::Retry => {
                let retry = with_draft(draft_id, |d| {
                    d.retries += 1;
                    d.retries
                });
                if let Some(delay) = onboarding_core::retry::backoff_delay_ms(retry - 1, js_sys::Math::random()) {
                    self.send_after(draft_id.to_string(), delay);
                }
                false
            }
            Answer::NotOffered => {
                self.offered.set_value(false);
                false
            }
            // Refused for good (too large, unreadable): the device keeps it; sending again
            // would be refused again.
            Answer::Deleted | Answer::Refused(_) => false,
        }
    }

    /// Opening a draft: the account's copy is fetched and compared with the device's.
    pub fn on_open(self, draft_id: String) {
        if !self.can_send() || with_draft(&draft_id, |d| std::mem::replace(&mut d.compared, true)) {
            return;
        }
        // A copy the account never had, or a draft begun here, has nothing to compare with
        // (and asking would only log a 404). A copy with unsent edits is sent: a stale one is
        // refused with the account's current copy, compared then (a GET answered after the
        // send could otherwise roll the device back).
        let device = self.store.load(&draft_id).ok().flatten();
        let never_sent = device.as_ref().is_some_and(|d| d.account_version.is_none());
        if never_sent || (device.is_none() && BEGUN_HERE.with(|b| b.borrow().contains(&draft_id))) {
            return;
        }
        if device.as_ref().is_some_and(|d| d.unsent) {
            self.send_now(draft_id);
            return;
        }
        let device_has_it = device.is_some();
        leptos::task::spawn_local(async move {
            // An address the device knows nothing of (a link, a bookmark) is looked up in the
            // account's list first: a draft that exists nowhere is no error worth a 404.
            if !device_has_it && !self.list().await.is_some_and(|list| list.iter().any(|d| d.draft_id == draft_id)) {
                return;
            }
            let request = self.authorized(Request::get(&self.url(&format!("/drafts/{draft_id}"))));
            let account = match crate::net::send(request, None, TIMEOUT_MS).await {
                Ok((status, text)) => rules::read_copy_answer(Some(status), &text),
                Err(_) => AccountHas::Unknown,
            };
            match account {
                AccountHas::Copy(copy) => self.compare(&draft_id, Some(*copy), false),
                AccountHas::Nothing => self.compare(&draft_id, None, false),
                AccountHas::Unknown => {
                    self.send(draft_id).await;
                }
            }
        });
    }

    /// Which copy stands. `refused`: the account turned a send down as stale (`412`).
    fn compare(&self, draft_id: &str, account: Option<AccountCopy>, refused: bool) {
        let device = self.store.load(draft_id).ok().flatten();
        let Some(account) = account else {
            // The account has none (any more): the device's copy is created there again.
            if let Some(device) = device {
                self.store.save_synced(&rules::kept_over(&device, None));
                self.send_now(draft_id.to_string());
            }
            return;
        };
        let decision = rules::on_open(device.as_ref(), Some(&account));
        match decision {
            // Another tab of this browser already brought the device up to the account.
            OnOpen::KeepDevice if refused => self.send_now(draft_id.to_string()),
            OnOpen::KeepDevice => {
                if device.as_ref().is_some_and(|d| rules::push_for(d) != Push::Nothing) {
                    self.send_now(draft_id.to_string());
                }
            }
            OnOpen::TakeAccount => {
                // Only while this page has no answers of its own waiting to be written.
                let open_here = self.active.current().filter(|w| w.draft_id.get_value() == draft_id);
                // A page opened on a draft the device lacks shows an empty form until the
                // account's copy arrives: nothing of its own unless the partner typed meanwhile.
                let typed_here = |w: &crate::wizard::Wizard| if device.is_some() { w.has_own_edits() } else { !w.snapshot().is_untouched() };
                if open_here.is_some_and(|w| typed_here(&w)) {
                    self.ask(draft_id, account);
                    return;
                }
                let waiting = device.as_ref().is_some_and(|d| d.submission_waiting);
                let replaced = device.as_ref().is_some_and(|d| !d.working.same_answers(&account.draft.working));
                self.store.save_synced(&rules::taken_from_account(&account, waiting));
                if open_here.is_some() {
                    self.active.reload(self.store);
                }
                if replaced {
                    self.updated_from_account.set(Some((draft_id.to_string(), account.updated_at.clone())));
                }
            }
            OnOpen::Choose => self.ask(draft_id, account),
        }
    }

    fn ask(&self, draft_id: &str, account: AccountCopy) {
        if let Some(w) = self.active.current().filter(|w| w.draft_id.get_value() == draft_id) {
            w.pause_saving(true);
        }
        self.conflict.set(Some(Conflict { draft_id: draft_id.to_string(), account }));
    }

    /// The partner keeps the device's version: it replaces the account's.
    pub fn keep_mine(self) {
        let Some(conflict) = self.conflict.get_untracked() else { return };
        self.conflict.set(None);
        if let Some(w) = self.active.current() {
            w.pause_saving(false);
            w.save_now();
        }
        if let Ok(Some(device)) = self.store.load(&conflict.draft_id) {
            self.store.save_synced(&rules::kept_over(&device, Some(&conflict.account)));
        }
        self.send_now(conflict.draft_id);
    }

    /// The partner takes the account's version: the device (and the page) show it.
    pub fn take_theirs(self) {
        let Some(conflict) = self.conflict.get_untracked() else { return };
        self.conflict.set(None);
        let waiting = self.store.load(&conflict.draft_id).ok().flatten().is_some_and(|d| d.submission_waiting);
        self.store.save_synced(&rules::taken_from_account(&conflict.account, waiting));
        if let Some(w) = self.active.current() {
            w.pause_saving(false);
        }
        self.active.reload(self.store);
        self.updated_from_account.set(Some((conflict.draft_id, conflict.account.updated_at)));
    }

    /// Leaving the page: the draft's unsent edits go with `keepalive`, which outlives the page
    /// (its answer is lost with it; the next visit finds the copy unsent and compares).
    pub fn send_on_leaving(&self, draft_id: &str) {
        if !self.can_send() {
            return;
        }
        let Ok(Some(copy)) = self.store.load(draft_id) else { return };
        let push = rules::push_for(&copy);
        let condition = match &push {
            Push::Nothing => return,
            Push::Create => ("If-None-Match", "*".to_string()),
            Push::Update(version) => ("If-Match", format!("\"{version}\"")),
        };
        let body = format!("{{\"draft\":{}}}", rules::account_document(&copy));
        self.keepalive("PUT", draft_id, (condition.0, condition.1), Some(body));
    }

    /// A request that outlives the page (its answer is not read).
    fn keepalive(&self, method: &str, draft_id: &str, condition: (&str, String), body: Option<String>) {
        // gloo-net has no `keepalive`: the request is made with the browser's own fetch.
        let Ok(headers) = web_sys::Headers::new() else { return };
        let _ = headers.set(condition.0, &condition.1);
        if body.is_some() {
            let _ = headers.set("Content-Type", "application/json");
        }
        if let Some(value) = self.signin.and_then(|s| s.authorization()) {
            let _ = headers.set("Authorization", &value);
        }
        let init = web_sys::RequestInit::new();
        init.set_method(method);
        // Not in web-sys' stable API: set on the plain object.
        let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
        init.set_headers(&headers);
        if let Some(body) = body {
            init.set_body(&wasm_bindgen::JsValue::from_str(&body));
        }
        // Settled quietly: nothing is left to act on the answer.
        let _ = dom::window().fetch_with_str_and_init(&self.url(&format!("/drafts/{draft_id}")), &init);
    }

    /// The account's drafts, for the start page; `None` when they cannot be listed.
    pub async fn list(self) -> Option<Vec<AccountListing>> {
        if !self.can_send() {
            return None;
        }
        let request = self.authorized(Request::get(&self.url("/drafts")));
        match crate::net::send(request, None, TIMEOUT_MS).await {
            Ok((status, text)) => rules::read_listing(status, &text),
            Err(_) => None,
        }
    }

    /// Deletes the account's copy (Delete, or Cancel of a draft never saved). Best effort: a
    /// copy left behind expires with `draft_ttl_days`.
    /// Sent with `keepalive`: Cancel and Delete may be followed at once by leaving the page.
    pub fn forget(self, draft_id: String, version: Option<String>) {
        if !self.can_send() {
            return;
        }
        let Some(version) = version else { return };
        self.keepalive("DELETE", &draft_id, ("If-Match", format!("\"{version}\"")), None);
    }
}

pub fn use_account_sync() -> Option<AccountSync> {
    use_context::<AccountSync>()
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = dom::window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// `2026-12-07T10:42:00Z` as the partner's clock shows it: `10:42`.
pub fn local_time(rfc3339: &str) -> String {
    let Some(ms) = onboarding_core::signin::parse_rfc3339_ms(rfc3339) else { return String::new() };
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}", date.get_hours(), date.get_minutes())
}

/// The account's copy of a draft the device does not have, written to `store` (an embedded
/// wizard asked by `init` to resume a draft begun elsewhere). Its step, or `None`.
pub async fn download(api_base_url: &str, signin: SignIn, store: DraftStore, draft_id: &str) -> Option<onboarding_core::StepId> {
    signin.signed_in_untracked().then_some(())?;
    let mut request = Request::get(&format!("{}/drafts/{draft_id}", api_base_url.trim_end_matches('/')));
    if let Some(value) = signin.authorization() {
        request = request.header("Authorization", &value);
    }
    let (status, text) = crate::net::send(request, None, TIMEOUT_MS).await.ok()?;
    let AccountHas::Copy(account) = rules::read_copy_answer(Some(status), &text) else { return None };
    store.save_synced(&rules::taken_from_account(&account, false));
    Some(account.draft.working.current_step)
}
