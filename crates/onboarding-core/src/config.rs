//! Runtime configuration (contract): `config.json` served beside `index.html`. Missing keys take
//! the defaults below; the browser shows a malformed file as an error and uses the defaults.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub api_base_url: String,
    pub dashboard_url: String,
    pub allowed_parent_origins: Vec<String>,
    pub draft_ttl_days: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_base_url: "/api".into(),
            dashboard_url: "/".into(),
            allowed_parent_origins: Vec::new(),
            draft_ttl_days: 30,
        }
    }
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_keys_fall_back_to_defaults() {
        let c = Config::parse(r#"{"dashboard_url": "https://partner.example/dash"}"#).unwrap();
        assert_eq!(c.dashboard_url, "https://partner.example/dash");
        assert_eq!(c.api_base_url, "/api");
        assert_eq!(c.draft_ttl_days, 30);
        assert_eq!(Config::parse("{}").unwrap(), Config::default());
    }

    #[test]
    fn malformed_files_are_errors() {
        assert!(Config::parse("{").is_err());
        assert!(Config::parse(r#"{"draft_ttl_days": "thirty"}"#).is_err());
    }
}
