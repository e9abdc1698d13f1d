//! Who is signed in (contract: Partners and sessions), kept current: `GET {api}/session` at
//! start, a fresh session asked of the host a minute before expiry (embedded), and another
//! check when a request is refused or the partner may have signed in elsewhere (standalone,
//! whose session is the backend's `HttpOnly` cookie, out of the page's reach).
//!
//! An embedded session token lives in this module's memory only: never in storage, a URL or a
//! message. The rules (what an answer means, when to renew) are in `onboarding_core::signin`.

use leptos::prelude::*;
use onboarding_core::embed::Outgoing;
use onboarding_core::signin::{read_session_answer, renew_in_ms, SessionCheck, SessionToken, SignedIn};

use crate::dom;
use crate::embed::Embed;

/// Long enough for a slow backend; the start page waits for this at most.
const CHECK_TIMEOUT_MS: i32 = 5_000;
/// How often a page whose submission waits for a sign-in looks again (standalone).
const SIGNED_OUT_POLL_MS: u64 = 4_000;
/// A host is asked for a fresh session at most this often.
const REQUEST_INTERVAL_MS: f64 = 5_000.0;
/// Standalone, the session is looked at again at its expiry, but never sooner than this: a
/// clock ahead of the server's must not turn the check into a loop.
const MIN_RECHECK_MS: i64 = 30_000;
/// Not a secret: which partner's drafts to show when the session cannot be checked (offline)
/// or has ended, so nothing the partner typed drops out of view.
const LAST_PARTNER_KEY: &str = "onboarding-wizard:signed-in-partner";

#[derive(Clone, Debug, PartialEq)]
pub enum SignInState {
    Checking,
    SignedIn(SignedIn),
    /// Embedded: the session was refused (it expired) and the host has been asked for a fresh
    /// one; nothing is sent meanwhile. Who it was stays shown.
    Renewing(SignedIn),
    SignedOut,
    /// The backend has no sessions: role and partner from the address or the host, as ever.
    NotOffered,
    /// Could not be checked (offline, backend down).
    Unknown,
}

#[derive(Clone, Copy)]
pub struct SignIn {
    pub state: RwSignal<SignInState>,
    token: StoredValue<Option<SessionToken>>,
    api_base_url: StoredValue<String>,
    embed: StoredValue<Option<Embed>>,
    last_request: StoredValue<f64>,
    /// Bumped by every check, so the timer of an older one does nothing.
    generation: StoredValue<u64>,
    /// Set while a submission waits for a session: a signed-out standalone page looks again.
    pub wanted: RwSignal<bool>,
}

impl SignIn {
    pub fn new(api_base_url: String, token: Option<SessionToken>, embed: Option<Embed>) -> SignIn {
        SignIn {
            state: RwSignal::new(SignInState::Checking),
            token: StoredValue::new(token),
            api_base_url: StoredValue::new(api_base_url),
            embed: StoredValue::new(embed),
            last_request: StoredValue::new(f64::NEG_INFINITY),
            generation: StoredValue::new(0),
            wanted: RwSignal::new(false),
        }
    }

    /// Whether the session is good for sending (reactive).
    pub fn signed_in(&self) -> Option<SignedIn> {
        match self.state.get() {
            SignInState::SignedIn(s) => Some(s),
            _ => None,
        }
    }

    /// Who the header names: the session's partner, also while it is being renewed.
    pub fn partner_shown(&self) -> Option<SignedIn> {
        match self.state.get() {
            SignInState::SignedIn(s) | SignInState::Renewing(s) => Some(s),
            _ => None,
        }
    }

    pub fn signed_in_untracked(&self) -> bool {
        matches!(self.state.get_untracked(), SignInState::SignedIn(_))
    }

    /// True when a request now would be refused for want of a session: signed out, or waiting
    /// for the host's fresh one.
    pub fn lacks_session(&self) -> bool {
        matches!(self.state.get_untracked(), SignInState::SignedOut | SignInState::Renewing(_))
    }

    fn is_signed_out(&self) -> bool {
        self.state.get_untracked() == SignInState::SignedOut
    }

    /// `Authorization`'s value for an API request: the embedded session; `None` standalone,
    /// where the browser sends the cookie.
    pub fn authorization(&self) -> Option<String> {
        self.token.with_value(|t| t.as_ref().map(SessionToken::bearer))
    }

    /// Asks the backend who the session is, and acts on the answer (timers, the remembered
    /// partner). A failed check keeps what was known.
    pub async fn check(self) {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        let check = if dom::is_online() { self.ask().await } else { SessionCheck::Unknown };
        if self.generation.try_get_value() != Some(generation) {
            return;
        }
        let next = match check {
            SessionCheck::SignedIn(who) => {
                remember_partner(&who.partner_id);
                if let Some(expires_at) = who.expires_at_ms {
                    self.renew_before(expires_at, generation);
                }
                SignInState::SignedIn(who)
            }
            SessionCheck::SignedOut => {
                // Embedded, the host's session was refused (expired on the way): ask for another.
                self.request_fresh();
                SignInState::SignedOut
            }
            SessionCheck::NotOffered => SignInState::NotOffered,
            SessionCheck::Unknown => match self.state.get_untracked() {
                SignInState::Checking => SignInState::Unknown,
                known => known,
            },
        };
        self.state.set(next);
    }

    async fn ask(&self) -> SessionCheck {
        let url = format!("{}/session", self.api_base_url.get_value().trim_end_matches('/'));
        let mut request = gloo_net::http::Request::get(&url);
        if let Some(value) = self.authorization() {
            request = request.header("Authorization", &value);
        }
        match crate::net::send(request, None, CHECK_TIMEOUT_MS).await {
            Ok((status, body)) => read_session_answer(status, &body),
            Err(_) => SessionCheck::Unknown,
        }
    }

    /// Embedded, the host is asked for a fresh session a minute before this one expires;
    /// standalone (the cookie cannot be renewed from the page), the page looks again at expiry
    /// so that it says so before a submission is refused.
    fn renew_before(self, expires_at_ms: i64, generation: u64) {
        let now = dom::now_ms() as i64;
        let delay = if self.is_embedded() { renew_in_ms(expires_at_ms, now) } else { (expires_at_ms - now).max(MIN_RECHECK_MS) };
        // Timers take at most about 24 days; no session lives that long.
        let delay = u64::try_from(delay).unwrap_or(0).min(i32::MAX as u64);
        set_timeout(
            move || {
                if self.generation.try_get_value() != Some(generation) {
                    return;
                }
                if self.is_embedded() {
                    self.request_fresh();
                } else {
                    leptos::task::spawn_local(self.check());
                }
            },
            std::time::Duration::from_millis(delay),
        );
    }

    fn is_embedded(&self) -> bool {
        self.embed.with_value(Option::is_some)
    }

    /// Embedded: `onboarding.session_requested` (at most every few seconds); editing goes on.
    pub fn request_fresh(&self) {
        let Some(embed) = self.embed.get_value() else { return };
        let now = dom::now_ms();
        if now - self.last_request.get_value() < REQUEST_INTERVAL_MS {
            return;
        }
        self.last_request.set_value(now);
        embed.post(Outgoing::SessionRequested);
    }

    /// A request was refused for want of a session: embedded, the host is asked for one;
    /// standalone, the page says it is signed out and looks again while a submission waits.
    pub fn refused(self) {
        self.generation.set_value(self.generation.get_value() + 1);
        if self.is_embedded() {
            let renewing = match self.state.get_untracked() {
                SignInState::SignedIn(who) | SignInState::Renewing(who) => SignInState::Renewing(who),
                _ => SignInState::SignedOut,
            };
            self.state.set(renewing);
            self.request_fresh();
        } else {
            self.state.set(SignInState::SignedOut);
        }
    }

    /// The host's `onboarding.session`: used from now on, once the backend confirms it.
    pub fn accept(self, token: SessionToken) {
        self.token.set_value(Some(token));
        leptos::task::spawn_local(self.check());
    }

    /// Standalone and signed out: look again while a submission waits (every few seconds) and
    /// whenever the page comes back into view, since the partner may have signed in through a
    /// link in another tab.
    pub fn watch_for_sign_in(self) {
        let look = move || {
            if self.is_embedded() {
                // The host is asked again (throttled) while something waits for a session.
                if self.lacks_session() && self.wanted.get_untracked() {
                    self.request_fresh();
                }
            } else if self.is_signed_out() || self.state.get_untracked() == SignInState::Unknown {
                leptos::task::spawn_local(self.check());
            }
        };
        let online = window_event_listener_untyped("online", move |_| look());
        std::mem::forget(online);
        // Both live as long as the page.
        let _ = set_interval_with_handle(
            move || {
                if self.wanted.get_untracked() && dom::document().visibility_state() == web_sys::VisibilityState::Visible {
                    look();
                }
            },
            std::time::Duration::from_millis(SIGNED_OUT_POLL_MS),
        );
        let focus = window_event_listener(leptos::ev::focus, move |_| look());
        std::mem::forget(focus);
    }
}

pub fn use_signin() -> Option<SignIn> {
    use_context::<SignIn>()
}

fn remember_partner(partner_id: &str) {
    if let Some(storage) = dom::window().local_storage().ok().flatten() {
        let _ = storage.set_item(LAST_PARTNER_KEY, partner_id);
    }
}

/// The partner last signed in on this device, if any.
pub fn last_partner() -> Option<String> {
    dom::window().local_storage().ok().flatten()?.get_item(LAST_PARTNER_KEY).ok().flatten().filter(|p| !p.is_empty())
}
