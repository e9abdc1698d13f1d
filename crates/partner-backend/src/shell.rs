//! The static shell of `index.html` in the visitor's language, and the page compressed.
//!
//! `index.html` carries a shell (`#app-shell`: header, heading, loading line) that the browser
//! paints before the wasm arrives; the app removes it when it mounts. Its texts are marked with
//! `data-i18n="<key>"` (the element's text is that key's translation) and it holds an empty
//! `<!--shell:progress-->` marker. For each language and kind of route the server writes a
//! variant: `<html lang>` and the marked texts translated and, on a step route
//! (`/onboarding/<id>/<step>`), the heading set to the step's title and the progress outline
//! (the stepper's steps, the current one marked) put in place of the marker. Only text inside
//! `<body>` changes, never a script, so every variant has the CSP of the file on disk.

use std::collections::HashMap;
use std::io::Write;

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use serde_json::Value;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/locales.rs"));
}

/// The marker the progress outline replaces on step routes.
const PROGRESS_MARKER: &str = "<!--shell:progress-->";
/// The key of the shell's heading on the start page; step routes use the step's title instead.
const START_HEADING: &str = "data-i18n=\"start.title\"";
/// The start page's lead paragraph; a step route gets the step's (`customer.intro`, …).
const START_INTRO: &str = "data-i18n=\"start.intro\"";

/// The steps a route can name, in the order of the default (PBX) path; the SMBC/VA path
/// replaces PBX and Connect by Sync.
const STEPS: [&str; 6] = ["customer", "gateway", "pbx", "connect", "sync", "review"];
const PBX_PATH: [&str; 5] = ["customer", "gateway", "pbx", "connect", "review"];
const SYNC_PATH: [&str; 4] = ["customer", "gateway", "sync", "review"];

/// The interface texts of every language, English first (the fallback).
pub struct Locales {
    langs: Vec<(&'static str, HashMap<String, String>)>,
}

impl Locales {
    pub fn embedded() -> Locales {
        let langs = generated::LOCALES
            .iter()
            .map(|(code, json)| {
                let map = match serde_json::from_str::<Value>(json) {
                    Ok(Value::Object(obj)) => obj
                        .into_iter()
                        .filter_map(|(k, v)| Some((k, v.as_str()?.to_string())))
                        .collect(),
                    _ => HashMap::new(),
                };
                (*code, map)
            })
            .collect();
        Locales { langs }
    }

    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.langs.iter().map(|(code, _)| *code)
    }

    fn text(&self, lang: &str, key: &str) -> Option<&str> {
        let find = |code: &str| {
            self.langs
                .iter()
                .find(|(c, _)| *c == code)
                .and_then(|(_, map)| map.get(key))
                .map(String::as_str)
        };
        find(lang).or_else(|| find("en"))
    }

    /// The language of a page request, as the app will choose it: a known `?lang=` first,
    /// then the first known language of `Accept-Language` by preference, else English.
    pub fn choose(&self, query: Option<&str>, headers: &HeaderMap) -> &'static str {
        let known = |tag: &str| {
            let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
            self.codes().find(|c| *c == primary)
        };
        if let Some(lang) = query
            .and_then(|q| query_param(q, "lang"))
            .and_then(|l| known(&l))
        {
            return lang;
        }
        let accept = header_str(headers, header::ACCEPT_LANGUAGE);
        let mut ranked: Vec<(f32, usize, &str)> = accept
            .split(',')
            .enumerate()
            .filter_map(|(i, item)| {
                let (tag, q) = split_q(item)?;
                (q > 0.0).then_some((q, i, tag))
            })
            .collect();
        // Highest q first; equal q keep the header's order.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked
            .iter()
            .find_map(|(_, _, tag)| known(tag))
            .unwrap_or("en")
    }
}

/// What the shell shows besides the header: the start page's heading, or a step's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    Start,
    Step(&'static str),
}

impl Route {
    pub fn all() -> impl Iterator<Item = Route> {
        std::iter::once(Route::Start).chain(STEPS.iter().map(|s| Route::Step(s)))
    }

    /// `/onboarding/<id>/<step>` with a known step is that step; anything else is the start.
    pub fn of(path: &str) -> Route {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            ["onboarding", _, step] => STEPS
                .iter()
                .find(|s| *s == step)
                .map_or(Route::Start, |s| Route::Step(s)),
            _ => Route::Start,
        }
    }
}

/// `html` with its shell in `lang` for `route`. A page without a shell is returned as it is,
/// apart from `<html lang>`.
pub fn render(html: &str, locales: &Locales, lang: &str, route: Route) -> String {
    let mut out = html.replacen("<html lang=\"en\"", &format!("<html lang=\"{lang}\""), 1);
    if let Route::Step(step) = route {
        if out.contains(PROGRESS_MARKER) {
            out = out.replacen(PROGRESS_MARKER, &progress_outline(locales, lang, step), 1);
            out = out.replacen(
                START_HEADING,
                &format!("data-i18n=\"step.{step}.title\""),
                1,
            );
            out = out.replacen(START_INTRO, &format!("data-i18n=\"{step}.intro\""), 1);
        }
    }
    translate_marked(&out, |key| locales.text(lang, key))
}

/// The stepper as the app draws it before it knows the draft: the path the step belongs to
/// (Sync only on the SMBC/VA path), the current step marked.
fn progress_outline(locales: &Locales, lang: &str, current: &str) -> String {
    let path: &[&str] = if current == "sync" {
        &SYNC_PATH
    } else {
        &PBX_PATH
    };
    let t = |key: &str| onboarding_core::text::escape_html(locales.text(lang, key).unwrap_or(key));
    let items: String = path
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let (class, aria) = if *step == current {
                (" stepper__step--current", " aria-current=\"step\"")
            } else {
                ("", "")
            };
            format!(
                "<li class=\"stepper__step{class}\"{aria}><span class=\"stepper__label\">\
                 <span class=\"stepper__number\">{}</span> {}</span></li>",
                i + 1,
                t(&format!("step.{step}"))
            )
        })
        .collect();
    format!(
        "<nav class=\"stepper\" aria-label=\"{}\"><ol class=\"stepper__list\" role=\"list\">{items}</ol></nav>",
        t("stepper.label")
    )
}

/// Replaces the text of every element carrying `data-i18n="key"` (text up to its first child
/// tag or end tag) with the key's translation, escaped. Unknown keys are left as written.
fn translate_marked<'a>(html: &str, text: impl Fn(&str) -> Option<&'a str>) -> String {
    const ATTR: &str = "data-i18n=\"";
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find(ATTR) {
        let key_start = at + ATTR.len();
        let Some(key_len) = rest[key_start..].find('"') else {
            break;
        };
        let key = &rest[key_start..key_start + key_len];
        let Some(open_end) = rest[key_start..].find('>').map(|i| key_start + i + 1) else {
            break;
        };
        let text_end = rest[open_end..]
            .find('<')
            .map_or(rest.len(), |i| open_end + i);
        out.push_str(&rest[..open_end]);
        match text(key) {
            Some(t) => out.push_str(&onboarding_core::text::escape_html(t)),
            None => out.push_str(&rest[open_end..text_end]),
        }
        rest = &rest[text_end..];
    }
    out.push_str(rest);
    out
}


fn header_str(headers: &HeaderMap, name: header::HeaderName) -> String {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",")
}

/// `token;q=0.5` → (`token`, 0.5); no `q` is 1.
fn split_q(item: &str) -> Option<(&str, f32)> {
    let mut parts = item.split(';');
    let token = parts.next()?.trim();
    if token.is_empty() {
        return None;
    }
    let q = parts
        .find_map(|p| {
            p.trim()
                .strip_prefix("q=")
                .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
        })
        .unwrap_or(1.0);
    Some((token, q))
}

fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == name).then(|| v.to_string())
    })
}

/// A content coding the server can send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Br,
    Gzip,
    Identity,
}

impl Coding {
    /// The codings `Accept-Encoding` allows, best first: br and gzip by q (br on a tie), `*`
    /// standing for any coding not named; identity, always last, is the fallback.
    pub fn acceptable(headers: &HeaderMap) -> Vec<Coding> {
        let accept = header_str(headers, header::ACCEPT_ENCODING);
        let items: Vec<(String, f32)> = accept
            .split(',')
            .filter_map(split_q)
            .map(|(t, q)| (t.to_ascii_lowercase(), q))
            .collect();
        let q_of = |name: &str| {
            items
                .iter()
                .find(|(t, _)| t == name)
                .or_else(|| items.iter().find(|(t, _)| t == "*"))
                .map_or(0.0, |(_, q)| *q)
        };
        let (br, gzip) = (q_of("br"), q_of("gzip"));
        let mut ranked = vec![(br, Coding::Br), (gzip, Coding::Gzip)];
        ranked.retain(|(q, _)| *q > 0.0);
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked
            .into_iter()
            .map(|(_, c)| c)
            .chain([Coding::Identity])
            .collect()
    }

    pub fn header_value(self) -> Option<&'static str> {
        match self {
            Coding::Br => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }
}

/// One page body in every coding; a compressed form is kept only when it is smaller.
pub struct Encoded {
    pub identity: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
}

impl Encoded {
    pub fn new(body: String) -> Encoded {
        let raw = body.into_bytes();
        let smaller = |c: Vec<u8>| (c.len() < raw.len()).then(|| Bytes::from(c));
        let br = brotli_bytes(&raw).and_then(smaller);
        let gzip = gzip_bytes(&raw).and_then(smaller);
        Encoded {
            identity: Bytes::from(raw),
            br,
            gzip,
        }
    }

    /// The body in the first of `acceptable` this page has.
    pub fn pick(&self, acceptable: &[Coding]) -> (Coding, Bytes) {
        for coding in acceptable {
            match (coding, &self.br, &self.gzip) {
                (Coding::Br, Some(b), _) => return (Coding::Br, b.clone()),
                (Coding::Gzip, _, Some(g)) => return (Coding::Gzip, g.clone()),
                _ => {}
            }
        }
        (Coding::Identity, self.identity.clone())
    }
}

fn brotli_bytes(raw: &[u8]) -> Option<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        mode: brotli::enc::backward_references::BrotliEncoderMode::BROTLI_MODE_TEXT,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params).ok()?;
    Some(out)
}

fn gzip_bytes(raw: &[u8]) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(raw).ok()?;
    encoder.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn encodings_are_negotiated_by_q_value() {
        use Coding::*;
        let ae = |v: &str| Coding::acceptable(&headers(header::ACCEPT_ENCODING, v));
        assert_eq!(ae("gzip, deflate, br, zstd"), [Br, Gzip, Identity]);
        assert_eq!(ae("gzip"), [Gzip, Identity]);
        assert_eq!(ae("br;q=0.5, gzip"), [Gzip, Br, Identity]);
        assert_eq!(ae("br;q=0, *"), [Gzip, Identity]);
        assert_eq!(ae("*"), [Br, Gzip, Identity]);
        assert_eq!(ae("identity"), [Identity]);
        assert_eq!(ae("gzip;q=0"), [Identity]);
        assert_eq!(Coding::acceptable(&HeaderMap::new()), [Identity]);
    }

    #[test]
    fn language_from_query_then_accept_language() {
        let locales = Locales::embedded();
        let al = |v: &str| headers(header::ACCEPT_LANGUAGE, v);
        assert_eq!(locales.choose(None, &HeaderMap::new()), "en");
        assert_eq!(locales.choose(None, &al("es-ES,es;q=0.9,en;q=0.8")), "es");
        assert_eq!(locales.choose(None, &al("fr-FR, es;q=0.5, en;q=0.7")), "en");
        assert_eq!(locales.choose(None, &al("de, fr")), "en");
        assert_eq!(locales.choose(Some("role=x&lang=es"), &al("en")), "es");
        assert_eq!(locales.choose(Some("lang=xx"), &al("es")), "es");
    }

    #[test]
    fn routes_name_their_step() {
        assert_eq!(Route::of("/"), Route::Start);
        assert_eq!(Route::of("/onboarding/abc/gateway"), Route::Step("gateway"));
        assert_eq!(Route::of("/onboarding/abc/submitted"), Route::Start);
        assert_eq!(Route::of("/drafts/"), Route::Start);
    }

    #[test]
    fn marked_texts_are_translated_and_escaped() {
        let html = "<html lang=\"en\"><body><div id=\"app-shell\"><a href=\"/\" data-i18n=\"app.name\">Partner onboarding</a>\
                    <!--shell:progress--><h1 class=\"heading-l\" data-i18n=\"start.title\">Customer onboardings</h1>\
                    <p class=\"body lead\" data-i18n=\"start.intro\">Onboard…</p><p data-i18n=\"no.such.key\">kept</p></div></body></html>";
        let locales = Locales::embedded();
        let es = render(html, &locales, "es", Route::Start);
        assert!(es.starts_with("<html lang=\"es\">"));
        assert!(es.contains(">Incorporación para socios</a>"), "{es}");
        assert!(es.contains(">Incorporaciones de clientes</h1>"), "{es}");
        assert!(es.contains(">kept</p>"));
        assert!(es.contains("<!--shell:progress-->"));
        let step = render(html, &locales, "en", Route::Step("sync"));
        assert!(step.contains(">Sync</h1>"), "{step}");
        assert!(step.contains("<nav class=\"stepper\" aria-label=\"Progress\">"));
        assert!(step.contains("aria-current=\"step\"><span class=\"stepper__label\"><span class=\"stepper__number\">3</span> Sync"));
        assert_eq!(step.matches("<li").count(), 4);
        // Each route's lead paragraph is the one the app draws there.
        assert!(
            es.contains("data-i18n=\"start.intro\">Incorpore un nuevo cliente empresarial"),
            "{es}"
        );
        for step_name in STEPS {
            let page = render(html, &locales, "en", Route::Step(step_name));
            let intro = locales
                .text("en", &format!("{step_name}.intro"))
                .expect("every step has an intro");
            assert!(
                page.contains(&format!(
                    "data-i18n=\"{step_name}.intro\">{}</p>",
                    onboarding_core::text::escape_html(intro)
                )),
                "{page}"
            );
        }
        let text = translate_marked("<b data-i18n=\"k\">x</b>", |_| Some("a<b>&\"c\""));
        assert_eq!(text, "<b data-i18n=\"k\">a&lt;b&gt;&amp;&quot;c&quot;</b>");
    }

    #[test]
    fn compressed_forms_only_when_smaller() {
        use Coding::*;
        let page = Encoded::new("<p>hello</p>".repeat(100));
        assert_eq!(page.pick(&[Br, Gzip, Identity]).0, Br);
        assert_eq!(page.pick(&[Gzip, Br, Identity]).0, Gzip);
        assert_eq!(page.pick(&[Identity]).0, Identity);
        let tiny = Encoded::new("x".into());
        assert_eq!(tiny.pick(&[Br, Gzip, Identity]).0, Identity);
    }
}
