//! The iframe message protocol (contract): what the wizard tells its host page, what it accepts
//! from it, and which parents it accepts at all. Plain data; the browser shell posts it.

use serde::{Deserialize, Serialize};

use crate::signin::SessionToken;
use crate::{Draft, StepId};

pub const SOURCE: &str = "onboarding-wizard";
pub const VERSION: u32 = 1;
/// `onboarding.init`'s `draft_id` asking for a new onboarding, opened on its first step.
pub const NEW_DRAFT: &str = "new";

/// What a message about a draft may also say, so a host can name what it lists: the customer's
/// name (trimmed) and the step the draft is on. Both optional, left out of the JSON when unknown
/// (an unnamed draft has no `customer_name`); hosts must not require them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct About {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
}

impl About {
    /// A draft's name and current step.
    pub fn draft(draft: &Draft) -> About {
        About { customer_name: name(&draft.customer.name), step: Some(draft.current_step.slug().to_string()) }
    }

    /// Only a name (an accepted onboarding is on no step any more).
    pub fn named(customer_name: &str) -> About {
        About { customer_name: name(customer_name), step: None }
    }
}

/// The trimmed name, `None` when nothing is left.
fn name(raw: &str) -> Option<String> {
    Some(raw.trim()).filter(|n| !n.is_empty()).map(str::to_string)
}

/// Wizard → host. Serialised as `{"source": "onboarding-wizard", "version": 1, "type": …, …}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
pub enum Outgoing {
    #[serde(rename = "onboarding.ready")]
    Ready,
    /// `step` always; `customer_name` when the draft has one.
    #[serde(rename = "onboarding.step_changed")]
    StepChanged {
        step: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        customer_name: Option<String>,
    },
    #[serde(rename = "onboarding.resized")]
    Resized { height: u32 },
    #[serde(rename = "onboarding.draft_saved")]
    DraftSaved {
        draft_id: String,
        #[serde(flatten)]
        about: About,
    },
    #[serde(rename = "onboarding.saved_and_returned")]
    SavedAndReturned {
        draft_id: String,
        /// Whether the partner's account holds the draft as saved (else only this device does,
        /// and it is sent when the connection allows).
        synced: bool,
        #[serde(flatten)]
        about: About,
    },
    #[serde(rename = "onboarding.cancelled")]
    Cancelled {
        draft_id: String,
        #[serde(flatten)]
        about: About,
    },
    /// A fresh session is needed: the one in hand expires within a minute, or was refused.
    #[serde(rename = "onboarding.session_requested")]
    SessionRequested,
    #[serde(rename = "onboarding.completed")]
    Completed {
        draft_id: String,
        onboarding_id: String,
        #[serde(flatten)]
        about: About,
    },
}

impl Outgoing {
    /// `onboarding.step_changed` for a draft now on `step`.
    pub fn step_changed(step: StepId, customer_name: &str) -> Outgoing {
        Outgoing::StepChanged { step: step.slug().to_string(), customer_name: name(customer_name) }
    }
}

#[derive(Serialize)]
struct Envelope<'a> {
    source: &'static str,
    version: u32,
    #[serde(flatten)]
    message: &'a Outgoing,
}

/// The message as JSON text, envelope included.
pub fn encode(message: &Outgoing) -> String {
    serde_json::to_string(&Envelope { source: SOURCE, version: VERSION, message }).unwrap_or_default()
}

/// Host → wizard: `onboarding.init {role, locale, partner_id, draft_id?, session?}`. Other keys
/// are ignored, so an init carrying what the Host SDK adds (`prefill`, `appearance`) still
/// opens the wizard.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Init {
    pub role: Option<String>,
    pub locale: Option<String>,
    pub partner_id: Option<String>,
    /// A draft to resume, or [`NEW_DRAFT`].
    pub draft_id: Option<String>,
    /// Minted by the partner's server; with it, role and partner come from the session. A
    /// value that is not a plausible token counts as none (see [`Init::session`]), and one that
    /// is not even text leaves the init out as unreadable, like any other mistyped field.
    #[serde(rename = "session")]
    pub session_text: Option<String>,
}
/// What an init asks the wizard to open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Opens {
    /// What the frame's own address shows (the start page, for the usual `/`): no `draft_id`,
    /// or one that is neither a draft id nor `"new"`.
    FrameAddress,
    /// The first step of a new onboarding.
    NewDraft,
    /// This draft (a UUID in its canonical spelling), where it was left.
    Draft(String),
}

/// Written by hand so that no `{:?}` (a log line, a panic message) can carry the session.
impl std::fmt::Debug for Init {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Init")
            .field("role", &self.role)
            .field("locale", &self.locale)
            .field("partner_id", &self.partner_id)
            .field("draft_id", &self.draft_id)
            .field("session", &self.session_text.as_ref().map(|_| "…"))
            .finish()
    }
}

impl Init {
    /// The init's session, if it is a plausible token.
    pub fn session(&self) -> Option<SessionToken> {
        self.session_text.as_deref().and_then(SessionToken::new)
    }

    pub fn opens(&self) -> Opens {
        match self.draft_id.as_deref() {
            Some(NEW_DRAFT) => Opens::NewDraft,
            // Only the canonical spelling, as the wizard's routes accept.
            Some(id) if uuid::Uuid::try_parse(id).map(|u| u.hyphenated().to_string()).as_deref() == Ok(id) => {
                Opens::Draft(id.to_string())
            }
            _ => Opens::FrameAddress,
        }
    }
}

/// Reads a message's JSON; `None` for anything that is not an `onboarding.init` (other
/// messages on the page, other versions' shapes, garbage).
pub fn parse_init(json: &str) -> Option<Init> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    if value.get("type")?.as_str()? != "onboarding.init" {
        return None;
    }
    serde_json::from_value(value).ok()
}

/// Reads `onboarding.session {session}`, the host's answer to `onboarding.session_requested`.
pub fn parse_session_message(json: &str) -> Option<SessionToken> {
    let value: serde_json::Value = serde_json::from_str(json).ok()?;
    if value.get("type")?.as_str()? != "onboarding.session" {
        return None;
    }
    SessionToken::new(value.get("session")?.as_str()?)
}

/// A parent is accepted only if its origin is listed exactly. Opaque origins (`null`, from
/// sandboxed frames or `data:` pages) never are.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    origin != "null" && !origin.is_empty() && allowed.iter().any(|a| a == origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_the_envelope_and_the_spec_names() {
        let v: serde_json::Value =
            serde_json::from_str(&encode(&Outgoing::Completed { draft_id: "d".into(), onboarding_id: "o".into(), about: About::default() })).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"source": "onboarding-wizard", "version": 1, "type": "onboarding.completed", "draft_id": "d", "onboarding_id": "o"})
        );
        let ready: serde_json::Value = serde_json::from_str(&encode(&Outgoing::Ready)).unwrap();
        assert_eq!(ready, serde_json::json!({"source": "onboarding-wizard", "version": 1, "type": "onboarding.ready"}));
        let resized: serde_json::Value = serde_json::from_str(&encode(&Outgoing::Resized { height: 812 })).unwrap();
        assert_eq!(resized["type"], "onboarding.resized");
        assert_eq!(resized["height"], 812);
    }

    fn json(message: &Outgoing) -> serde_json::Value {
        serde_json::from_str(&encode(message)).unwrap()
    }

    fn draft(name: &str, step: StepId) -> Draft {
        let mut d = Draft::new("5f0c8c5e-2c4b-4d7e-9a51-0e2f3b4c5d6e", Some("p-1".into()));
        d.customer.name = name.into();
        d.current_step = step;
        d
    }

    #[test]
    fn messages_about_a_draft_name_it_when_known() {
        let id = "5f0c8c5e-2c4b-4d7e-9a51-0e2f3b4c5d6e".to_string();
        let about = About::draft(&draft("  Ferretería Luna \n", StepId::Gateway));
        assert_eq!(about, About { customer_name: Some("Ferretería Luna".into()), step: Some("gateway".into()) });
        let base = serde_json::json!({"source": "onboarding-wizard", "version": 1, "draft_id": id, "customer_name": "Ferretería Luna", "step": "gateway"});
        for (message, kind) in [
            (Outgoing::DraftSaved { draft_id: id.clone(), about: about.clone() }, "onboarding.draft_saved"),
            (Outgoing::SavedAndReturned { draft_id: id.clone(), synced: false, about: about.clone() }, "onboarding.saved_and_returned"),
            (Outgoing::Cancelled { draft_id: id.clone(), about: about.clone() }, "onboarding.cancelled"),
        ] {
            let mut want = base.clone();
            want["type"] = kind.into();
            if kind == "onboarding.saved_and_returned" {
                want["synced"] = false.into();
            }
            assert_eq!(json(&message), want, "{kind}");
        }
        let completed = Outgoing::Completed { draft_id: id.clone(), onboarding_id: "o".into(), about: About::named(" Luna ") };
        assert_eq!(
            json(&completed),
            serde_json::json!({"source": "onboarding-wizard", "version": 1, "type": "onboarding.completed", "draft_id": id, "onboarding_id": "o", "customer_name": "Luna"})
        );
        assert_eq!(
            json(&Outgoing::step_changed(StepId::Pbx, "Luna")),
            serde_json::json!({"source": "onboarding-wizard", "version": 1, "type": "onboarding.step_changed", "step": "pbx", "customer_name": "Luna"})
        );
    }

    #[test]
    fn unknown_names_and_steps_are_left_out_not_sent_empty() {
        let id = "5f0c8c5e-2c4b-4d7e-9a51-0e2f3b4c5d6e".to_string();
        // A draft nobody has named yet: the step, no customer_name key at all.
        let unnamed = json(&Outgoing::DraftSaved { draft_id: id.clone(), about: About::draft(&draft(" \t ", StepId::Customer)) });
        assert_eq!(
            unnamed,
            serde_json::json!({"source": "onboarding-wizard", "version": 1, "type": "onboarding.draft_saved", "draft_id": id, "step": "customer"})
        );
        // Nothing known: the message is exactly the one older wizards sent.
        assert_eq!(
            json(&Outgoing::Cancelled { draft_id: id.clone(), about: About::default() }),
            serde_json::json!({"source": "onboarding-wizard", "version": 1, "type": "onboarding.cancelled", "draft_id": id})
        );
        assert_eq!(
            json(&Outgoing::step_changed(StepId::Customer, "")),
            serde_json::json!({"source": "onboarding-wizard", "version": 1, "type": "onboarding.step_changed", "step": "customer"})
        );
        assert_eq!(About::named("   "), About::default());
    }

    #[test]
    fn init_opens_a_new_draft_a_given_draft_or_the_start_page() {
        let with = |draft_id: Option<&str>| Init { draft_id: draft_id.map(str::to_string), ..Init::default() }.opens();
        assert_eq!(with(Some("new")), Opens::NewDraft);
        let id = "5f0c8c5e-2c4b-4d7e-9a51-0e2f3b4c5d6e";
        assert_eq!(with(Some(id)), Opens::Draft(id.into()));
        assert_eq!(with(None), Opens::FrameAddress);
        // Not a draft id as the wizard spells them: the frame's address, never a made-up draft.
        for other in ["", "NEW", "New", " new", "new/customer", "5F0C8C5E-2C4B-4D7E-9A51-0E2F3B4C5D6E", "5f0c8c5e2c4b4d7e9a510e2f3b4c5d6e", "../x"] {
            assert_eq!(with(Some(other)), Opens::FrameAddress, "{other:?}");
        }
        let parsed = parse_init(r#"{"source":"partner-dashboard","version":1,"type":"onboarding.init","partner_id":"p-1","draft_id":"new"}"#).unwrap();
        assert_eq!(parsed.opens(), Opens::NewDraft);
    }

    #[test]
    fn init_with_fields_of_later_versions_still_parses() {
        // The session (Partners and sessions) is read; prefill and appearance (Host SDK), and
        // anything else a newer host sends, are ignored for now and never refuse the init.
        let init = parse_init(
            r##"{"source":"partner-dashboard","version":1,"type":"onboarding.init","role":"partner","locale":"es",
                "partner_id":"p-1","draft_id":"new","session":"sess_abc.def",
                "prefill":{"customer":{"name":"Luna"},"admin_contacts":[{"name":"Ana"}],"unknown":[1,2]},
                "appearance":{"colorPrimary":"#0b4f8a","borderRadius":4},"something_newer":null}"##,
        );
        assert_eq!(
            init,
            Some(Init {
                role: Some("partner".into()),
                locale: Some("es".into()),
                partner_id: Some("p-1".into()),
                draft_id: Some("new".into()),
                session_text: Some("sess_abc.def".into())
            })
        );
        assert_eq!(init.unwrap().session(), SessionToken::new("sess_abc.def"));
        // The same with only the new fields: the defaults; a blank session is none.
        let blank = parse_init(r#"{"type":"onboarding.init","session":" ","prefill":[],"appearance":"x"}"#).unwrap();
        assert_eq!((blank.session(), blank.role), (None, None));
    }

    #[test]
    fn an_init_never_shows_its_session_in_debug_output() {
        let init = parse_init(r#"{"type":"onboarding.init","session":"onb_ses1.secret.sig"}"#).unwrap();
        assert!(!format!("{init:?}").contains("secret"), "{init:?}");
    }

    #[test]
    fn session_messages_carry_a_token_and_requests_carry_none() {
        let fresh = parse_session_message(r#"{"source":"partner-dashboard","version":1,"type":"onboarding.session","session":"onb_ses1.a.b"}"#);
        assert_eq!(fresh, SessionToken::new("onb_ses1.a.b"));
        for other in [r#"{"type":"onboarding.session"}"#, r#"{"type":"onboarding.session","session":""}"#, r#"{"type":"onboarding.init","session":"x"}"#, "[]"] {
            assert_eq!(parse_session_message(other), None, "{other}");
        }
        assert_eq!(
            json(&Outgoing::SessionRequested),
            serde_json::json!({"source": "onboarding-wizard", "version": 1, "type": "onboarding.session_requested"})
        );
    }

    #[test]
    fn only_init_messages_are_read() {
        let init = parse_init(r#"{"source":"partner-dashboard","version":1,"type":"onboarding.init","role":"partner","locale":"es","partner_id":"p-1","draft_id":"x"}"#);
        assert_eq!(
            init,
            Some(Init { role: Some("partner".into()), locale: Some("es".into()), partner_id: Some("p-1".into()), draft_id: Some("x".into()), session_text: None })
        );
        assert_eq!(parse_init(r#"{"type":"onboarding.init"}"#), Some(Init::default()));
        assert_eq!(parse_init(r#"{"type":"onboarding.ready"}"#), None);
        assert_eq!(parse_init(r#"{"type":"onboarding.init","role":5}"#), None);
        assert_eq!(parse_init("not json"), None);
        assert_eq!(parse_init("\"onboarding.init\""), None);
    }

    #[test]
    fn parents_are_matched_exactly() {
        let allowed = vec!["https://dash.example.com".to_string(), "http://127.0.0.1:8081".to_string()];
        assert!(origin_allowed("https://dash.example.com", &allowed));
        assert!(origin_allowed("http://127.0.0.1:8081", &allowed));
        for o in ["https://dash.example.com.evil.test", "http://dash.example.com", "http://localhost:8081", "null", "", "https://DASH.example.com"] {
            assert!(!origin_allowed(o, &allowed), "{o}");
        }
        assert!(!origin_allowed("null", &["null".to_string()]));
    }
}
