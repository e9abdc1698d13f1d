//! The PBX password at rest: never in the database file or its WAL, only sealed with the key
//! kept beside them; read back only by `partner-backend onboardings export <id>` (the real
//! binary); the key file's and database's modes; an earlier version's database migrated.

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use common::{body_of, index_html, pbx_draft, stored_body_of, Server, INLINE_SCRIPT};
use onboarding_core::payload::{build, Submission};
use partner_backend::db::{Db, Stored, Submitter};
use serde_json::Value;

/// Distinctive, so that finding it anywhere is a leak and not a coincidence.
const PASSWORD: &str = "Zebra-Quartz-7781-PBX!";

fn submission_with(password: &str) -> Submission {
    let mut draft = pbx_draft();
    draft.pbx.password = password.into();
    build(&draft)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

fn read_or_empty(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn export(db: &Path, key_file: Option<&Path>, id: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_partner-backend"));
    command.args(["onboardings", "export", id, "--db"]).arg(db);
    if let Some(key_file) = key_file {
        command.arg("--secrets-key-file").arg(key_file);
    }
    command.output().unwrap()
}

fn exported(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn refused(output: &Output) -> String {
    assert!(!output.status.success(), "export succeeded");
    assert!(
        !contains(&output.stdout, PASSWORD),
        "a refused export printed the password"
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn created_id(reply: &common::Reply) -> String {
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.json()["id"].as_str().unwrap().to_string()
}

#[test]
fn the_database_file_and_its_wal_hold_no_password_before_or_after_a_checkpoint() {
    let server = Server::start(None);
    let submission = submission_with(PASSWORD);
    created_id(&server.submit(&submission.draft_id, &body_of(&submission)));
    let wal = sidecar(&server.db_path, "-wal");
    let (file, log) = (read_or_empty(&server.db_path), read_or_empty(&wal));
    // The submission did reach these bytes (the customer's name is there), its password not.
    assert!(contains(&file, "Sede central") || contains(&log, "Sede central"));
    assert!(!contains(&file, PASSWORD), "password in the database file");
    assert!(!contains(&log, PASSWORD), "password in the WAL");

    let conn = rusqlite::Connection::open(&server.db_path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    let file = read_or_empty(&server.db_path);
    assert!(
        contains(&file, "Sede central"),
        "checkpointed into the file"
    );
    assert!(
        !contains(&file, PASSWORD),
        "password in the checkpointed file"
    );
    assert!(!contains(&read_or_empty(&wal), PASSWORD));
}

#[cfg(unix)]
#[test]
fn the_database_its_wal_and_the_key_file_are_private() {
    let server = Server::start(None);
    let submission = submission_with(PASSWORD);
    created_id(&server.submit(&submission.draft_id, &body_of(&submission)));
    let key_file = server.db_path.parent().unwrap().join("secrets.key");
    assert_eq!(std::fs::read(&key_file).unwrap().len(), 32);
    for file in [
        server.db_path.clone(),
        sidecar(&server.db_path, "-wal"),
        sidecar(&server.db_path, "-shm"),
        key_file,
    ] {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

#[test]
fn export_prints_the_onboarding_with_its_password() {
    let server = Server::start(None);
    let submission = submission_with(PASSWORD);
    let id = created_id(&server.submit(&submission.draft_id, &body_of(&submission)));
    // The API never answers it.
    let read = server.get(&format!("/api/onboardings/{id}"));
    assert_eq!(read.json()["onboarding"]["pbx"]["password"], Value::Null);
    assert!(!read.text.contains(PASSWORD));

    // The default key file (beside the database) and the same one named explicitly.
    let key_file = server.db_path.parent().unwrap().join("secrets.key");
    for key in [None, Some(key_file.as_path())] {
        let export = exported(&export(&server.db_path, key, &id));
        assert_eq!(export["id"], id.as_str());
        assert_eq!(export["status"], "received");
        assert!(export["received_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            export["onboarding"],
            serde_json::to_value(&submission).unwrap()
        );
        assert_eq!(export["onboarding"]["pbx"]["password"], PASSWORD);
    }
}

#[test]
fn export_refuses_an_unknown_id_a_wrong_key_and_a_missing_key_clearly() {
    let server = Server::start(None);
    let submission = submission_with(PASSWORD);
    let id = created_id(&server.submit(&submission.draft_id, &body_of(&submission)));

    let unknown = refused(&export(&server.db_path, None, "no-such-id"));
    assert!(
        unknown.contains("no onboarding with id no-such-id"),
        "{unknown}"
    );

    let other_key = server.dir.path().join("other.key");
    std::fs::write(&other_key, [0x5a; 32]).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&other_key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let wrong = refused(&export(&server.db_path, Some(&other_key), &id));
    assert!(wrong.contains("secrets key file is not the key"), "{wrong}");

    let missing_key = server.dir.path().join("missing.key");
    let missing = refused(&export(&server.db_path, Some(&missing_key), &id));
    assert!(missing.contains("missing.key"), "{missing}");
    assert!(!missing_key.exists(), "export never creates a key");

    let no_db = server.dir.path().join("none/onboarding.db");
    let absent = refused(&export(&no_db, None, &id));
    assert!(absent.contains("no database at"), "{absent}");
    assert!(!no_db.exists(), "export never creates a database");
}

#[test]
fn a_sealed_password_moved_to_another_row_does_not_open() {
    let server = Server::start(None);
    let first = submission_with(PASSWORD);
    let second = submission_with("Another-Password-42");
    let first_id = created_id(&server.submit(&first.draft_id, &body_of(&first)));
    let second_id = created_id(&server.submit(&second.draft_id, &body_of(&second)));
    let conn = rusqlite::Connection::open(&server.db_path).unwrap();
    conn.execute(
        "UPDATE onboardings SET pbx_password = (SELECT pbx_password FROM onboardings WHERE id = ?1)
         WHERE id = ?2",
        [&first_id, &second_id],
    )
    .unwrap();
    let moved = refused(&export(&server.db_path, None, &second_id));
    assert!(
        moved.contains(&format!(
            "the PBX password of onboarding {second_id} does not decrypt"
        )),
        "{moved}"
    );
    // The row it came from still opens.
    let export = exported(&export(&server.db_path, None, &first_id));
    assert_eq!(export["onboarding"]["pbx"]["password"], PASSWORD);
}

#[test]
fn replays_compare_the_password_without_storing_it() {
    let server = Server::start(None);
    let submission = submission_with(PASSWORD);
    let id = created_id(&server.submit(&submission.draft_id, &body_of(&submission)));
    assert_eq!(
        created_id(&server.submit(&submission.draft_id, &body_of(&submission))),
        id
    );
    // The same key and body with only the password changed is another submission.
    let mut changed = submission.clone();
    changed.pbx.as_mut().unwrap().password = "Zebra-Quartz-7781-PBX?".into();
    let reply = server.submit(&changed.draft_id, &body_of(&changed));
    assert_eq!(reply.status, 409, "{}", reply.text);
    // Nor is a blank password the stored one (the body's blank place is not the password).
    changed.pbx.as_mut().unwrap().password = String::new();
    assert_eq!(
        server.submit(&changed.draft_id, &body_of(&changed)).status,
        422
    );
    assert_eq!(server.rows().len(), 1);
    assert_eq!(server.rows()[0].3, stored_body_of(&submission));
}

/// The table as the previous version created it, with a row whose body holds the password.
const EARLIER_SCHEMA: &str = "
CREATE TABLE onboardings (
    id              TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    partner_id      TEXT,
    body            TEXT NOT NULL,
    received_at     TEXT NOT NULL
);";

#[tokio::test]
async fn an_earlier_database_has_its_plaintext_passwords_sealed_on_startup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onboarding.db");
    let submission = submission_with(PASSWORD);
    let sync = build(&common::sync_draft());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch(EARLIER_SCHEMA).unwrap();
        for (id, s) in [("old-1", &submission), ("old-2", &sync)] {
            conn.execute(
                "INSERT INTO onboardings VALUES (?1, ?2, ?3, ?4, '2025-01-01T00:00:00.000Z')",
                [id, &s.draft_id, "partner-42", &body_of(s)],
            )
            .unwrap();
        }
    }
    assert!(
        contains(&std::fs::read(&path).unwrap(), PASSWORD),
        "the old format"
    );

    let db = Db::open(&path).unwrap();
    let wal = sidecar(&path, "-wal");
    assert!(
        !contains(&read_or_empty(&path), PASSWORD),
        "left in the file"
    );
    assert!(!contains(&read_or_empty(&wal), PASSWORD), "left in the WAL");
    let rows = common::rows(&path);
    assert_eq!(rows[0].3, stored_body_of(&submission));
    assert_eq!(rows[1].3, body_of(&sync), "a row without PBX is untouched");
    #[cfg(unix)]
    assert_eq!(mode(&path), 0o600);

    // The password opens, and the migrated row keeps its replay and conflict answers.
    let (_, password) = db
        .find_with_password("old-1".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(password.as_deref(), Some(PASSWORD));
    let (body, password) = (stored_body_of(&submission), Some(PASSWORD.to_string()));
    let key = submission.draft_id.clone();
    assert_eq!(
        db.accept(partner_42(), key.clone(), body.clone(), password)
            .await
            .unwrap(),
        Stored::Replayed("old-1".into())
    );
    assert_eq!(
        db.accept(partner_42(), key, body, Some("other".into()))
            .await
            .unwrap(),
        Stored::Conflict
    );
    drop(db);
    // Opening again finds nothing left to seal.
    Db::open(&path).unwrap();
    assert_eq!(common::rows(&path)[0].3, stored_body_of(&submission));
}

/// The partner the earlier rows name, as a submitter now is.
fn partner_42() -> Submitter {
    Submitter {
        partner_id: common::PARTNER.into(),
        role: None,
        user: None,
    }
}

/// The server's own invocation, as the e2e tests start it, on a fresh directory.
struct Binary {
    child: Child,
    url: String,
}

impl Binary {
    fn start(args: &[&str]) -> Binary {
        let mut child = Command::new(env!("CARGO_BIN_EXE_partner-backend"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let url = loop {
            let Some(Ok(line)) = lines.next() else {
                let output = child.wait_with_output().unwrap();
                panic!("stopped: {}", String::from_utf8_lossy(&output.stderr));
            };
            if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
                break url.to_string();
            }
        };
        std::thread::spawn(move || lines.for_each(drop));
        Binary { child, url }
    }

    /// Stops the server and returns what it wrote on stderr.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let output = self.child.wait_with_output().unwrap();
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

fn static_dir(root: &Path) -> PathBuf {
    let dist = root.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), index_html(INLINE_SCRIPT)).unwrap();
    dist
}

#[test]
fn the_server_creates_its_key_on_first_run_and_refuses_a_key_others_can_read() {
    let dir = tempfile::tempdir().unwrap();
    let dist = static_dir(dir.path());
    let db = dir.path().join("e2e/onboarding.db");
    let args = [
        "--addr",
        "127.0.0.1:0",
        "--db",
        db.to_str().unwrap(),
        "--static",
        dist.to_str().unwrap(),
    ];
    let (code, partner_key, stderr) = common::binary(&[
        "--db",
        db.to_str().unwrap(),
        "partners",
        "add",
        common::PARTNER,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let server = Binary::start(&args);
    let key_file = dir.path().join("e2e/secrets.key");
    assert_eq!(std::fs::read(&key_file).unwrap().len(), 32);
    let submission = submission_with(PASSWORD);
    let reply = common::submit_to(
        &format!("{}/api/onboardings?draft=1", server.url),
        partner_key.trim(),
        &submission.draft_id,
        &body_of(&submission),
    );
    let id = created_id(&reply);
    let stderr = server.stop();
    let line = stderr
        .lines()
        .find(|l| l.starts_with("audit "))
        .unwrap_or_else(|| panic!("no audit line in {stderr}"));
    assert!(
        line.contains(&format!(
            " partner=partner-42 method=POST route=/api/onboardings status=201 onboarding={id}"
        )),
        "{line}"
    );
    assert!(
        !stderr.contains(PASSWORD)
            && !stderr.contains("draft=1")
            && !stderr.contains(partner_key.trim()),
        "{stderr}"
    );

    // The e2e tests remove the database, never the key: a new database takes the key on.
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(sidecar(&db, suffix));
    }
    Binary::start(&args).stop();

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(mode(&key_file), 0o600);
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_partner-backend"))
            .args(args)
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("secrets key file") && stderr.contains("chmod 600"),
            "{stderr}"
        );
    }
}
