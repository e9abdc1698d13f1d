//! The PBX and Connect steps (platforms other than SMBC/VA). The API nests both under `pbx`.

use super::rules::Errors;
use crate::formats::{holds_private_key, is_valid_certificate_pem, is_valid_host, parse_port};
use crate::model::Pbx;
use crate::text::{is_blank, is_control};
use crate::{ErrorCode, FieldError};

pub const HOST_MAX: usize = 253;
pub const USERNAME_MAX: usize = 100;
pub const PASSWORD_MAX: usize = 256;
pub const CERTIFICATE_MAX: usize = 65_536;

pub fn validate_pbx(pbx: &Pbx) -> Vec<FieldError> {
    let mut e = Errors(Vec::new());
    if e.required_text("pbx.host", &pbx.host, HOST_MAX) && !is_valid_host(&pbx.host) {
        e.push("pbx.host", ErrorCode::HostFormat);
    }
    if e.single_line("pbx.port", &pbx.port) && parse_port(&pbx.port).is_err() {
        e.push("pbx.port", ErrorCode::PortRange);
    }
    e.required_text("pbx.username", &pbx.username, USERNAME_MAX);
    // A password is used exactly as typed: spaces may be part of it, so only "empty" is missing.
    // Nothing is trimmed, so a control character anywhere in it is one (a pasted tab or line
    // break; a keyboard cannot type them into a password field).
    if pbx.password.is_empty() {
        e.push("pbx.password", ErrorCode::Required);
    } else if pbx.password.chars().any(is_control) {
        e.push("pbx.password", ErrorCode::ControlCharacters);
    } else if pbx.password.chars().count() > PASSWORD_MAX {
        // Counted untrimmed, as the password is used.
        let len = pbx.password.chars().count();
        e.push(
            "pbx.password",
            ErrorCode::TooLong {
                max: PASSWORD_MAX,
                len: Some(len),
            },
        );
    }
    e.0
}

/// The certificate is the one multi-line answer: line breaks (and any other character) inside
/// it are the PEM format's business, so the control-character rule does not apply.
///
/// A private key in it is refused whatever else holds (a secret must be neither stored nor
/// sent), and whether TLS is on or not. Otherwise, with TLS off the certificate is neither
/// judged nor sent (as a MAC address on SMBC/VA): one typed before TLS was switched off stays
/// in the draft for when it is switched back on.
pub fn validate_connect(pbx: &Pbx) -> Vec<FieldError> {
    let mut e = Errors(Vec::new());
    if holds_private_key(&pbx.certificate_pem) {
        e.push("pbx.certificate_pem", ErrorCode::PrivateKey);
    } else if pbx.use_tls
        && !is_blank(&pbx.certificate_pem)
        && e.max_len("pbx.certificate_pem", &pbx.certificate_pem, CERTIFICATE_MAX)
        && !is_valid_certificate_pem(&pbx.certificate_pem)
    {
        e.push("pbx.certificate_pem", ErrorCode::CertificateFormat);
    }
    e.0
}
