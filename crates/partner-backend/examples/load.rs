//! Load test of the reference backend on loopback, with correctness checks.
//!
//! ```sh
//! cargo run --release -p partner-backend --example load            # full run, writes bench/load-results.json
//! cargo run -p partner-backend --example load -- --quick           # a few seconds, for CI
//! ```
//!
//! Starts the backend's own router (`partner_backend::app_with_limits`, the one the binary
//! serves) on an ephemeral loopback port with a temporary database holding one partner, whose
//! secret key every client sends (the API requires a credential), then:
//!
//! 1. **Steady load**: `--clients` threads (50) send `--requests` submissions (20,000) over
//!    keep-alive connections: new onboardings, replays of accepted ones (same key, same body,
//!    from any client), a shared set of keys several clients send at once, and a few
//!    same-key-different-body conflicts. A 503 is retried after its `Retry-After`, as the
//!    wizard does.
//! 2. **Saturation**: `--saturation-clients` threads (500) against the same limit, each
//!    sending new submissions and honouring `Retry-After` on 503, for a bounded time.
//!
//! After each phase it checks, from the database file itself: every key answered 201 is stored,
//! with the id answered and the body sent (nothing lost); one row per key (nothing duplicated);
//! every answer for a key named the same id (retries got the original result); conflicts were
//! 409 and left the stored body alone; only 201, 409 and (with Retry-After and the JSON body)
//! 503 were answered; `PRAGMA integrity_check` is `ok`. It prints a Markdown table and writes
//! JSON; it exits non-zero when a check fails, never because of a timing figure.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clap::Parser;
use onboarding_core::payload::{build, Submission};
use onboarding_core::{AdminContact, Draft, SupportContact, SupportRole};
use partner_backend::{Db, Limits};
use serde_json::{json, Value};

#[derive(Parser, Debug)]
#[command(about = "Load test of partner-backend on loopback, with correctness checks")]
struct Args {
    /// A small run (a few seconds): 10 clients, 600 submissions, 100 saturating clients for 2 s.
    #[arg(long)]
    quick: bool,
    /// Steady-phase client threads.
    #[arg(long)]
    clients: Option<usize>,
    /// Steady-phase submissions (each may take several HTTP requests if shed).
    #[arg(long)]
    requests: Option<usize>,
    /// Saturation-phase client threads.
    #[arg(long)]
    saturation_clients: Option<usize>,
    /// Saturation phase: seconds during which clients start new submissions.
    #[arg(long)]
    saturation_seconds: Option<u64>,
    /// The server's --max-concurrent-requests (default: the server's default).
    #[arg(long)]
    limit: Option<usize>,
    /// Where to write the JSON results (default: bench/load-results.json for a full run, none
    /// for --quick).
    #[arg(long)]
    out: Option<PathBuf>,
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

struct ServerHandle {
    base: String,
    /// `Bearer <secret key>` of the partner the load is sent as.
    authorization: String,
    db_path: PathBuf,
    _dir: tempfile::TempDir,
}

/// Where submissions go, and the credential they carry.
struct Endpoint {
    url: String,
    authorization: String,
}

/// The partner the submissions name and the load is sent as.
const PARTNER: &str = "partner-load";

fn start_server(limit: usize) -> ServerHandle {
    let dir = tempfile::tempdir().unwrap();
    let static_dir = dir.path().join("dist");
    std::fs::create_dir(&static_dir).unwrap();
    std::fs::write(
        static_dir.join("index.html"),
        "<!DOCTYPE html><html lang=\"en\"><head><title>Partner onboarding</title></head>\
         <body></body></html>\n",
    )
    .unwrap();
    let db_path = dir.path().join("onboarding.db");
    let db = Db::open(&db_path).unwrap();
    let (key, key_hash) = partner_backend::auth::new_secret_key();
    let added = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(db.add_partner(
            PARTNER.into(),
            "Load test".into(),
            key_hash,
            partner_backend::auth::new_key_generation(),
        ))
        .unwrap();
    assert!(added, "a fresh database has no partner yet");
    let limits = Limits {
        max_concurrent_requests: limit,
        ..Limits::default()
    };
    let app = partner_backend::app_with_limits(&static_dir, None, db, limits).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // As `#[tokio::main]` in the binary: one worker per core.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            // tokio's listener, as the binary's: a backlog of 1024.
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    ServerHandle {
        base: format!("http://{addr}"),
        authorization: format!("Bearer {key}"),
        db_path,
        _dir: dir,
    }
}

// ---------------------------------------------------------------------------------------------
// Submissions
// ---------------------------------------------------------------------------------------------

/// xorshift64*: a reproducible mix per client without another dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A valid submission on either path, unique by `tag`.
fn submission(tag: &str, sync: bool) -> Submission {
    let mut d = Draft::new(uuid::Uuid::new_v4().to_string(), Some(PARTNER.into()));
    d.customer.name = format!("Cliente {tag}");
    d.customer.business_type = "retail".into();
    d.customer.address.street = format!("Calle Mayor {tag}");
    d.customer.address.city = "Madrid".into();
    d.customer.address.postal_code = "28013".into();
    d.customer.address.country = "ES".into();
    d.admin_contacts = vec![AdminContact {
        id: 3,
        first_name: "Ana".into(),
        last_name: "Ruiz".into(),
        email: "ana@example.com".into(),
    }];
    d.support_contacts = vec![
        SupportContact {
            id: 1,
            role: SupportRole::Maintainer,
            name: "Luis Gil".into(),
            email: "luis@example.com".into(),
        },
        SupportContact {
            id: 2,
            role: SupportRole::OnsiteAdmin,
            name: "Eva Sanz".into(),
            email: "eva@example.com".into(),
        },
    ];
    d.gateway.site_name = format!("Sede {tag}");
    if sync {
        d.gateway.platform = "smbc".into();
    } else {
        d.gateway.platform = "mivoice_business".into();
        d.gateway.mac_address = "AA:BB:CC:DD:EE:FF".into();
        d.pbx.host = "pbx.example.com".into();
        d.pbx.port = "8443".into();
        d.pbx.username = "admin".into();
        d.pbx.password = "s3cret!".into();
    }
    build(&d)
}

/// A submission ready to send: its key and canonical body (what the server stores).
#[derive(Clone)]
struct Prepared {
    key: String,
    body: String,
}

impl Prepared {
    fn of(s: &Submission) -> Prepared {
        Prepared {
            key: s.draft_id.clone(),
            body: serde_json::to_string(s).unwrap(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    New,
    Replay,
    Contested,
    Conflict,
}

/// What one client saw.
#[derive(Default)]
struct Log {
    /// Microseconds per HTTP request; and those answered 201, and 503.
    latencies_us: Vec<u32>,
    latencies_201_us: Vec<u32>,
    latencies_503_us: Vec<u32>,
    statuses: HashMap<u16, usize>,
    kinds: HashMap<&'static str, usize>,
    /// Every 201: (key, id).
    created: Vec<(String, String)>,
    /// Bodies sent under each key that must be the stored one.
    bodies: Vec<(String, String)>,
    /// Keys sent at least once whose every attempt failed in transport (possibly stored).
    unconfirmed: Vec<String>,
    /// 503 answers, and those with a Retry-After header and the JSON error body.
    shed: usize,
    shed_well_formed: usize,
    /// Submissions given up on after being shed again and again (saturation only).
    gave_up: usize,
    problems: Vec<String>,
}

impl Log {
    fn merge(&mut self, other: Log) {
        self.latencies_us.extend(other.latencies_us);
        self.latencies_201_us.extend(other.latencies_201_us);
        self.latencies_503_us.extend(other.latencies_503_us);
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
        for (k, v) in other.kinds {
            *self.kinds.entry(k).or_default() += v;
        }
        self.created.extend(other.created);
        self.bodies.extend(other.bodies);
        self.unconfirmed.extend(other.unconfirmed);
        self.shed += other.shed;
        self.shed_well_formed += other.shed_well_formed;
        self.gave_up += other.gave_up;
        self.problems.extend(other.problems);
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

enum Outcome {
    Answered { status: u16, id: Option<String> },
    Transport(String),
}

/// One HTTP request, timed and classified.
fn send(
    agent: &ureq::Agent,
    endpoint: &Endpoint,
    p: &Prepared,
    log: &mut Log,
) -> (Outcome, Option<u64>) {
    let start = Instant::now();
    let result = agent
        .post(&endpoint.url)
        .header("Authorization", &endpoint.authorization)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", &p.key)
        .send(p.body.as_bytes());
    let outcome = match result {
        Ok(mut response) => {
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            let text = response.body_mut().read_to_string();
            let micros = start.elapsed().as_micros().min(u32::MAX as u128) as u32;
            log.latencies_us.push(micros);
            match status {
                201 => log.latencies_201_us.push(micros),
                503 => log.latencies_503_us.push(micros),
                _ => {}
            }
            *log.statuses.entry(status).or_default() += 1;
            let body: Option<Value> = text.ok().and_then(|t| serde_json::from_str(&t).ok());
            if status == 503 {
                log.shed += 1;
                let json_error = body.as_ref().is_some_and(|b| {
                    b["errors"][0]["code"] == "unavailable" && b["errors"][0]["field"] == ""
                });
                if retry_after.is_some() && json_error {
                    log.shed_well_formed += 1;
                }
            }
            let id = body
                .as_ref()
                .and_then(|b| b["id"].as_str())
                .map(str::to_string);
            return (Outcome::Answered { status, id }, retry_after);
        }
        Err(e) => Outcome::Transport(e.to_string()),
    };
    log.latencies_us
        .push(start.elapsed().as_micros().min(u32::MAX as u128) as u32);
    (outcome, None)
}

/// Sends `p` until it is answered with something other than 503 (waiting `Retry-After` each
/// time), or `max_attempts` are used. Returns the final status, if any.
fn submit(
    agent: &ureq::Agent,
    endpoint: &Endpoint,
    p: &Prepared,
    expect: u16,
    max_attempts: usize,
    jitter: &mut Rng,
    log: &mut Log,
) -> Option<u16> {
    let mut transport_failures = 0;
    for _ in 0..max_attempts {
        match send(agent, endpoint, p, log) {
            (Outcome::Answered { status: 503, .. }, retry_after) => {
                // As the wizard: wait as told (with jitter, so shed clients spread out).
                let wait_ms = retry_after.unwrap_or(1) * 1000 + jitter.below(500) as u64;
                std::thread::sleep(Duration::from_millis(wait_ms));
            }
            (Outcome::Answered { status, id }, _) => {
                if status == 201 {
                    match id {
                        Some(id) => log.created.push((p.key.clone(), id)),
                        None => log
                            .problems
                            .push(format!("201 without an id for {}", p.key)),
                    }
                }
                if status != expect {
                    log.problems
                        .push(format!("{} answered {status}, expected {expect}", p.key));
                }
                return Some(status);
            }
            (Outcome::Transport(e), _) => {
                transport_failures += 1;
                log.problems.push(format!("{}: no answer: {e}", p.key));
                if transport_failures >= 3 {
                    log.unconfirmed.push(p.key.clone());
                    return None;
                }
            }
        }
    }
    log.gave_up += 1;
    None
}

struct Shared {
    endpoint: Endpoint,
    /// Accepted submissions any client may replay or contradict.
    accepted: Mutex<Vec<Prepared>>,
    /// Keys several clients send at once.
    contested: Vec<Prepared>,
}

fn steady_client(index: usize, planned: usize, shared: &Shared) -> Log {
    let mut log = Log::default();
    let agent = agent();
    let mut rng = Rng::new(index as u64 + 1);
    for seq in 0..planned {
        let roll = rng.below(100);
        let pick = |rng: &mut Rng| {
            let pool = shared.accepted.lock().unwrap();
            (!pool.is_empty()).then(|| pool[rng.below(pool.len())].clone())
        };
        let (kind, prepared, expect) = match roll {
            0..=64 => (Kind::New, None, 201),
            65..=84 => (Kind::Replay, pick(&mut rng), 201),
            85..=94 => {
                let p = shared.contested[rng.below(shared.contested.len())].clone();
                (Kind::Contested, Some(p), 201)
            }
            _ => (Kind::Conflict, pick(&mut rng), 409),
        };
        let (kind, prepared, expect) = match (kind, prepared) {
            (Kind::New, _) | (_, None) => {
                let s = submission(&format!("{index}-{seq}"), rng.below(2) == 0);
                (Kind::New, Prepared::of(&s), 201)
            }
            (Kind::Conflict, Some(p)) => {
                // Same key, another body: the site renamed after acceptance.
                let mut value: Value = serde_json::from_str(&p.body).unwrap();
                value["gateway"]["site_name"] = json!(format!("Otra sede {index}-{seq}"));
                let changed = Prepared {
                    key: p.key,
                    body: value.to_string(),
                };
                (Kind::Conflict, changed, expect)
            }
            (kind, Some(p)) => (kind, p, expect),
        };
        *log.kinds.entry(kind_name(kind)).or_default() += 1;
        let status = submit(
            &agent,
            &shared.endpoint,
            &prepared,
            expect,
            100,
            &mut rng,
            &mut log,
        );
        if kind == Kind::New || kind == Kind::Contested {
            log.bodies
                .push((prepared.key.clone(), prepared.body.clone()));
        }
        if kind == Kind::New && status == Some(201) {
            shared.accepted.lock().unwrap().push(prepared);
        }
    }
    log
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::New => "new",
        Kind::Replay => "replay",
        Kind::Contested => "contested",
        Kind::Conflict => "conflict",
    }
}

fn saturation_client(index: usize, until: Instant, endpoint: &Endpoint) -> Log {
    let mut log = Log::default();
    let agent = agent();
    let mut rng = Rng::new(1_000_003 + index as u64);
    let mut seq = 0;
    while Instant::now() < until {
        let p = Prepared::of(&submission(&format!("s{index}-{seq}"), rng.below(2) == 0));
        seq += 1;
        *log.kinds.entry("new").or_default() += 1;
        log.bodies.push((p.key.clone(), p.body.clone()));
        submit(&agent, endpoint, &p, 201, 30, &mut rng, &mut log);
    }
    log
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

#[derive(Default, Debug)]
struct Checks {
    keys_confirmed: usize,
    rows: usize,
    lost: usize,
    duplicated: usize,
    id_mismatch: usize,
    body_mismatch: usize,
    unconfirmed_rows: usize,
    integrity: String,
}

/// Compares what the clients were told with the database file.
/// A sent body as the database keeps it: the PBX password's place blank (the password is
/// sealed in a column of its own).
fn stored_form(body: &str) -> String {
    let mut submission: Submission = serde_json::from_str(body).unwrap();
    if let Some(pbx) = submission.pbx.as_mut() {
        pbx.password = String::new();
    }
    serde_json::to_string(&submission).unwrap()
}

fn check_database(db_path: &Path, log: &Log, problems: &mut Vec<String>) -> Checks {
    let conn = rusqlite::Connection::open(db_path).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    let mut stmt = conn
        .prepare("SELECT idempotency_key, id, body FROM onboardings")
        .unwrap();
    let mut stored: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let mut rows = 0;
    for row in stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .unwrap()
    {
        let (key, id, body) = row.unwrap();
        rows += 1;
        stored.entry(key).or_default().push((id, body));
    }
    let mut answered: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (key, id) in &log.created {
        answered.entry(key).or_default().insert(id);
    }
    let bodies: HashMap<&str, String> = log
        .bodies
        .iter()
        .map(|(k, b)| (k.as_str(), stored_form(b)))
        .collect();
    let mut checks = Checks {
        keys_confirmed: answered.len(),
        rows,
        integrity,
        ..Checks::default()
    };
    for (key, ids) in &answered {
        if ids.len() > 1 {
            checks.id_mismatch += 1;
            problems.push(format!("{key} was answered with ids {ids:?}"));
        }
        match stored.get(*key).map(Vec::as_slice) {
            None | Some([]) => {
                checks.lost += 1;
                problems.push(format!("{key} was answered 201 but is not stored"));
            }
            Some([(id, body)]) => {
                if !ids.contains(id.as_str()) {
                    checks.id_mismatch += 1;
                    problems.push(format!("{key} is stored as {id}, answered {ids:?}"));
                }
                if bodies.get(*key).is_some_and(|b| b != body) {
                    checks.body_mismatch += 1;
                    problems.push(format!("{key}: the stored body is not the body accepted"));
                }
            }
            Some(many) => {
                checks.duplicated += 1;
                problems.push(format!("{key} is stored {} times", many.len()));
            }
        }
    }
    let unconfirmed: HashSet<&str> = log.unconfirmed.iter().map(String::as_str).collect();
    for key in stored.keys() {
        if !answered.contains_key(key.as_str()) {
            if unconfirmed.contains(key.as_str()) {
                // Sent, answer lost in transport, stored: the wizard's retry gets its id.
                checks.unconfirmed_rows += 1;
            } else {
                problems.push(format!("{key} is stored but was never accepted"));
            }
        }
    }
    if checks.integrity != "ok" {
        problems.push(format!("integrity_check: {}", checks.integrity));
    }
    checks
}

// ---------------------------------------------------------------------------------------------
// Figures and report
// ---------------------------------------------------------------------------------------------

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    f64::from(sorted[rank.clamp(1, sorted.len()) - 1]) / 1000.0
}

struct Phase {
    name: &'static str,
    clients: usize,
    seconds: f64,
    log: Log,
    checks: Checks,
}

impl Phase {
    fn requests(&self) -> usize {
        self.log.latencies_us.len()
    }

    fn json(&self) -> Value {
        let summary = |latencies: &[u32]| {
            let mut sorted = latencies.to_vec();
            sorted.sort_unstable();
            json!({
                "p50": round(percentile(&sorted, 50.0), 2),
                "p95": round(percentile(&sorted, 95.0), 2),
                "p99": round(percentile(&sorted, 99.0), 2),
                "max": round(percentile(&sorted, 100.0), 2),
            })
        };
        let statuses: serde_json::Map<String, Value> = {
            let mut keys: Vec<_> = self.log.statuses.iter().collect();
            keys.sort();
            keys.into_iter()
                .map(|(k, v)| (k.to_string(), json!(v)))
                .collect()
        };
        let submissions: usize = self.log.kinds.values().sum();
        let distinct_201: HashSet<&str> =
            self.log.created.iter().map(|(k, _)| k.as_str()).collect();
        json!({
            "clients": self.clients,
            "submissions": submissions,
            "mix": self.log.kinds,
            "http_requests": self.requests(),
            "statuses": statuses,
            "seconds": round(self.seconds, 2),
            "requests_per_second": round(self.requests() as f64 / self.seconds, 0),
            "latency_ms": summary(&self.log.latencies_us),
            "latency_ms_of_201": summary(&self.log.latencies_201_us),
            "latency_ms_of_503": summary(&self.log.latencies_503_us),
            // 201s for a key already answered 201 in this phase (replays, contested keys): each
            // checked to name the same id as the first.
            "repeat_201_for_an_accepted_key": self.log.created.len() - distinct_201.len(),
            "shed_503": self.log.shed,
            "shed_503_with_retry_after_and_json": self.log.shed_well_formed,
            "gave_up_after_repeated_503": self.log.gave_up,
            "checks": {
                "keys_answered_201": self.checks.keys_confirmed,
                "rows": self.checks.rows,
                "lost": self.checks.lost,
                "duplicated": self.checks.duplicated,
                "answered_ids_differing_or_not_stored": self.checks.id_mismatch,
                "stored_body_not_as_accepted": self.checks.body_mismatch,
                "stored_after_lost_answer": self.checks.unconfirmed_rows,
                "integrity_check": self.checks.integrity,
                "problems": self.log.problems.len(),
            },
        })
    }
}

fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

fn load_average() -> Option<String> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
}

fn git_commit() -> Option<String> {
    let out = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn markdown(phases: &[&Phase], limit: usize) -> String {
    let mut md = String::new();
    md.push_str(&format!(
        "| phase (limit {limit}) | clients | submissions | HTTP requests | req/s | p50 ms | p95 ms | p99 ms | max ms | 201 | 409 | 503 (Retry-After + JSON) | other | lost | duplicated | id/body mismatches | integrity |\n"
    ));
    md.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for p in phases {
        let j = p.json();
        let status = |s: &str| j["statuses"][s].as_u64().unwrap_or(0);
        let other: u64 = j["statuses"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| !["201", "409", "503"].contains(&k.as_str()))
            .map(|(_, v)| v.as_u64().unwrap())
            .sum::<u64>()
            + p.log.unconfirmed.len() as u64;
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} ({}) | {} | {} | {} | {} | {} |\n",
            p.name,
            p.clients,
            j["submissions"],
            p.requests(),
            j["requests_per_second"],
            j["latency_ms"]["p50"],
            j["latency_ms"]["p95"],
            j["latency_ms"]["p99"],
            j["latency_ms"]["max"],
            status("201"),
            status("409"),
            p.log.shed,
            p.log.shed_well_formed,
            other,
            p.checks.lost,
            p.checks.duplicated,
            p.checks.id_mismatch + p.checks.body_mismatch,
            p.checks.integrity,
        ));
    }
    md
}

fn main() -> ExitCode {
    let args = Args::parse();
    let quick = args.quick;
    let clients = args.clients.unwrap_or(if quick { 10 } else { 50 }).max(1);
    let requests = args.requests.unwrap_or(if quick { 600 } else { 20_000 });
    let saturation_clients = args
        .saturation_clients
        .unwrap_or(if quick { 100 } else { 500 })
        .max(1);
    let saturation_seconds = args
        .saturation_seconds
        .unwrap_or(if quick { 2 } else { 15 });
    let limit = args
        .limit
        .unwrap_or(partner_backend::shed::DEFAULT_MAX_CONCURRENT_REQUESTS);
    let load_at_start = load_average();

    let server = start_server(limit);
    let endpoint = Endpoint {
        url: format!("{}/api/onboardings", server.base),
        authorization: server.authorization.clone(),
    };
    eprintln!(
        "load: {} build, server on {}, limit {limit}; steady: {clients} clients, {requests} \
         submissions; saturation: {saturation_clients} clients for {saturation_seconds} s",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        server.base
    );

    // Phase 1: steady load.
    let contested: Vec<Prepared> = (0..(requests / 100).max(4))
        .map(|i| Prepared::of(&submission(&format!("c{i}"), i % 2 == 0)))
        .collect();
    let shared = Shared {
        endpoint,
        accepted: Mutex::new(Vec::new()),
        contested,
    };
    let started = Instant::now();
    let mut steady_log = Log::default();
    let done = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|i| {
                let planned = requests / clients + usize::from(i < requests % clients);
                let (shared, done) = (&shared, &done);
                scope.spawn(move || {
                    let log = steady_client(i, planned, shared);
                    done.fetch_add(1, Ordering::Relaxed);
                    log
                })
            })
            .collect();
        for h in handles {
            steady_log.merge(h.join().expect("a client thread panicked"));
        }
    });
    let steady_seconds = started.elapsed().as_secs_f64();
    let mut problems = std::mem::take(&mut steady_log.problems);
    let checks = check_database(&server.db_path, &steady_log, &mut problems);
    steady_log.problems = problems;
    let steady = Phase {
        name: "steady",
        clients,
        seconds: steady_seconds,
        log: steady_log,
        checks,
    };
    eprintln!("load: steady phase done in {steady_seconds:.1} s");

    // Phase 2: saturation, against the same server and database.
    let started = Instant::now();
    let until = started + Duration::from_secs(saturation_seconds);
    let mut saturation_log = Log::default();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..saturation_clients)
            .map(|i| {
                let endpoint = &shared.endpoint;
                std::thread::Builder::new()
                    .stack_size(512 * 1024)
                    .spawn_scoped(scope, move || saturation_client(i, until, endpoint))
                    .expect("a client thread")
            })
            .collect();
        for h in handles {
            saturation_log.merge(h.join().expect("a client thread panicked"));
        }
    });
    let saturation_seconds_run = started.elapsed().as_secs_f64();
    // Both phases' answers against the whole table.
    let both = |part: fn(&Log) -> &Vec<String>| -> Vec<String> {
        part(&steady.log)
            .iter()
            .chain(part(&saturation_log))
            .cloned()
            .collect()
    };
    let both_pairs = |part: fn(&Log) -> &Vec<(String, String)>| -> Vec<(String, String)> {
        part(&steady.log)
            .iter()
            .chain(part(&saturation_log))
            .cloned()
            .collect()
    };
    let all = Log {
        created: both_pairs(|l| &l.created),
        bodies: both_pairs(|l| &l.bodies),
        unconfirmed: both(|l| &l.unconfirmed),
        ..Log::default()
    };
    let mut problems = std::mem::take(&mut saturation_log.problems);
    let checks = check_database(&server.db_path, &all, &mut problems);
    saturation_log.problems = problems;
    let saturation = Phase {
        name: "saturation",
        clients: saturation_clients,
        seconds: saturation_seconds_run,
        log: saturation_log,
        checks,
    };

    let phases = [&steady, &saturation];
    let mut failures: Vec<String> = Vec::new();
    for p in phases {
        failures.extend(p.log.problems.iter().map(|e| format!("{}: {e}", p.name)));
        if p.log.shed != p.log.shed_well_formed {
            failures.push(format!(
                "{}: {} of {} 503 answers lacked Retry-After or the JSON error body",
                p.name,
                p.log.shed - p.log.shed_well_formed,
                p.log.shed
            ));
        }
    }
    let passed = failures.is_empty();

    let table = markdown(&phases, limit);
    println!("{table}");
    let result = json!({
        "quick": quick,
        "build": if cfg!(debug_assertions) { "debug" } else { "release" },
        "command": if quick {
            "cargo run -p partner-backend --example load -- --quick"
        } else {
            "cargo run --release -p partner-backend --example load"
        },
        "machine": {
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            "load_average_at_start": load_at_start,
            "load_average_at_end": load_average(),
            "note": "server and clients share the machine, over loopback",
        },
        "git_commit": git_commit(),
        "server": { "max_concurrent_requests": limit, "retry_after_seconds": partner_backend::shed::RETRY_AFTER_SECS },
        "steady": steady.json(),
        "saturation": saturation.json(),
        "passed": passed,
        "failures": failures.iter().take(50).collect::<Vec<_>>(),
    });
    let out = args.out.or_else(|| {
        // The workspace's bench/, two levels above this crate.
        (!quick).then(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .nth(2)
                .expect("the workspace root")
                .join("bench/load-results.json")
        })
    });
    if let Some(out) = out {
        std::fs::write(&out, serde_json::to_string_pretty(&result).unwrap() + "\n")
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
        eprintln!("load: results written to {}", out.display());
    }
    if passed {
        println!("All correctness checks passed.");
        ExitCode::SUCCESS
    } else {
        println!("{} correctness check(s) FAILED:", failures.len());
        for f in failures.iter().take(20) {
            println!("- {f}");
        }
        ExitCode::FAILURE
    }
}
