//! The command line. The contract is `partner-backend --addr 127.0.0.1:8080 --db
//! data/onboarding.db --static dist`; every other flag is optional. Without a subcommand it
//! serves; `onboardings export <id>` is for operators, with the same `--db` and
//! `--secrets-key-file`.

use std::net::SocketAddr;
use std::path::PathBuf;

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
    /// The wizard's origin as the browser sees it, which the dashboard frames; default
    /// `http://<--addr>`.
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
    #[command(subcommand)]
    pub command: Option<Command>,
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
pub enum Command {
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
