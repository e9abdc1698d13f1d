//! The security headers sent on every response, and the Content Security Policy built for the
//! app actually being served.
//!
//! Trunk's `index.html` starts the app with an inline `<script type="module">`. Rather than
//! allowing inline scripts in general, the policy lists the SHA-256 of each inline script of
//! the `index.html` being served, so exactly those scripts (and files from this origin) run.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::site::IndexPage;

/// `'sha256-…'` sources for the body of every inline `<script>` (one without `src`) in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut hashes = Vec::new();
    let mut from = 0;
    while let Some(start) = find_tag(&lower, "<script", from) {
        let Some(open_end) = lower[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        let Some(close) = lower[open_end..].find("</script").map(|i| open_end + i) else {
            break;
        };
        if !has_src(&lower[start..open_end]) {
            hashes.push(hash_source(&html[open_end..close]));
        }
        from = close;
    }
    hashes
}

/// What the policy takes from the configuration; the script hashes come from each version of
/// `index.html` (see [`crate::site::IndexPage`]).
#[derive(Clone, Debug, Default)]
pub struct Csp {
    /// The origin of an absolute `api_base_url`, which the app must be able to call.
    pub api_origin: Option<String>,
    /// The parent origins the wizard may be embedded in (beside this origin itself).
    pub frame_ancestors: Vec<String>,
}

impl Csp {
    /// The policy for a page: its inline scripts, files and wasm from this origin, nothing else.
    pub fn for_page(&self, html: &str) -> String {
        content_security_policy(
            &inline_script_hashes(html),
            self.api_origin.as_deref(),
            &self.frame_ancestors,
        )
    }
}

pub fn content_security_policy(
    script_hashes: &[String],
    api_origin: Option<&str>,
    frame_ancestors: &[String],
) -> String {
    let join = |first: &[&str], rest: &[String]| {
        first
            .iter()
            .copied()
            .chain(rest.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let connect: Vec<String> = api_origin.map(str::to_string).into_iter().collect();
    [
        "default-src 'self'".to_string(),
        // 'wasm-unsafe-eval' allows compiling WebAssembly only, not JavaScript eval.
        format!(
            "script-src {}",
            join(&["'self'", "'wasm-unsafe-eval'"], script_hashes)
        ),
        "style-src 'self'".to_string(),
        // The favicon is an empty data: URL.
        "img-src 'self' data:".to_string(),
        format!("connect-src {}", join(&["'self'"], &connect)),
        "object-src 'none'".to_string(),
        "base-uri 'none'".to_string(),
        "form-action 'self'".to_string(),
        format!("frame-ancestors {}", join(&["'self'"], frame_ancestors)),
    ]
    .join("; ")
}

/// Adds the security headers to every response of `router`, the API's and error pages included.
/// The CSP is the one of the `index.html` being served now; a response that already carries
/// one (the page itself, which must match the exact bytes it sends) keeps it.
pub fn with_headers(router: Router, page: Arc<IndexPage>) -> Router {
    router.layer(middleware::from_fn_with_state(page, add_headers))
}

async fn add_headers(State(page): State<Arc<IndexPage>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, page.current().csp.clone());
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    response
}

/// The next `<script` that is a whole tag name (not `<scripts` or `<script-x`).
fn find_tag(lower: &str, tag: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(i) = lower[at..].find(tag).map(|i| at + i) {
        match lower[i + tag.len()..].chars().next() {
            Some(c) if c.is_ascii_whitespace() || c == '>' || c == '/' => return Some(i),
            _ => at = i + tag.len(),
        }
    }
    None
}

/// True when the opening tag has a `src` attribute (then the browser ignores its body).
fn has_src(open_tag: &str) -> bool {
    open_tag.match_indices("src").any(|(i, _)| {
        let name_starts = open_tag[..i].ends_with(|c: char| c.is_ascii_whitespace());
        let name_ends = open_tag[i + 3..]
            .starts_with(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'));
        name_starts && name_ends
    })
}

/// The browser hashes the script's text after HTML input preprocessing, which turns CR LF and
/// lone CR into LF; hash the same text so a file saved with Windows line ends still matches.
fn hash_source(body: &str) -> String {
    let text = body.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = "<head><script type=\"module\">run()</script>\
                    <script src=\"/a.js\"></script>\
                    <SCRIPT>\r\nb()\r\n</SCRIPT><scripts>x</scripts></head>";
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes, vec![hash_source("run()"), hash_source("\nb()\n")]);
        // Known value: printf 'run()' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            hashes[0],
            "'sha256-AvyuiL0SD1mVY3NNxR+V2uo+lhk6RMFrytWmRt6CrJQ='"
        );
    }

    #[test]
    fn src_attribute_is_recognised_but_data_src_is_not() {
        assert!(has_src("<script src=\"/a.js\">"));
        assert!(has_src("<script type=module src = '/a.js'>"));
        assert!(!has_src("<script data-src=\"x\">"));
        assert!(!has_src("<script type=\"module\">"));
    }

    #[test]
    fn policy_lists_hashes_api_origin_and_parents() {
        let csp = content_security_policy(
            &["'sha256-abc='".into()],
            Some("https://api.partner.example"),
            &["https://dash.partner.example".into()],
        );
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='"));
        assert!(csp.contains("connect-src 'self' https://api.partner.example;"));
        assert!(csp.ends_with("frame-ancestors 'self' https://dash.partner.example"));
        assert!(!csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"));
        let plain = content_security_policy(&[], None, &[]);
        assert!(plain.contains("connect-src 'self';") && plain.ends_with("frame-ancestors 'self'"));
    }
}
