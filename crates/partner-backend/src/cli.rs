//! The command line. The contract is `partner-backend --addr 127.0.0.1:8080 --db
//! data/onboarding.db --static dist`; every other flag is optional.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

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
    #[arg(long, default_value = "data/onboarding.db")]
    pub db: PathBuf,
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
