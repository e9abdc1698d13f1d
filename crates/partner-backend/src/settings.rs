//! What the backend takes from `<static>/config.json`, the same file the browser reads, so the
//! API is mounted where the app will call it and framing is allowed exactly where the app
//! accepts its parent.

use std::path::Path;

use onboarding_core::config::Config;

use crate::StartupError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// `api_base_url` as configured (used for `Location` headers).
    pub api_base_url: String,
    /// The path the API is mounted at, without a trailing slash (`""` for the root).
    pub api_path: String,
    /// The origin of an absolute `api_base_url`, which the CSP must let the app connect to.
    pub api_origin: Option<String>,
    pub allowed_parent_origins: Vec<String>,
    /// Where a partner goes back to, e.g. from a sign-in link that is no longer valid.
    pub dashboard_url: String,
    /// Account drafts not written for longer than this are removed (`crate::drafts`), as the
    /// device removes its own copies after the same time.
    pub draft_ttl_days: u32,
}

impl Settings {
    /// A missing `config.json` means the defaults, as in the browser. A malformed one stops the
    /// server: the browser would fall back to defaults too, but serving an API at a guessed
    /// path with guessed framing rules hides a deployment mistake.
    pub fn load(static_dir: &Path) -> Result<Settings, StartupError> {
        Settings::read(&static_dir.join("config.json"), false)
    }

    /// The file given with `--config`: named on purpose, so a missing one is an error too.
    pub fn load_file(path: &Path) -> Result<Settings, StartupError> {
        Settings::read(path, true)
    }

    fn read(path: &Path, required: bool) -> Result<Settings, StartupError> {
        let config = match std::fs::read_to_string(path) {
            Ok(text) => Config::parse(&text)
                .map_err(|e| StartupError(format!("{} is malformed: {e}", path.display())))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Config::default(),
            Err(e) => return Err(StartupError(format!("cannot read {}: {e}", path.display()))),
        };
        Settings::from_config(&config)
    }

    pub fn from_config(config: &Config) -> Result<Settings, StartupError> {
        let (api_origin, api_path) = split_api_base(&config.api_base_url)?;
        for origin in &config.allowed_parent_origins {
            check_origin(origin)?;
        }
        Ok(Settings {
            api_base_url: config.api_base_url.trim_end_matches('/').to_string(),
            api_path,
            api_origin,
            allowed_parent_origins: config.allowed_parent_origins.clone(),
            dashboard_url: config.dashboard_url.clone(),
            draft_ttl_days: config.draft_ttl_days,
        })
    }
}

/// `"/api"` → (None, "/api"); `"https://api.example/v1/"` → (Some("https://api.example"), "/v1").
/// A relative path without a leading slash would resolve against each app route in the browser,
/// so it is refused.
fn split_api_base(url: &str) -> Result<(Option<String>, String), StartupError> {
    let (origin, path) = if url.starts_with('/') {
        (None, url)
    } else if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        let scheme_len = url.len() - rest.len();
        let end = rest.find('/').map_or(url.len(), |i| scheme_len + i);
        let origin = &url[..end];
        check_origin(origin)?;
        (Some(origin.to_string()), &url[end..])
    } else {
        return Err(StartupError(format!(
            "config.json: api_base_url {url:?} must be a path starting with / or an http(s) URL"
        )));
    };
    if path.contains(['?', '#', '{', '}', '*', ' ']) {
        return Err(StartupError(format!(
            "config.json: api_base_url {url:?} must be a plain path"
        )));
    }
    Ok((origin, path.trim_end_matches('/').to_string()))
}

/// An origin as browsers serialise it (`https://host[:port]`): anything else could never match
/// a parent page, and a stray `;` or space would break the CSP header it is written into.
fn check_origin(origin: &str) -> Result<(), StartupError> {
    if is_origin(origin) {
        Ok(())
    } else {
        Err(StartupError(format!(
            "config.json: {origin:?} is not an origin like https://partner.example or http://localhost:8080"
        )))
    }
}

/// True for `http(s)://host[:port]` with nothing after it.
pub fn is_origin(origin: &str) -> bool {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    rest.is_some_and(|host_port| {
        // An IPv6 literal is bracketed and full of colons: split the port off after `]`.
        let split_at = match host_port.find(']') {
            Some(end) if host_port.starts_with('[') => host_port[end..].find(':').map(|i| end + i),
            Some(_) => return false,
            None => host_port.find(':'),
        };
        let (host, port) = match split_at {
            Some(i) => (&host_port[..i], Some(&host_port[i + 1..])),
            None => (host_port, None),
        };
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'));
        let port_ok = port.is_none_or(|p| p.parse::<u16>().is_ok());
        host_ok && port_ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(api: &str, origins: &[&str]) -> Config {
        Config {
            api_base_url: api.into(),
            allowed_parent_origins: origins.iter().map(|o| o.to_string()).collect(),
            ..Config::default()
        }
    }

    #[test]
    fn relative_api_base_is_a_mount_path() {
        let s = Settings::from_config(&config("/api/", &[])).unwrap();
        assert_eq!((s.api_origin, s.api_path.as_str()), (None, "/api"));
        let root = Settings::from_config(&config("/", &[])).unwrap();
        assert_eq!(root.api_path, "");
    }

    #[test]
    fn absolute_api_base_gives_an_origin_for_the_csp() {
        let s = Settings::from_config(&config("https://api.partner.example:8443/v1", &[])).unwrap();
        assert_eq!(
            s.api_origin.as_deref(),
            Some("https://api.partner.example:8443")
        );
        assert_eq!(s.api_path, "/v1");
        let bare = Settings::from_config(&config("http://localhost:9000", &[])).unwrap();
        assert_eq!(bare.api_origin.as_deref(), Some("http://localhost:9000"));
        assert_eq!(bare.api_path, "");
    }

    #[test]
    fn unusable_values_stop_the_server() {
        assert!(Settings::from_config(&config("api", &[])).is_err());
        assert!(Settings::from_config(&config("/api?x", &[])).is_err());
        for bad in [
            "*",
            "partner.example",
            "https://a.example/",
            "https://a b",
            "https://a.example;x",
            "https://a.example:99999",
        ] {
            assert!(
                Settings::from_config(&config("/api", &[bad])).is_err(),
                "{bad}"
            );
        }
        for good in [
            "https://a.example",
            "http://localhost:8080",
            "http://[::1]:3000",
        ] {
            assert!(
                Settings::from_config(&config("/api", &[good])).is_ok(),
                "{good}"
            );
        }
    }

    #[test]
    fn missing_file_means_defaults_and_malformed_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings::load(dir.path()).unwrap();
        assert_eq!(s.api_path, "/api");
        std::fs::write(dir.path().join("config.json"), "{").unwrap();
        assert!(Settings::load(dir.path()).is_err());
    }

    #[test]
    fn a_named_config_file_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deploy.json");
        let missing = Settings::load_file(&path).expect_err("missing --config file");
        assert!(missing.to_string().contains("deploy.json"), "{missing}");
        std::fs::write(&path, r#"{"api_base_url": "/v2"}"#).unwrap();
        assert_eq!(Settings::load_file(&path).unwrap().api_path, "/v2");
    }
}
