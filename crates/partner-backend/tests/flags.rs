//! The optional command-line flags, tested on the real binary over real HTTP: `--config`, and
//! the demo dashboard's listener (`--dashboard-addr`, `--dashboard-dir`, `--wizard-origin`).

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{index_html, Reply, INLINE_SCRIPT};

/// The `partner-backend` binary on loopback ports chosen by the system; the URLs are read from
/// the lines it prints. Killed when dropped.
struct Binary {
    child: Child,
    /// `listening on …`, then `dashboard on …` when there is one.
    urls: Vec<String>,
}

impl Binary {
    fn start(args: &[&str], expected_urls: usize) -> Binary {
        let mut child = Command::new(env!("CARGO_BIN_EXE_partner-backend"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut urls = Vec::new();
        while urls.len() < expected_urls {
            let Some(Ok(line)) = lines.next() else {
                let output = child.wait_with_output().unwrap();
                panic!(
                    "partner-backend stopped: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            };
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                urls.push(url.trim_end_matches('/').to_string());
            }
        }
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Binary { child, urls }
    }

    fn get(&self, listener: usize, path: &str) -> Reply {
        common::get(&format!("{}{path}", self.urls[listener]))
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary expecting it to refuse to start; returns what it printed on stderr.
fn refused(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_partner-backend"))
        .args(args)
        .output()
        .unwrap();
    assert!(!output.status.success(), "started with {args:?}");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn directive<'a>(reply: &'a Reply, name: &str) -> &'a str {
    let csp = reply
        .header("content-security-policy")
        .expect("every response has a CSP");
    csp.split(';')
        .map(str::trim)
        .find(|d| d.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} in {csp}"))
}

/// A built app in `<root>/dist` whose own config.json allows `https://built.example`.
fn built_app(root: &Path) -> String {
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), index_html(INLINE_SCRIPT)).unwrap();
    std::fs::write(
        dist.join("config.json"),
        r#"{"allowed_parent_origins": ["https://built.example"]}"#,
    )
    .unwrap();
    dist.to_str().unwrap().to_string()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn config_flag_replaces_the_built_config_json() {
    let dir = tempfile::tempdir().unwrap();
    let dist = built_app(dir.path());
    // Not named *.json on purpose: it is still served as JSON.
    let file = dir.path().join("deploy.conf");
    let config = r#"{"api_base_url": "/api", "allowed_parent_origins": ["http://127.0.0.1:8090"]}"#;
    std::fs::write(&file, config).unwrap();
    let db = dir.path().join("db/o.db");
    let server = Binary::start(
        &[
            "--addr",
            "127.0.0.1:0",
            "--db",
            path_str(&db),
            "--static",
            &dist,
            "--config",
            path_str(&file),
        ],
        1,
    );
    let served = server.get(0, "/config.json");
    assert_eq!(served.status, 200);
    assert_eq!(served.text, config);
    assert_eq!(served.header("content-type"), Some("application/json"));
    assert_eq!(served.header("cache-control"), Some("no-cache"));
    for reply in [served, server.get(0, "/"), server.get(0, "/api/nope")] {
        assert_eq!(
            directive(&reply, "frame-ancestors"),
            "frame-ancestors 'self' http://127.0.0.1:8090"
        );
    }
}

#[test]
fn without_the_config_flag_the_built_config_json_is_used() {
    let dir = tempfile::tempdir().unwrap();
    let dist = built_app(dir.path());
    let db = dir.path().join("o.db");
    let server = Binary::start(
        &[
            "--addr",
            "127.0.0.1:0",
            "--db",
            path_str(&db),
            "--static",
            &dist,
        ],
        1,
    );
    assert!(server
        .get(0, "/config.json")
        .text
        .contains("https://built.example"));
    assert_eq!(
        directive(&server.get(0, "/"), "frame-ancestors"),
        "frame-ancestors 'self' https://built.example"
    );
}

#[test]
fn a_missing_or_malformed_config_file_stops_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let dist = built_app(dir.path());
    let db = dir.path().join("o.db");
    let file = dir.path().join("missing.json");
    let args = [
        "--addr",
        "127.0.0.1:0",
        "--db",
        path_str(&db),
        "--static",
        &dist,
        "--config",
        path_str(&file),
    ];
    assert!(refused(&args).contains("missing.json"));
    std::fs::write(&file, "{").unwrap();
    assert!(refused(&args).contains("malformed"));
}

/// The demo dashboard of this repository (`dashboard/`).
fn repo_dashboard() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../dashboard")
        .to_str()
        .unwrap()
        .to_string()
}

const DASHBOARD_CSP: &[(&str, &str)] = &[
    ("default-src", "default-src 'self'"),
    ("script-src", "script-src 'self'"),
    ("style-src", "style-src 'self'"),
    ("connect-src", "connect-src 'self'"),
    ("object-src", "object-src 'none'"),
    ("base-uri", "base-uri 'none'"),
    ("frame-ancestors", "frame-ancestors 'none'"),
];

fn assert_dashboard_headers(reply: &Reply, wizard_origin: &str) {
    for (name, value) in DASHBOARD_CSP {
        assert_eq!(directive(reply, name), *value);
    }
    assert_eq!(
        directive(reply, "frame-src"),
        format!("frame-src {wizard_origin}")
    );
    let csp = reply.header("content-security-policy").unwrap();
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(
        reply.header("referrer-policy"),
        Some("strict-origin-when-cross-origin")
    );
}

#[test]
fn dashboard_listener_serves_the_demo_dashboard_framing_this_wizard() {
    let dir = tempfile::tempdir().unwrap();
    let dist = built_app(dir.path());
    let db = dir.path().join("o.db");
    let dashboard = repo_dashboard();
    let server = Binary::start(
        &[
            "--addr",
            "127.0.0.1:0",
            "--db",
            path_str(&db),
            "--static",
            &dist,
            "--dashboard-addr",
            "127.0.0.1:0",
            "--dashboard-dir",
            &dashboard,
        ],
        2,
    );
    // Without --wizard-origin the dashboard frames this server's own origin.
    let wizard_origin = server.urls[0].clone();
    assert_ne!(server.urls[1], wizard_origin);

    let index = server.get(1, "/");
    assert_eq!(index.status, 200);
    assert!(index
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(index.text.contains("Acme Telecom"));
    assert!(index
        .text
        .contains(r#"<script type="module" src="/dashboard.js"></script>"#));
    // No inline script or style: the CSP would block them.
    assert_eq!(index.text.matches("<script").count(), 1, "{}", index.text);
    assert!(!index.text.contains("<style") && !index.text.contains(" style="));
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    assert_dashboard_headers(&index, &wizard_origin);

    let config = server.get(1, "/dashboard-config.json");
    assert_eq!(config.status, 200);
    assert_eq!(config.header("content-type"), Some("application/json"));
    assert_eq!(
        config.json(),
        serde_json::json!({ "wizard_origin": wizard_origin })
    );
    assert_dashboard_headers(&config, &wizard_origin);

    for (path, mime) in [
        ("/dashboard.js", "text/javascript"),
        ("/dashboard.css", "text/css"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let reply = server.get(1, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(mime), "{path}");
        assert_dashboard_headers(&reply, &wizard_origin);
    }
    let missing = server.get(1, "/nope.js");
    assert_eq!(missing.status, 404);
    assert_dashboard_headers(&missing, &wizard_origin);

    // The dashboard is its own site: no API, no wizard there; the wizard's listener unchanged.
    assert_eq!(server.get(1, "/api/onboardings/x").status, 404);
    assert_eq!(server.get(1, "/config.json").status, 404);
    assert!(server.get(0, "/").text.contains("Partner onboarding"));
    assert_eq!(server.get(0, "/dashboard-config.json").status, 404);
}

#[test]
fn wizard_origin_flag_names_the_framed_origin() {
    let dir = tempfile::tempdir().unwrap();
    let dist = built_app(dir.path());
    let db = dir.path().join("o.db");
    let dashboard = dir.path().join("portal");
    std::fs::create_dir(&dashboard).unwrap();
    std::fs::write(
        dashboard.join("index.html"),
        "<!DOCTYPE html><title>x</title>",
    )
    .unwrap();
    let server = Binary::start(
        &[
            "--addr",
            "127.0.0.1:0",
            "--db",
            path_str(&db),
            "--static",
            &dist,
            "--dashboard-addr",
            "127.0.0.1:0",
            "--dashboard-dir",
            path_str(&dashboard),
            "--wizard-origin",
            "https://wizard.vendor.example",
        ],
        2,
    );
    let index = server.get(1, "/");
    assert_eq!(index.text, "<!DOCTYPE html><title>x</title>");
    assert_dashboard_headers(&index, "https://wizard.vendor.example");
    assert_eq!(
        server.get(1, "/dashboard-config.json").json()["wizard_origin"],
        "https://wizard.vendor.example"
    );
}

#[test]
fn unusable_dashboard_flags_stop_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let dist = built_app(dir.path());
    let db = dir.path().join("o.db");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let base = [
        "--addr",
        "127.0.0.1:0",
        "--db",
        path_str(&db),
        "--static",
        &dist,
        "--dashboard-addr",
        "127.0.0.1:0",
    ];
    let no_page = [&base[..], &["--dashboard-dir", path_str(&empty)]].concat();
    assert!(refused(&no_page).contains("index.html"));
    let dashboard = repo_dashboard();
    for bad in ["*", "http://127.0.0.1:8080/", "wizard.example"] {
        let args = [
            &base[..],
            &["--dashboard-dir", &dashboard, "--wizard-origin", bad],
        ]
        .concat();
        assert!(refused(&args).contains("--wizard-origin"), "{bad}");
    }
}
