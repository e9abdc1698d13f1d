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
                urls.push(url.to_string());
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
    let config =
        r#"{"api_base_url": "/api", "allowed_parent_origins": ["http://127.0.0.1:8090"]}"#;
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
        &["--addr", "127.0.0.1:0", "--db", path_str(&db), "--static", &dist],
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
