use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let args = partner_backend::Args::parse();
    // `run` serves, or carries out an operator's command (partners, onboardings export).
    match partner_backend::run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("partner-backend: {e}");
            ExitCode::FAILURE
        }
    }
}
