//! Field-level rules that several steps share.

use email_address::{EmailAddress, Options};

use crate::text::{has_control_chars, is_blank, trimmed_len};
use crate::{ErrorCode, FieldError};

/// A mailbox as partners type it: `name@example.com`. No display names (`Ann <a@b.c>`), no IP
/// literals, and the domain needs a dot, because a typo like `ann@example` is far likelier
/// than a dotless host. Invisible characters (a pasted no-break or zero-width space) and
/// domains that cannot be host names are rejected too: such addresses never deliver.
pub fn is_valid_email(value: &str) -> bool {
    let options = Options {
        minimum_sub_domains: 2,
        allow_domain_literal: false,
        allow_display_text: false,
        ..Options::default()
    };
    let value = value.trim();
    let invisible = |c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}')
    };
    let host_name = |domain: &str| {
        domain.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
    };
    EmailAddress::parse_with_options(value, options).is_ok()
        && !value.ends_with('.')
        && !value.chars().any(invisible)
        && value
            .rsplit_once('@')
            .is_some_and(|(_, domain)| host_name(domain))
}

/// Collects a step's errors in page order.
pub(crate) struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, path: impl Into<String>, code: ErrorCode) {
        self.0.push(FieldError::new(path, code));
    }

    /// Required single-line text with a length limit; returns true when the field passed.
    pub fn required_text(&mut self, path: &str, value: &str, max: usize) -> bool {
        if is_blank(value) {
            self.push(path, ErrorCode::Required);
            false
        } else {
            self.single_line(path, value) && self.max_len(path, value, max)
        }
    }

    /// Optional single-line text with a length limit.
    pub fn optional_text(&mut self, path: &str, value: &str, max: usize) -> bool {
        is_blank(value) || (self.single_line(path, value) && self.max_len(path, value, max))
    }

    /// A length limit alone (the multi-line certificate; single-line text goes through
    /// `required_text` / `optional_text`, which check control characters first).
    pub fn max_len(&mut self, path: &str, value: &str, max: usize) -> bool {
        let len = trimmed_len(value);
        let ok = len <= max;
        if !ok {
            self.push(
                path,
                ErrorCode::TooLong {
                    max,
                    len: Some(len),
                },
            );
        }
        ok
    }

    /// A single-line answer holds no C0/C1 control character (tab, line break, NUL, escape)
    /// once surrounding whitespace is trimmed; returns true when it passed. Reported as
    /// [`ErrorCode::ControlCharacters`] on the field.
    pub fn single_line(&mut self, path: &str, value: &str) -> bool {
        let ok = !has_control_chars(value);
        if !ok {
            self.push(path, ErrorCode::ControlCharacters);
        }
        ok
    }

    /// Required email address of at most 254 characters.
    pub fn email(&mut self, path: &str, value: &str) -> bool {
        if !self.required_text(path, value, 254) {
            return false;
        }
        let ok = is_valid_email(value);
        if !ok {
            self.push(path, ErrorCode::EmailFormat);
        }
        ok
    }

    /// A required choice from a closed list.
    pub fn choice(&mut self, path: &str, value: &str, allowed: impl Fn(&str) -> bool) {
        if value.is_empty() {
            self.push(path, ErrorCode::Required);
        } else if !allowed(value) {
            self.push(path, ErrorCode::InvalidChoice);
        }
    }
}
