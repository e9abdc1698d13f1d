//! The command line. The contract is `partner-backend --addr 127.0.0.1:8080 --db
//! data/onboarding.db --static dist`; every other flag is optional. Without a subcommand it
//! serves; `partners …` and `onboardings export <id>` are for operators, with the same `--db`
//! and `--secrets-key-file`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

use crate::shed::DEFAULT_MAX_CONCURRENT_REQUESTS;

#[derive(Clone, Debug, Parser)]
#[command(
    name = "partner-backend",
    version,
    about = "Reference partner backend for the onboarding wizard"
)]
pub struct Args {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// SQLite database file; created, with its parent directory, if missing.
    #[arg(long, default_value = "data/onboarding.db", global = true)]
    pub db: PathBuf,
    /// The key that encrypts PBX passwords in the database: 32 bytes, mode 0600, kept apart
    /// from the database and its backups. Created on first run. Default: `secrets.key` in the
    /// database file's directory.
    #[arg(long, value_name = "FILE", global = true)]
    pub secrets_key_file: Option<PathBuf>,
    /// The built app (Trunk's `dist`): index.html, config.json and the hashed assets.
    #[arg(long = "static", value_name = "DIR", default_value = "dist")]
    pub static_dir: PathBuf,
    /// Serve and use this file as `/config.json` instead of `<static>/config.json` (tests,
    /// deployments that keep the configuration outside the build). It must exist.
    #[arg(long = "config", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also serve the demo partner dashboard (a host page embedding the wizard) on this
    /// address, a second origin such as 127.0.0.1:8081.
    #[arg(long, value_name = "ADDR")]
    pub dashboard_addr: Option<SocketAddr>,
    /// The dashboard's files (index.html, dashboard.js, dashboard.css).
    #[arg(long, value_name = "DIR", default_value = "dashboard")]
    pub dashboard_dir: PathBuf,
    /// The file holding the demo partner's secret key (`onb_sk_…`, as `partners add` prints
    /// it): the dashboard's server mints sessions and sign-in links with it, as a partner's
    /// server would. Read for every call; it never reaches the browser. Without it the
    /// dashboard says that no partner key is configured.
    #[arg(long, value_name = "FILE")]
    pub dashboard_key_file: Option<PathBuf>,
    /// The wizard's origin as the browser sees it, which the dashboard frames and sign-in
    /// links name (https also marks the session cookie `Secure`); default `http://<--addr>`.
    #[arg(long, value_name = "ORIGIN")]
    pub wizard_origin: Option<String>,
    /// API requests handled at once; past this the API answers 503 with Retry-After instead
    /// of queueing. The app's files are not limited.
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_MAX_CONCURRENT_REQUESTS,
        value_parser = at_least_one
    )]
    pub max_concurrent_requests: usize,
    /// How long a session lasts: `90s`, `30m`, `2h`.
    #[arg(long, value_name = "DURATION", default_value = "30m", value_parser = parse_duration)]
    pub session_ttl: Duration,
    /// Without a command, the server runs.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Manage the partners allowed to use the API, and their secret keys.
    #[command(subcommand)]
    Partners(PartnersCommand),
    /// Accepted onboardings, read from the database.
    #[command(subcommand)]
    Onboardings(OnboardingsCommand),
}

#[derive(Clone, Debug, Subcommand)]
pub enum OnboardingsCommand {
    /// Print one onboarding as JSON, PBX password included, for the provisioning step.
    Export {
        /// The onboarding's id (as answered by the API).
        id: String,
    },
}

impl Args {
    /// `--secrets-key-file`, or its default beside the database.
    pub fn secrets_key_file(&self) -> PathBuf {
        self.secrets_key_file
            .clone()
            .unwrap_or_else(|| crate::secrets::default_key_file(&self.db))
    }
}

#[derive(Clone, Debug, Subcommand)]
pub enum PartnersCommand {
    /// Add a partner and print its secret key (once: only a hash is stored).
    Add {
        #[arg(value_parser = partner_id)]
        id: String,
        /// Display name (default: the id).
        #[arg(long)]
        name: Option<String>,
    },
    /// List the partners.
    List,
    /// Replace a partner's secret key: the old key and its sessions stop working at once.
    Rotate {
        #[arg(value_parser = partner_id)]
        id: String,
    },
    /// Remove a partner: its key and sessions stop working; its onboardings are kept.
    Remove {
        #[arg(value_parser = partner_id)]
        id: String,
    },
}

/// A partner id: 1 to 64 of `a-z`, `0-9`, `-` and `_`. It appears in URLs, logs and
/// sessions, so it is kept to characters that need no escaping anywhere.
pub fn partner_id(value: &str) -> Result<String, String> {
    let ok = (1..=64).contains(&value.len())
        && value
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_'));
    if ok {
        Ok(value.to_string())
    } else {
        Err("a partner id is 1 to 64 characters of a-z, 0-9, - and _".into())
    }
}

/// `90s`, `30m`, `2h`: a whole number of seconds, minutes or hours, at least one second.
pub fn parse_duration(value: &str) -> Result<Duration, String> {
    let unit_at = value.len().saturating_sub(1);
    let (number, unit) = value.split_at(unit_at);
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if n >= 1 && scale > 0 && number.bytes().all(|b| b.is_ascii_digit()) => n
            .checked_mul(scale)
            .map(Duration::from_secs)
            .ok_or_else(|| "too long".into()),
        _ => Err("expected a duration such as 90s, 30m or 2h".into()),
    }
}

fn at_least_one(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("expected a whole number of 1 or more".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_ttls_take_a_unit() {
        let ttl = |v: &str| parse_duration(v).ok().map(|d| d.as_secs());
        assert_eq!(ttl("90s"), Some(90));
        assert_eq!(ttl("30m"), Some(1800));
        assert_eq!(ttl("2h"), Some(7200));
        for bad in [
            "",
            "30",
            "0m",
            "-5m",
            "+5m",
            "1.5h",
            "5d",
            "m",
            "99999999999999999999h",
        ] {
            assert_eq!(ttl(bad), None, "{bad}");
        }
        let args = Args::try_parse_from(["partner-backend"]).unwrap();
        assert_eq!(args.session_ttl, Duration::from_secs(1800));
        assert!(args.command.is_none());
    }

    #[test]
    fn partner_ids_are_short_lowercase_words() {
        for good in ["acme", "a", "partner-42", "big_co", &"x".repeat(64)] {
            assert!(partner_id(good).is_ok(), "{good}");
        }
        for bad in ["", "Acme", "a b", "a/b", "ñandú", "a.b", &"x".repeat(65)] {
            assert!(partner_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn partners_commands_take_the_servers_db_flag_anywhere() {
        for argv in [
            &["partner-backend", "--db", "x.db", "partners", "add", "acme"][..],
            &["partner-backend", "partners", "add", "acme", "--db", "x.db"][..],
        ] {
            let args = Args::try_parse_from(argv).unwrap();
            assert_eq!(args.db, PathBuf::from("x.db"));
            assert!(matches!(
                args.command,
                Some(Command::Partners(PartnersCommand::Add { ref id, name: None })) if id == "acme"
            ));
        }
    }

    #[test]
    fn the_server_needs_no_subcommand_and_export_shares_the_storage_flags() {
        let args = Args::try_parse_from([
            "partner-backend",
            "--addr",
            "127.0.0.1:0",
            "--db",
            "x/o.db",
            "--static",
            "dist",
        ])
        .unwrap();
        assert!(args.command.is_none());
        assert_eq!(args.secrets_key_file(), PathBuf::from("x/secrets.key"));
        for argv in [
            &[
                "partner-backend",
                "--db",
                "y/o.db",
                "--secrets-key-file",
                "k",
                "onboardings",
                "export",
                "id-1",
            ][..],
            &[
                "partner-backend",
                "onboardings",
                "export",
                "id-1",
                "--db",
                "y/o.db",
                "--secrets-key-file",
                "k",
            ][..],
        ] {
            let args = Args::try_parse_from(argv).unwrap();
            assert!(matches!(
                &args.command,
                Some(Command::Onboardings(OnboardingsCommand::Export { id })) if id == "id-1"
            ));
            assert_eq!(args.db, PathBuf::from("y/o.db"), "{argv:?}");
            assert_eq!(args.secrets_key_file(), PathBuf::from("k"), "{argv:?}");
        }
    }

    #[test]
    fn the_concurrency_limit_has_a_default_and_must_be_positive() {
        let args = Args::try_parse_from(["partner-backend"]).unwrap();
        assert_eq!(
            args.max_concurrent_requests,
            DEFAULT_MAX_CONCURRENT_REQUESTS
        );
        let args =
            Args::try_parse_from(["partner-backend", "--max-concurrent-requests", "8"]).unwrap();
        assert_eq!(args.max_concurrent_requests, 8);
        for bad in ["0", "-1", "many"] {
            assert!(
                Args::try_parse_from(["partner-backend", "--max-concurrent-requests", bad])
                    .is_err(),
                "{bad}"
            );
        }
    }
}
