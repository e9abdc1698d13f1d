//! A real server on a loopback port with a temporary database and static directory, an HTTP
//! client, and valid submissions built the way the wizard builds them.
#![allow(dead_code)] // each test file uses its own share of these helpers

use std::path::{Path, PathBuf};
use std::time::Duration;

use onboarding_core::payload::Submission;
use onboarding_core::{AdminContact, Draft, SupportContact, SupportRole};
use partner_backend::{Db, Limits};
use serde_json::Value;
use tempfile::TempDir;

/// The loader Trunk writes into `index.html`; its hash must appear in the CSP.
pub const INLINE_SCRIPT: &str =
    "\nimport init from '/app-1234.js';\nawait init({ module_or_path: '/app-1234_bg.wasm' });\n";

pub fn index_html(script: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Partner onboarding</title>\n\
         <script type=\"module\">{script}</script>\n\
         <link rel=\"modulepreload\" href=\"/app-1234.js\"></head><body></body></html>\n"
    )
}

pub struct Server {
    pub base: String,
    pub dir: TempDir,
    pub db_path: PathBuf,
    /// The secret key of [`PARTNER`], which every server has: the helpers that send API
    /// requests ([`Server::submit`], [`Server::get`], …) authenticate with it.
    pub key: String,
}

/// The partner every test server knows, named as [`pbx_draft`] names it, so that a
/// submission built from it is this partner's own.
pub const PARTNER: &str = "partner-42";

/// Adds partner `id` to the database directly (faster than the CLI, for servers started by the
/// hundred) and returns its secret key.
pub fn add_partner_to(db: &Db, id: &str) -> String {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(add_partner_async(db, id))
}

/// [`add_partner_to`] from async code (a test already inside a runtime).
pub async fn add_partner_async(db: &Db, id: &str) -> String {
    let (key, hash) = partner_backend::auth::new_secret_key();
    let added = db
        .add_partner(
            id.into(),
            id.into(),
            hash,
            partner_backend::auth::new_key_generation(),
        )
        .await
        .unwrap();
    assert!(added, "partner {id} already exists");
    key
}

/// `Authorization: Bearer <credential>`.
pub fn bearer(credential: &str) -> String {
    format!("Bearer {credential}")
}

impl Server {
    /// A server whose static directory holds `config.json` with `config` (none if `None`).
    pub fn start(config: Option<&str>) -> Server {
        Server::start_with(config, Limits::default(), partner_backend::db::BUSY_TIMEOUT)
    }

    /// [`Server::start`] with other limits and database busy timeout.
    pub fn start_with(config: Option<&str>, limits: Limits, busy_timeout: Duration) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let static_dir = dir.path().join("dist");
        std::fs::create_dir(&static_dir).unwrap();
        std::fs::write(static_dir.join("index.html"), index_html(INLINE_SCRIPT)).unwrap();
        std::fs::write(
            static_dir.join("app-1234.js"),
            "export default function init() {}\n",
        )
        .unwrap();
        if let Some(config) = config {
            std::fs::write(static_dir.join("config.json"), config).unwrap();
        }
        let db_path = dir.path().join("data/onboarding.db");
        let db = Db::open_with_busy_timeout(&db_path, busy_timeout).unwrap();
        let key = add_partner_to(&db, PARTNER);
        let app = partner_backend::app_with_limits(&static_dir, None, db, limits).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        serve_in_background(listener, app);
        Server {
            base,
            dir,
            db_path,
            key,
        }
    }

    pub fn static_dir(&self) -> PathBuf {
        self.dir.path().join("dist")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A GET as [`PARTNER`] (the credential is harmless on the app's own files).
    pub fn get(&self, path: &str) -> Reply {
        self.get_as(Some(&self.key), path)
    }

    /// A GET with `credential` (a secret key or session) as a bearer, or with none.
    pub fn get_as(&self, credential: Option<&str>, path: &str) -> Reply {
        let mut request = agent().get(self.url(path));
        if let Some(credential) = credential {
            request = request.header("Authorization", &bearer(credential));
        }
        Reply::from(request.call().unwrap())
    }

    /// `POST /api/onboardings` as the wizard sends it for [`PARTNER`], with `key` as the
    /// `Idempotency-Key`.
    pub fn submit(&self, key: &str, body: &str) -> Reply {
        self.post(
            "/api/onboardings",
            Some("application/json"),
            Some(key),
            body,
        )
    }

    /// [`Server::submit`] with `credential` as a bearer, or with none.
    pub fn submit_as(&self, credential: Option<&str>, key: &str, body: &str) -> Reply {
        let mut headers = vec![
            ("Content-Type", "application/json".to_string()),
            ("Idempotency-Key", key.to_string()),
        ];
        if let Some(credential) = credential {
            headers.push(("Authorization", bearer(credential)));
        }
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.send("POST", "/api/onboardings", &headers, body)
    }

    /// Adds partner `id` to this server's database and returns its secret key.
    pub fn add_partner_key(&self, id: &str) -> String {
        add_partner_to(&Db::open(&self.db_path).unwrap(), id)
    }

    /// A session of `key`'s partner as `role`, minted by `POST /api/sessions`.
    pub fn mint_session(&self, key: &str, role: &str) -> String {
        let reply = self.send(
            "POST",
            "/api/sessions",
            &[
                ("Authorization", &bearer(key)),
                ("Content-Type", "application/json"),
            ],
            &serde_json::json!({ "role": role }).to_string(),
        );
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.json()["session"].as_str().unwrap().to_string()
    }

    pub fn post(
        &self,
        path: &str,
        content_type: Option<&str>,
        key: Option<&str>,
        body: &str,
    ) -> Reply {
        let mut request = agent()
            .post(self.url(path))
            .header("Authorization", &bearer(&self.key));
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        // Bytes, so that the client adds no Content-Type of its own.
        Reply::from(request.send(body.as_bytes()).unwrap())
    }

    /// [`Server::submit`], with a failed exchange (refused or dropped connection, unreadable
    /// answer) returned as an error instead of a panic, for tests that report it themselves.
    pub fn try_submit(&self, key: &str, body: &str) -> Result<Reply, String> {
        self.try_submit_as(&self.key, key, body)
    }

    /// [`Server::try_submit`] with `credential` as a bearer.
    pub fn try_submit_as(&self, credential: &str, key: &str, body: &str) -> Result<Reply, String> {
        let response = agent()
            .post(self.url("/api/onboardings"))
            .header("Authorization", &bearer(credential))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .send(body.as_bytes())
            .map_err(|e| e.to_string())?;
        Reply::try_from(response)
    }

    /// Every stored row: (id, idempotency_key, partner_id, body), read from the file itself.
    pub fn rows(&self) -> Vec<(String, String, Option<String>, String)> {
        rows(&self.db_path)
    }
}

pub fn rows(db_path: &Path) -> Vec<(String, String, Option<String>, String)> {
    let conn = rusqlite::Connection::open(db_path).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, idempotency_key, partner_id, body FROM onboardings ORDER BY received_at, id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// A GET to any URL (another listener, another process).
pub fn get(url: &str) -> Reply {
    Reply::from(agent().get(url).call().unwrap())
}

/// A submission POSTed to any URL (another process) with `credential` as a bearer, as
/// [`Server::submit`] sends it.
pub fn submit_to(url: &str, credential: &str, key: &str, body: &str) -> Reply {
    Reply::from(
        agent()
            .post(url)
            .header("Authorization", &bearer(credential))
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .send(body.as_bytes())
            .unwrap(),
    )
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Reply {
    fn from(response: ureq::http::Response<ureq::Body>) -> Reply {
        Reply::try_from(response).unwrap()
    }

    fn try_from(mut response: ureq::http::Response<ureq::Body>) -> Result<Reply, String> {
        let headers = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap().to_string()))
            .collect();
        Ok(Reply {
            status: response.status().as_u16(),
            headers,
            text: response
                .body_mut()
                .read_to_string()
                .map_err(|e| e.to_string())?,
        })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.text))
    }

    /// The `(field, code)` of every entry of an errors body.
    pub fn error_codes(&self) -> Vec<(String, String)> {
        self.json()["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors array: {}", self.text))
            .iter()
            .map(|e| {
                assert!(
                    e["message"].as_str().is_some_and(|m| !m.is_empty()),
                    "every entry has a message: {e}"
                );
                (
                    e["field"].as_str().unwrap().to_string(),
                    e["code"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A complete draft on the PBX path (MiVoice Business), as a partner would type it: untrimmed
/// values and a lower-case MAC with dashes, which the submission normalises.
pub fn pbx_draft() -> Draft {
    let mut d = Draft::new(new_id(), Some("partner-42".into()));
    d.customer.name = "  Clínica Sol ".into();
    d.customer.business_type = "healthcare".into();
    d.customer.default_language = "es".into();
    d.customer.address.street = "Calle Mayor 1".into();
    d.customer.address.city = "Madrid".into();
    d.customer.address.postal_code = "28013".into();
    d.customer.address.country = "ES".into();
    d.admin_contacts = vec![AdminContact {
        id: 3,
        first_name: "Ana".into(),
        last_name: "Ruiz".into(),
        email: "ana@example.com".into(),
    }];
    d.support_contacts = vec![
        SupportContact {
            id: 1,
            role: SupportRole::Maintainer,
            name: "Luis Gil".into(),
            email: "luis@example.com".into(),
        },
        SupportContact {
            id: 2,
            role: SupportRole::OnsiteAdmin,
            name: "Eva Sanz".into(),
            email: "eva@example.com".into(),
        },
    ];
    d.gateway.platform = "mivoice_business".into();
    d.gateway.site_name = "Sede central".into();
    d.gateway.mac_address = "aa-bb-cc-dd-ee-ff".into();
    d.pbx.host = "pbx.clinica-sol.example".into();
    d.pbx.port = "8443".into();
    d.pbx.username = "admin".into();
    d.pbx.password = "s3cret!".into();
    d
}

/// A complete draft on the SMBC path (Sync instead of PBX and Connect), with a site address.
pub fn sync_draft() -> Draft {
    let mut d = pbx_draft();
    d.gateway.platform = "smbc".into();
    d.gateway.mac_address = String::new();
    d.gateway.site_same_as_customer = false;
    d.gateway.site_address = d.customer.address.clone();
    d.gateway.site_address.street = "Calle de Alcalá 20".into();
    d.sync.users = "with_email".into();
    d.sync.send_welcome_emails = false;
    d
}

pub fn body_of(s: &Submission) -> String {
    serde_json::to_string(s).unwrap()
}

/// A server with session settings (as `--session-ttl` and `--wizard-origin` give them); its
/// sign-in links name its own origin unless `sessions.wizard_origin` names another.
pub fn start_with_sessions(
    config: Option<&str>,
    mut sessions: partner_backend::auth::Options,
) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let static_dir = dir.path().join("dist");
    std::fs::create_dir(&static_dir).unwrap();
    std::fs::write(static_dir.join("index.html"), index_html(INLINE_SCRIPT)).unwrap();
    if let Some(config) = config {
        std::fs::write(static_dir.join("config.json"), config).unwrap();
    }
    let db_path = dir.path().join("data/onboarding.db");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    sessions.wizard_origin.get_or_insert_with(|| base.clone());
    let db = Db::open(&db_path).unwrap();
    let key = add_partner_to(&db, PARTNER);
    let app =
        partner_backend::app_with_sessions(&static_dir, None, db, Limits::default(), sessions)
            .unwrap();
    serve_in_background(listener, app);
    Server {
        base,
        dir,
        db_path,
        key,
    }
}

/// The built binary with `args`, its exit code, stdout and stderr.
pub fn binary(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_partner-backend"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

impl Server {
    /// `partner-backend partners <args…> --db <this server's database>`.
    pub fn partners(&self, args: &[&str]) -> (i32, String, String) {
        let db = self.db_path.to_str().unwrap();
        let mut argv = vec!["partners"];
        argv.extend_from_slice(args);
        argv.extend_from_slice(&["--db", db]);
        binary(&argv)
    }

    /// Adds a partner with the CLI and returns its secret key.
    pub fn add_partner(&self, id: &str) -> String {
        let (code, stdout, stderr) = self.partners(&["add", id]);
        assert_eq!(code, 0, "{stderr}");
        stdout.trim().to_string()
    }

    /// Any request, with any headers; redirects are returned, not followed.
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .allow_non_standard_methods(true)
            .build()
            .into();
        // ureq sends no body with a GET; an empty one is no body at all.
        let response = if body.is_empty() {
            agent.run(request.body(()).unwrap())
        } else {
            agent.run(request.body(body.as_bytes().to_vec()).unwrap())
        };
        Reply::from(response.unwrap())
    }
}

/// The canonical JSON of a submission as the database keeps it: the PBX password's place
/// blank (the password itself is sealed in its own column).
pub fn stored_body_of(s: &Submission) -> String {
    let mut s = s.clone();
    if let Some(pbx) = s.pbx.as_mut() {
        pbx.password = String::new();
    }
    body_of(&s)
}

/// The PBX password stored for onboarding `id`, opened with the secrets key beside the
/// database (the server's default key file).
pub fn stored_password(db_path: &Path, id: &str) -> Option<String> {
    let db = Db::open(db_path).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (_, password) = runtime
        .block_on(db.find_with_password(id.to_string()))
        .unwrap()
        .expect("a row with this id");
    password
}

/// Serves `app` on `listener` from a runtime thread of its own; it ends with the test process.
fn serve_in_background(listener: std::net::TcpListener, app: axum::Router) {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
}
