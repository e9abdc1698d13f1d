use std::process::ExitCode;

use clap::Parser;

#[tokio::main]
async fn main() -> ExitCode {
    let args = partner_backend::Args::parse();
    let outcome = match args.command.clone() {
        Some(partner_backend::cli::Command::Partners(command)) => {
            partner_backend::partners::run(command, &args.db).await
        }
        None => partner_backend::run(args).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("partner-backend: {e}");
            ExitCode::FAILURE
        }
    }
}
