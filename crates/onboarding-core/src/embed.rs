//! The iframe message protocol (contract): what the wizard tells its host page, what it accepts
//! from it, and which parents it accepts at all. Plain data; the browser shell posts it.

use serde::{Deserialize, Serialize};

pub const SOURCE: &str = "onboarding-wizard";
pub const VERSION: u32 = 1;

/// Wizard → host. Serialised as `{"source": "onboarding-wizard", "version": 1, "type": …, …}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type")]
pub enum Outgoing {
    #[serde(rename = "onboarding.ready")]
    Ready,
    #[serde(rename = "onboarding.step_changed")]
    StepChanged { step: String },
    #[serde(rename = "onboarding.resized")]
    Resized { height: u32 },
    #[serde(rename = "onboarding.draft_saved")]
    DraftSaved { draft_id: String },
    #[serde(rename = "onboarding.saved_and_returned")]
    SavedAndReturned { draft_id: String },
    #[serde(rename = "onboarding.cancelled")]
    Cancelled { draft_id: String },
    #[serde(rename = "onboarding.completed")]
    Completed { draft_id: String, onboarding_id: String },
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

/// Host → wizard: `onboarding.init {role, locale, partner_id, draft_id?}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Init {
    pub role: Option<String>,
    pub locale: Option<String>,
    pub partner_id: Option<String>,
    pub draft_id: Option<String>,
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
            serde_json::from_str(&encode(&Outgoing::Completed { draft_id: "d".into(), onboarding_id: "o".into() })).unwrap();
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

    #[test]
    fn only_init_messages_are_read() {
        let init = parse_init(r#"{"source":"partner-dashboard","version":1,"type":"onboarding.init","role":"partner","locale":"es","partner_id":"p-1","draft_id":"x"}"#);
        assert_eq!(
            init,
            Some(Init { role: Some("partner".into()), locale: Some("es".into()), partner_id: Some("p-1".into()), draft_id: Some("x".into()) })
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
