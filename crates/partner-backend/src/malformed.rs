//! Reading a request body as a submission, with a `malformed` refusal that names the field
//! and what it must be — and nothing else. serde's own messages quote the value sent
//! (`invalid type: string "hunter2", expected i64`) and name Rust types (`struct SubmittedPbx`,
//! `u32`); a value sent in the wrong field may be a password, and the answer goes back through
//! proxies and logs, so neither is ever passed on.

use serde::de::DeserializeOwned;

/// A body that is not of the submission's shape: the API path of the field at fault (`""` for
/// the body as a whole) and an English sentence built here, never from the value sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub field: String,
    pub message: String,
}

/// Parses `body` as a `T`, or says which field does not fit.
pub fn from_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Malformed> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value: T = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| describe(e.path().to_string(), e.inner()))?;
    // Trailing bytes after the value are a syntax error of the body as a whole.
    deserializer
        .end()
        .map_err(|e| describe(String::new(), &e))?;
    Ok(value)
}

fn describe(path: String, e: &serde_json::Error) -> Malformed {
    use serde_json::error::Category;
    // serde_path_to_error writes the root as "."; serde reads a struct from a JSON array too,
    // so a path into a top-level array (`[0]`) is a body that is not an object.
    if path.starts_with('[') && e.classify() == serde_json::error::Category::Data {
        return Malformed {
            field: String::new(),
            message: "The request body must be an object".into(),
        };
    }
    let path = if path == "." { String::new() } else { path };
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => Malformed {
            field: String::new(),
            message: format!(
                "The request body is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        },
        Category::Data => {
            let text = e.to_string();
            // `missing field `x`` and `duplicate field `x``: the name comes from the
            // submission's own definition, never from the body.
            for (prefix, sentence) in [
                ("missing field `", "is required"),
                ("duplicate field `", "is sent more than once"),
            ] {
                if let Some(name) = text.strip_prefix(prefix).and_then(|r| r.split('`').next()) {
                    if is_field_name(name) {
                        let field = join(&path, name);
                        let message = format!("{field} {sentence}");
                        return Malformed { field, message };
                    }
                }
            }
            let expected = text
                .split_once(", expected ")
                .map(|(_, rest)| rest.split(" at line ").next().unwrap_or(rest))
                .map(plain_kind)
                .unwrap_or("of another type");
            let message = if path.is_empty() {
                format!("The request body must be {expected}")
            } else {
                format!("{path} must be {expected}")
            };
            Malformed {
                field: path,
                message,
            }
        }
    }
}

/// serde's description of the expected type, in words a client's developer reads without
/// knowing Rust. Anything unrecognised becomes a neutral phrase, so no type name slips out.
fn plain_kind(expected: &str) -> &'static str {
    match expected {
        "a string" => "text",
        "a boolean" => "true or false",
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" | "isize"
        | "usize" => "a whole number",
        "f32" | "f64" => "a number",
        "a sequence" => "a list",
        "option" => "a value or null",
        other if other.starts_with("struct ") || other.starts_with("a map") => "an object",
        _ => "of another type",
    }
}

fn is_field_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onboarding_core::payload::Submission;
    use serde_json::json;

    fn valid() -> serde_json::Value {
        json!({"schema_version": 1, "draft_id": "d", "partner_id": null,
            "customer": {"name": "n", "business_type": "b", "default_language": null,
                "address": {"street": "", "street2": "", "city": "", "region": "",
                    "postal_code": "", "country": "ES"}},
            "admin_contacts": [], "support_contacts": [],
            "gateway": {"platform": "p", "site_name": "s", "site_address": null, "mac_address": null},
            "pbx": {"host": "h", "port": 443, "username": "u", "password": "p", "use_tls": true,
                "certificate_pem": null},
            "sync": null})
    }

    fn refusal(body: &str) -> Malformed {
        from_json::<Submission>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn the_base_parses() {
        from_json::<Submission>(valid().to_string().as_bytes()).unwrap();
    }

    #[test]
    fn a_wrong_type_names_the_field_and_echoes_nothing() {
        let secret = "Hunter2-Zebra-Quartz";
        for (pointer, field, message) in [
            ("/pbx/port", "pbx.port", "pbx.port must be a whole number"),
            (
                "/pbx/use_tls",
                "pbx.use_tls",
                "pbx.use_tls must be true or false",
            ),
            (
                "/schema_version",
                "schema_version",
                "schema_version must be a whole number",
            ),
            (
                "/admin_contacts",
                "admin_contacts",
                "admin_contacts must be a list",
            ),
            ("/pbx", "pbx", "pbx must be an object"),
        ] {
            let mut body = valid();
            *body.pointer_mut(pointer).unwrap() = json!(secret);
            let refused = refusal(&body.to_string());
            assert_eq!(
                (refused.field.as_str(), refused.message.as_str()),
                (field, message)
            );
        }
        let mut body = valid();
        body["customer"]["name"] = json!(12345678);
        let refused = refusal(&body.to_string());
        assert_eq!(refused.message, "customer.name must be text");
        assert!(!refused.message.contains("12345678"));
    }

    #[test]
    fn missing_fields_rows_and_syntax() {
        let mut body = valid();
        body["pbx"].as_object_mut().unwrap().remove("password");
        assert_eq!(
            refusal(&body.to_string()),
            Malformed {
                field: "pbx.password".into(),
                message: "pbx.password is required".into()
            }
        );
        let mut body = valid();
        body["admin_contacts"] = json!([{"first_name": "a", "last_name": "b", "email": ["x"]}]);
        assert_eq!(refusal(&body.to_string()).field, "admin_contacts[0].email");
        let refused = refusal("[\"Hunter2-Zebra-Quartz\"]");
        assert_eq!(refused.field, "");
        assert_eq!(refused.message, "The request body must be an object");
        let refused = refusal("{\"schema_version\": 1, \"pbx\": \"Hunter2-Zebra-Quartz");
        assert_eq!(refused.field, "");
        assert!(
            refused
                .message
                .starts_with("The request body is not valid JSON"),
            "{refused:?}"
        );
        assert!(refusal(&format!("{} x", valid()))
            .message
            .contains("not valid JSON"));
        assert_eq!(refusal("[]").message, "The request body must be an object");
        for refused in [refusal(""), refusal("{\"schema_version\": \"Hunter2\"}")] {
            assert!(!refused.message.contains("Hunter2") && !refused.message.contains("u32"));
        }
    }
}
