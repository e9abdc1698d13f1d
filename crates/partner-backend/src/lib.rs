//! The reference partner backend: the onboarding API of the spec's contract, an embedded SQLite
//! database, and the built wizard served with production security headers.
//!
//! `main.rs` only parses the command line; everything else lives here so that the integration
//! tests can start the very same server in-process.

pub mod api;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod dashboard;
pub mod db;
pub mod drafts;
pub mod errors;
pub mod export;
pub mod malformed;
pub mod messages;
pub mod partners;
pub mod secrets;
pub mod security;
pub mod sessions;
pub mod settings;
pub mod shed;
pub mod shell;
pub mod site;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

use axum::serve::ListenerExt;
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
    app_with_limits(static_dir, config_file, db, Limits::default())
}

/// What the server takes on at once (`--max-concurrent-requests`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// API requests in progress at once; more are answered 503 with `Retry-After`.
    pub max_concurrent_requests: usize,
    /// How long an admitted request's body may take to arrive before the request is answered
    /// 408 and its place freed (a client trickling its body would otherwise hold it).
    pub body_read_timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_concurrent_requests: shed::DEFAULT_MAX_CONCURRENT_REQUESTS,
            body_read_timeout: shed::DEFAULT_BODY_READ_TIMEOUT,
        }
    }
}

/// [`app_with_config`] with the given [`Limits`].
pub fn app_with_limits(
    static_dir: &Path,
    config_file: Option<&Path>,
    db: Db,
    limits: Limits,
) -> Result<Router, StartupError> {
    app_with_options(
        static_dir,
        config_file,
        db,
        limits,
        auth::Options::default(),
        audit::AuditLog::stderr(),
    )
}

/// [`app_with_limits`] with the given session settings (`--session-ttl`, `--wizard-origin`).
pub fn app_with_sessions(
    static_dir: &Path,
    config_file: Option<&Path>,
    db: Db,
    limits: Limits,
    sessions: auth::Options,
) -> Result<Router, StartupError> {
    app_with_options(
        static_dir,
        config_file,
        db,
        limits,
        sessions,
        audit::AuditLog::stderr(),
    )
}

/// [`app_with_limits`] with the API's audit lines sent to `audit_log` (tests capture them).
pub fn app_with_audit(
    static_dir: &Path,
    config_file: Option<&Path>,
    db: Db,
    limits: Limits,
    audit_log: audit::AuditLog,
) -> Result<Router, StartupError> {
    app_with_options(
        static_dir,
        config_file,
        db,
        limits,
        auth::Options::default(),
        audit_log,
    )
}

/// The whole app: the site, the sign-in route, and the API with its sessions and audit lines.
pub fn app_with_options(
    static_dir: &Path,
    config_file: Option<&Path>,
    db: Db,
    limits: Limits,
    sessions: auth::Options,
    audit_log: audit::AuditLog,
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
    let auth = auth::Auth::new(db.clone(), sessions)?;
    // Expired account drafts go at startup (and hourly while `run` serves, see
    // `drafts::spawn_purge`); until then they are never answered.
    if let Err(e) = db.purge_expired_drafts_now(settings.draft_ttl_days) {
        eprintln!("partner-backend: cannot delete expired drafts: {e}");
    }
    let site = site::router(static_dir, &config_path, Arc::clone(&index)).merge(
        sessions::signin_router(auth.clone(), settings.dashboard_url.clone()),
    );
    let api = api::router_with(
        db.clone(),
        auth.clone(),
        settings.api_base_url.clone(),
        limits,
        sessions::api_routes(auth.clone()).merge(drafts::router(db, auth, settings.draft_ttl_days)),
    );
    let router = match settings.api_path.as_str() {
        // axum cannot nest at the root: the API's routes then sit beside the app's.
        "" => audit_log.layer(api).merge(site),
        path => Router::new()
            .nest(path, audit_log.layer(api::with_json_fallbacks(api)))
            // `nest` matches `/api` and `/api/...` but not `/api/`, which would otherwise fall
            // through to the app (index.html, or an empty 405 for a POST).
            .route(
                &format!("{path}/"),
                axum::routing::any(|| async { errors::Failure::NotFound }),
            )
            .merge(site),
    };
    Ok(security::with_headers(router, index))
}

/// Opens the database, builds the app and serves it until the process is stopped; with
/// `--dashboard-addr`, serves the demo dashboard beside it.
pub async fn run(args: Args) -> Result<(), StartupError> {
    match &args.command {
        Some(cli::Command::Onboardings(cli::OnboardingsCommand::Export { id })) => {
            return export::run(&args.db, &args.secrets_key_file(), id).await;
        }
        Some(cli::Command::Partners(command)) => {
            return partners::run(command.clone(), &args.db).await;
        }
        None => {}
    }
    let secrets = secrets::SecretsKey::load_or_create(&args.secrets_key_file())?;
    let db = Db::open_with_secrets(&args.db, secrets, db::BUSY_TIMEOUT)?;
    let limits = Limits {
        max_concurrent_requests: args.max_concurrent_requests,
        ..Limits::default()
    };
    let settings = match &args.config {
        Some(file) => settings::Settings::load_file(file)?,
        None => settings::Settings::load(&args.static_dir)?,
    };
    drafts::spawn_purge(db.clone(), settings.draft_ttl_days);
    let listener = bind(args.addr).await?;
    let addr = local_addr(&listener)?;
    let sessions = auth::Options {
        session_ttl: args.session_ttl,
        wizard_origin: Some(
            args.wizard_origin
                .clone()
                .unwrap_or_else(|| origin_of(addr)),
        ),
        ..auth::Options::default()
    };
    let app = app_with_sessions(
        &args.static_dir,
        args.config.as_deref(),
        db,
        limits,
        sessions,
    )?;
    println!("listening on http://{addr}");
    let Some(dashboard_addr) = args.dashboard_addr else {
        return serve(listener, app).await;
    };

    let wizard_origin = args
        .wizard_origin
        .clone()
        .unwrap_or_else(|| origin_of(addr));
    let partner_server = args
        .dashboard_key_file
        .clone()
        .map(|key_file| {
            dashboard::PartnerServer::new(key_file, &wizard_origin, &settings.api_base_url)
        })
        .transpose()?;
    if partner_server.is_none() {
        eprintln!(
            "partner-backend: note: no --dashboard-key-file, so the dashboard cannot sign in to the wizard"
        );
    }
    let dashboard =
        dashboard::app_with_partner(&args.dashboard_dir, &wizard_origin, partner_server)?;
    let dashboard_listener = bind(dashboard_addr).await?;
    let dashboard_origin = origin_of(local_addr(&dashboard_listener)?);
    println!("dashboard on {dashboard_origin}/ (framing the wizard at {wizard_origin})");
    if !settings.allowed_parent_origins.contains(&dashboard_origin) {
        eprintln!(
            "partner-backend: warning: {dashboard_origin} is not in allowed_parent_origins; \
             the wizard will refuse to run inside the dashboard"
        );
    }
    tokio::try_join!(serve(listener, app), serve(dashboard_listener, dashboard))?;
    Ok(())
}

async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, StartupError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| StartupError(format!("cannot listen on {addr}: {e}")))
}

fn local_addr(listener: &tokio::net::TcpListener) -> Result<SocketAddr, StartupError> {
    listener
        .local_addr()
        .map_err(|e| StartupError(e.to_string()))
}

/// `http://<addr>` as a browser writes the origin; a wildcard address (0.0.0.0, ::) is reached
/// as loopback on this machine.
fn origin_of(mut addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
            IpAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
        });
    }
    format!("http://{addr}")
}

/// Accepted connections send each write at once (`TCP_NODELAY`). With Nagle's algorithm on,
/// a response written in two pieces (headers, then a small body such as the 2 KB stylesheet)
/// holds the second until the client acknowledges the first, which the client delays: up to
/// 40 ms on Linux, measured on the render-blocking stylesheet of cold loads on loopback.
pub fn without_nagle(
    listener: tokio::net::TcpListener,
) -> impl axum::serve::Listener<Io = tokio::net::TcpStream, Addr = SocketAddr> {
    listener.tap_io(|stream| {
        // If it cannot be set, Nagle's algorithm stays on: slower, still correct.
        let _ = stream.set_nodelay(true);
    })
}

async fn serve(listener: tokio::net::TcpListener, app: Router) -> Result<(), StartupError> {
    axum::serve(without_nagle(listener), app)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_connections_do_not_wait_to_coalesce_small_writes() {
        use axum::serve::Listener;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut listener = without_nagle(listener);
        let (accepted, client) =
            tokio::join!(listener.accept(), tokio::net::TcpStream::connect(addr));
        let _client = client.unwrap();
        let (stream, _) = accepted;
        assert!(
            stream.nodelay().unwrap(),
            "TCP_NODELAY on the accepted connection"
        );
    }

    #[test]
    fn origins_of_listen_addresses() {
        assert_eq!(
            origin_of("127.0.0.1:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            origin_of("0.0.0.0:80".parse().unwrap()),
            "http://127.0.0.1:80"
        );
        assert_eq!(origin_of("[::]:8080".parse().unwrap()), "http://[::1]:8080");
    }
}
