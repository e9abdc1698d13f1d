//! Compression and caching over real HTTP: precompressed `.br`/`.gz` files chosen by
//! `Accept-Encoding`, `index.html` compressed in memory and its shell written in the request's
//! language, a year of immutable caching for hashed assets and `no-cache` for the rest, and the
//! CSP on every answer whatever its coding.

mod common;

use std::io::{Read, Write};

use common::{index_html, Server, INLINE_SCRIPT};

const HASHED_JS: &str = "/app-0123456789abcdef.js";
const HASHED_WASM: &str = "/app-0123456789abcdef_bg.wasm";
const HASHED_CSS: &str = "/main-0123456789abcde.css";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body with its `Content-Encoding` undone.
    fn decoded(&self) -> Vec<u8> {
        match self.header("content-encoding") {
            None => self.body.clone(),
            Some("br") => {
                let mut out = Vec::new();
                brotli::Decompressor::new(&self.body[..], 4096)
                    .read_to_end(&mut out)
                    .unwrap();
                out
            }
            Some("gzip") => {
                let mut out = Vec::new();
                flate2::read::GzDecoder::new(&self.body[..])
                    .read_to_end(&mut out)
                    .unwrap();
                out
            }
            Some(other) => panic!("unexpected content-encoding {other}"),
        }
    }

    fn text(&self) -> String {
        String::from_utf8(self.decoded()).unwrap()
    }

    fn vary_has(&self, name: &str) -> bool {
        self.header("vary").is_some_and(|v| {
            v.split(',')
                .any(|part| part.trim().eq_ignore_ascii_case(name))
        })
    }
}

/// A GET with these request headers; the body is returned as sent (never decompressed).
fn fetch(server: &Server, path: &str, headers: &[(&str, &str)]) -> Raw {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent.get(server.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.call().unwrap();
    Raw {
        status: response.status().as_u16(),
        headers: response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap().to_string()))
            .collect(),
        body: response.body_mut().read_to_vec().unwrap(),
    }
}

fn ae(value: &str) -> [(&str, &str); 1] {
    [("Accept-Encoding", value)]
}

fn brotli(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).unwrap();
    out
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Writes `name` into the static directory with the variants of `codings` beside it, as
/// scripts/precompress.mjs does; returns the original bytes.
fn build_file(server: &Server, name: &str, body: &[u8], codings: &[&str]) -> Vec<u8> {
    let dir = server.static_dir();
    std::fs::write(dir.join(name), body).unwrap();
    for coding in codings {
        let (ext, data) = match *coding {
            "br" => ("br", brotli(body)),
            "gzip" => ("gz", gzip(body)),
            other => panic!("{other}"),
        };
        std::fs::write(dir.join(format!("{name}.{ext}")), data).unwrap();
    }
    body.to_vec()
}

fn js_body() -> Vec<u8> {
    "export function greet(name) { return `hello ${name}`; }\n"
        .repeat(200)
        .into_bytes()
}

fn assert_csp(reply: &Raw, context: &str) {
    let csp = reply
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("{context}: no CSP"));
    assert!(csp.starts_with("default-src 'self'"), "{context}: {csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{context}: {csp}");
    assert_eq!(
        reply.header("x-content-type-options"),
        Some("nosniff"),
        "{context}"
    );
}

#[test]
fn precompressed_files_are_chosen_by_accept_encoding() {
    let server = Server::start(None);
    let js = build_file(&server, &HASHED_JS[1..], &js_body(), &["br", "gzip"]);
    for (accept, coding) in [
        ("br", Some("br")),
        ("gzip", Some("gzip")),
        ("gzip, deflate, br, zstd", Some("br")),
        ("br;q=0.5, gzip", Some("gzip")),
        ("br;q=0, gzip", Some("gzip")),
        ("deflate", None),
        ("identity", None),
    ] {
        let reply = fetch(&server, HASHED_JS, &ae(accept));
        assert_eq!(reply.status, 200, "{accept}");
        assert_eq!(reply.header("content-encoding"), coding, "{accept}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/javascript"),
            "{accept}"
        );
        assert!(
            reply.vary_has("accept-encoding"),
            "{accept}: {:?}",
            reply.header("vary")
        );
        assert_eq!(reply.decoded(), js, "{accept}");
        if coding.is_some() {
            assert!(reply.body.len() < js.len(), "{accept}: sent compressed");
        }
        assert_csp(&reply, accept);
    }
    // No Accept-Encoding at all: the file as built.
    let plain = fetch(&server, HASHED_JS, &[]);
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, js);
}

#[test]
fn a_missing_variant_falls_back_to_another_acceptable_coding_or_identity() {
    let server = Server::start(None);
    let css = build_file(
        &server,
        &HASHED_CSS[1..],
        b".header { color: #fff; }\n".repeat(100).as_slice(),
        &["gzip"],
    );
    let gz = fetch(&server, HASHED_CSS, &ae("br, gzip"));
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.header("content-type"), Some("text/css"));
    assert_eq!(gz.decoded(), css);
    let only_br = fetch(&server, HASHED_CSS, &ae("br"));
    assert_eq!(only_br.header("content-encoding"), None);
    assert_eq!(only_br.body, css);
    // Wasm keeps its type (browsers compile it streaming only as application/wasm).
    let wasm = build_file(&server, &HASHED_WASM[1..], &[0u8; 4096], &["br", "gzip"]);
    let reply = fetch(&server, HASHED_WASM, &ae("gzip, br"));
    assert_eq!(reply.header("content-encoding"), Some("br"));
    assert_eq!(reply.header("content-type"), Some("application/wasm"));
    assert_eq!(reply.decoded(), wasm);
}

#[test]
fn hashed_assets_are_immutable_and_everything_else_is_revalidated() {
    let config = r#"{"api_base_url": "/api"}"#;
    let server = Server::start(Some(config));
    build_file(&server, &HASHED_JS[1..], &js_body(), &["br", "gzip"]);
    build_file(&server, &HASHED_WASM[1..], &[0u8; 4096], &["br"]);
    build_file(&server, &HASHED_CSS[1..], b"p { margin: 0 }", &[]);
    let sw = build_file(&server, "sw.js", &js_body(), &["br", "gzip"]);
    build_file(&server, "notes.txt", b"unhashed", &[]);
    // A stale variant beside config.json is never sent: config.json is edited in place.
    std::fs::write(server.static_dir().join("config.json.br"), brotli(b"{}")).unwrap();

    for path in [HASHED_JS, HASHED_WASM, HASHED_CSS] {
        for accept in ["br", "gzip", ""] {
            let reply = fetch(&server, path, &ae(accept));
            assert_eq!(reply.status, 200, "{path} {accept}");
            assert_eq!(
                reply.header("cache-control"),
                Some(IMMUTABLE),
                "{path} {accept}"
            );
            assert_csp(&reply, path);
        }
    }
    for path in [
        "/app-1234.js",
        "/notes.txt",
        "/",
        "/index.html",
        "/onboarding/x/customer",
    ] {
        let reply = fetch(&server, path, &ae("br"));
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("cache-control"), Some("no-cache"), "{path}");
        assert_csp(&reply, path);
    }
    let worker = fetch(&server, "/sw.js?build=0123456789abcdef", &ae("br"));
    assert_eq!(worker.header("cache-control"), Some("no-cache"));
    assert_eq!(worker.header("content-encoding"), Some("br"));
    assert!(worker.vary_has("accept-encoding"));
    assert_eq!(worker.decoded(), sw);
    assert_csp(&worker, "sw.js");

    let config_reply = fetch(&server, "/config.json", &ae("br, gzip"));
    assert_eq!(config_reply.header("cache-control"), Some("no-cache"));
    assert_eq!(config_reply.header("content-encoding"), None);
    assert_eq!(config_reply.text(), config);
    assert_csp(&config_reply, "config.json");

    // A hashed name that is missing is a 404 nobody may keep.
    let missing = fetch(&server, "/app-fedcba9876543210.js", &ae("br"));
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("cache-control"), Some("no-cache"));
    assert_csp(&missing, "404");
}

#[test]
fn index_html_is_compressed_in_memory_with_its_own_csp() {
    let server = Server::start(None);
    let identity = fetch(&server, "/", &[]);
    assert_eq!(identity.header("content-encoding"), None);
    assert_eq!(identity.text(), index_html(INLINE_SCRIPT));
    let csp = identity
        .header("content-security-policy")
        .unwrap()
        .to_string();
    for path in ["/", "/index.html", "/onboarding/x/gateway"] {
        for (accept, coding) in [
            ("br", Some("br")),
            ("gzip, br;q=0.9", Some("gzip")),
            ("", None),
        ] {
            let reply = fetch(&server, path, &ae(accept));
            assert_eq!(reply.status, 200, "{path} {accept}");
            assert_eq!(reply.header("content-encoding"), coding, "{path} {accept}");
            assert_eq!(
                reply.header("content-type"),
                Some("text/html; charset=utf-8")
            );
            assert_eq!(
                reply.header("cache-control"),
                Some("no-cache"),
                "{path} {accept}"
            );
            assert!(reply.vary_has("accept-encoding") && reply.vary_has("accept-language"));
            assert_eq!(reply.header("content-security-policy"), Some(csp.as_str()));
            assert_eq!(reply.text(), index_html(INLINE_SCRIPT), "{path} {accept}");
        }
    }
}

/// An `index.html` with the static shell as in the repository's `index.html`.
fn shell_page() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><title>Partner onboarding</title>\n\
         <script type=\"module\">{INLINE_SCRIPT}</script></head><body>\n\
         <div id=\"app-shell\"><header class=\"header\"><div class=\"header__inner\">\
         <a class=\"header__title\" href=\"/\" data-i18n=\"app.name\">Partner onboarding</a></div></header>\n\
         <div class=\"width-container\">\n<!--shell:progress-->\n<main class=\"main\" id=\"main\">\
         <h1 class=\"heading-l\" data-i18n=\"start.title\">Customer onboardings</h1>\
         <p class=\"body lead\" role=\"status\" data-i18n=\"app.loading\">Loading the onboarding wizard…</p>\
         </main></div></div></body></html>\n"
    )
}

#[test]
fn the_shell_is_written_in_the_request_language_for_its_route() {
    let server = Server::start(None);
    std::fs::write(server.static_dir().join("index.html"), shell_page()).unwrap();
    let english = fetch(&server, "/", &[]);
    let csp = english
        .header("content-security-policy")
        .unwrap()
        .to_string();
    assert_eq!(english.text(), shell_page());

    let spanish = fetch(
        &server,
        "/",
        &[
            ("Accept-Language", "es-ES,es;q=0.9,en;q=0.8"),
            ("Accept-Encoding", "br"),
        ],
    );
    assert_eq!(spanish.header("content-encoding"), Some("br"));
    let text = spanish.text();
    assert!(text.contains("<html lang=\"es\">"), "{text}");
    assert!(text.contains(">Incorporación para socios</a>"), "{text}");
    assert!(text.contains(">Incorporaciones de clientes</h1>"), "{text}");
    assert!(
        text.contains(">Cargando el asistente de incorporación…</p>"),
        "{text}"
    );
    assert!(
        !text.contains("stepper"),
        "no progress outline on the start page"
    );
    // The same inline script, so the same policy.
    assert_eq!(
        spanish.header("content-security-policy"),
        Some(csp.as_str())
    );

    // ?lang= wins over the browser's languages, as in the app.
    let chosen = fetch(&server, "/?lang=en", &[("Accept-Language", "es")]).text();
    assert!(chosen.contains(">Partner onboarding</a>") && chosen.contains("<html lang=\"en\">"));
    let unknown = fetch(&server, "/", &[("Accept-Language", "fr-FR, de;q=0.8")]).text();
    assert_eq!(
        unknown,
        shell_page(),
        "English for languages the app does not have"
    );

    // A step route: the step's title and the progress outline with the step marked.
    let step = fetch(
        &server,
        "/onboarding/00000000-0000-4000-8000-000000000000/gateway?lang=es",
        &[("Accept-Encoding", "gzip")],
    );
    assert_eq!(step.header("content-encoding"), Some("gzip"));
    let text = step.text();
    assert!(
        text.contains(">Configurar el sitio del cliente</h1>"),
        "{text}"
    );
    assert!(
        text.contains("<nav class=\"stepper\" aria-label=\"Progreso\">"),
        "{text}"
    );
    assert_eq!(text.matches("class=\"stepper__step").count(), 5, "{text}");
    assert!(text.contains(
        "<li class=\"stepper__step stepper__step--current\" aria-current=\"step\"><span class=\"stepper__label\"><span class=\"stepper__number\">2</span> Gateway</span></li>"
    ), "{text}");
    assert_eq!(step.header("content-security-policy"), Some(csp.as_str()));
    let sync = fetch(&server, "/onboarding/x/sync", &[]).text();
    assert_eq!(sync.matches("class=\"stepper__step").count(), 4, "{sync}");
    assert!(sync.contains(">Sync</h1>"));
}
