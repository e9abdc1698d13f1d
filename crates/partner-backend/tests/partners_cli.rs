//! `partner-backend partners …` run as the built binary: what each command prints, what each
//! misuse says and exits with, and that a secret key is shown once and never stored.

mod common;

use std::path::Path;

use common::binary;

fn partners(db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["partners"];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&["--db", db.to_str().unwrap()]);
    binary(&argv)
}

fn is_secret_key(text: &str) -> bool {
    text.strip_prefix("onb_sk_").is_some_and(|rest| {
        rest.len() == 43
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

#[test]
fn add_list_rotate_and_remove() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/onboarding.db");

    let (code, stdout, stderr) = partners(&db, &[]);
    assert_eq!(code, 2, "a subcommand is required: {stderr}");
    let (code, stdout_empty, stderr_empty) = partners(&db, &["list"]);
    assert_eq!((code, stdout_empty.as_str()), (0, ""));
    assert!(stderr_empty.contains("No partners yet"), "{stderr_empty}");
    drop((stdout, stderr));

    let (code, stdout, stderr) = partners(&db, &["add", "acme", "--name", "Acme Telecom"]);
    assert_eq!(code, 0, "{stderr}");
    // The key alone on stdout, so a script can capture it; the explanation on stderr.
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let acme_key = stdout.trim().to_string();
    assert!(is_secret_key(&acme_key), "{acme_key}");
    assert!(stderr.contains("Added partner acme"), "{stderr}");
    assert!(stderr.contains("shown this once"), "{stderr}");

    // The top-level --db works as well as the trailing one.
    let (code, beta_key, _) = binary(&["--db", db.to_str().unwrap(), "partners", "add", "beta"]);
    assert_eq!(code, 0);
    assert!(is_secret_key(beta_key.trim()));
    assert_ne!(beta_key.trim(), acme_key);

    let (code, listed, _) = partners(&db, &["list"]);
    assert_eq!(code, 0);
    let rows: Vec<Vec<&str>> = listed.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2, "{listed}");
    assert_eq!(&rows[0][..2], ["acme", "Acme Telecom"]);
    assert_eq!(
        &rows[1][..2],
        ["beta", "beta"],
        "the name defaults to the id"
    );
    assert!(!listed.contains("onb_sk_"), "list shows no key: {listed}");

    let (code, rotated, stderr) = partners(&db, &["rotate", "acme"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(is_secret_key(rotated.trim()));
    assert_ne!(rotated.trim(), acme_key);
    assert!(
        stderr.contains("old key and its sessions no longer work"),
        "{stderr}"
    );

    let (code, _, stderr) = partners(&db, &["remove", "beta"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("Removed partner beta"), "{stderr}");
    let (_, listed, _) = partners(&db, &["list"]);
    assert_eq!(listed.lines().count(), 1);
    assert!(listed.starts_with("acme\t"));
}

#[test]
fn every_misuse_is_a_message_and_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("onboarding.db");
    assert_eq!(partners(&db, &["add", "acme"]).0, 0);

    let cases: [(&[&str], i32, &str); 10] = [
        (&["add", "acme"], 1, "a partner \"acme\" already exists"),
        (&["rotate", "nobody"], 1, "there is no partner \"nobody\""),
        (&["remove", "nobody"], 1, "there is no partner \"nobody\""),
        (
            &["add", "Acme"],
            2,
            "a partner id is 1 to 64 characters of a-z, 0-9, - and _",
        ),
        (&["add", ""], 2, "a partner id is 1 to 64"),
        (&["add", "a b"], 2, "a partner id is 1 to 64"),
        (&["rotate", "../x"], 2, "a partner id is 1 to 64"),
        (&["add"], 2, "<ID>"),
        (&["frobnicate"], 2, "unrecognized subcommand"),
        (&["list", "extra"], 2, "unexpected argument"),
    ];
    for (args, exit, message) in cases {
        let (code, stdout, stderr) = partners(&db, args);
        assert_eq!(code, exit, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!stdout.contains("onb_sk_"), "{args:?} printed a key");
    }
    let long = "x".repeat(65);
    assert_eq!(partners(&db, &["add", &long]).0, 2);
    assert_eq!(partners(&db, &["add", &"x".repeat(64)]).0, 0);
    // A failed add changed nothing.
    let (_, listed, _) = partners(&db, &["list"]);
    assert_eq!(listed.lines().count(), 2, "{listed}");
}

#[test]
fn a_key_is_printed_once_and_the_database_holds_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/onboarding.db");
    let (_, first, _) = partners(&db, &["add", "acme"]);
    let (_, second, _) = partners(&db, &["rotate", "acme"]);
    let keys = [first.trim().to_string(), second.trim().to_string()];
    let (_, listed, list_err) = partners(&db, &["list"]);
    // Every file the database consists of (the main file, its WAL and shared memory).
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(db.parent().unwrap()).unwrap() {
        stored.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(!stored.is_empty());
    for key in &keys {
        assert!(is_secret_key(key));
        let random_part = key.strip_prefix("onb_sk_").unwrap();
        for needle in [key.as_str(), random_part] {
            assert!(
                !stored.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "the database holds the key"
            );
        }
        assert!(!listed.contains(random_part) && !list_err.contains(random_part));
    }
    assert!(
        !stored.windows(7).any(|w| w == b"onb_sk_"),
        "no key of any partner is stored"
    );
}
