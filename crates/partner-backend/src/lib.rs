//! The reference partner backend: the onboarding API of the spec's contract, an embedded SQLite
//! database, and the built wizard served with production security headers.
//!
//! `main.rs` only parses the command line; everything else lives here so that the integration
//! tests can start the very same server in-process.

pub mod api;
pub mod cli;
pub mod db;
pub mod errors;
pub mod messages;
pub mod security;
pub mod settings;
pub mod site;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use axum::Router;

pub use cli::Args;
pub use db::Db;

/// Why the server could not start: a configuration or file problem the operator must fix.
#[derive(Debug)]
pub struct StartupError(pub String);

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartupError {}

/// The whole application for a static directory and a database: the API mounted at the
/// configured `api_base_url`, the built app beside it, and the security headers on everything.
pub fn app(static_dir: &Path, db: Db) -> Result<Router, StartupError> {
    app_with_config(static_dir, None, db)
}

/// [`app`] with `config_file` (`--config`), when given, read and served as `/config.json` in
/// place of `<static>/config.json`.
pub fn app_with_config(
    static_dir: &Path,
    config_file: Option<&Path>,
    db: Db,
) -> Result<Router, StartupError> {
    let (settings, config_path) = match config_file {
        Some(file) => (settings::Settings::load_file(file)?, file.to_path_buf()),
        None => (
            settings::Settings::load(static_dir)?,
            static_dir.join("config.json"),
        ),
    };
    let csp = security::Csp {
        api_origin: settings.api_origin.clone(),
        frame_ancestors: settings.allowed_parent_origins.clone(),
    };
    let index = Arc::new(site::IndexPage::load(static_dir, csp)?);
    let site = site::router(static_dir, &config_path, Arc::clone(&index));
    let api = api::router(db, settings.api_base_url.clone());
    let router = match settings.api_path.as_str() {
        // axum cannot nest at the root: the API's routes then sit beside the app's.
        "" => api.merge(site),
        path => Router::new()
            .nest(path, api::with_json_fallbacks(api))
            .merge(site),
    };
    Ok(security::with_headers(router, index))
}

/// Opens the database, builds the app and serves it until the process is stopped.
pub async fn run(args: Args) -> Result<(), StartupError> {
    let db = Db::open(&args.db)?;
    let app = app_with_config(&args.static_dir, args.config.as_deref(), db)?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .map_err(|e| StartupError(format!("cannot listen on {}: {e}", args.addr)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartupError(e.to_string()))?;
    println!("listening on http://{addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // Without a signal handler the server would never stop cleanly; if one cannot be
            // installed, serving on is the only useful thing left to do.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
        .map_err(|e| StartupError(format!("server failed: {e}")))
}
