//! Private keys pasted into the certificate field (a PEM block labelled `... PRIVATE KEY`):
//! found in every flavour and however they are pasted, removed leaving the certificates, refused
//! by the Connect rules (browser and backend), and never sent nor stored.
//!
//! The fixtures were made with `openssl` and `ssh-keygen`, then their bodies scrambled (letters
//! rotated, digits shifted past the first 12 characters of each line): they look like keys and
//! are shaped like keys, but are none.

use onboarding_core::draft_codec::{decode, encode, StoredDraft};
use onboarding_core::formats::{holds_private_key, is_valid_certificate_pem, without_private_keys};
use onboarding_core::payload::{build, submitted_certificate, validate_submission};
use onboarding_core::validate::{validate_all, validate_connect};
use onboarding_core::{Draft, ErrorCode, FieldError};
use proptest::prelude::*;
use proptest::sample::select;

const PKCS8: &str = "\
-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDX7IjOPVRVScUv9NNbCl8siSejRayaw0lVoE83N0xkBpZEmqdFlKv
-----END PRIVATE KEY-----";

const RSA: &str = "\
-----BEGIN RSA PRIVATE KEY-----
MIIBOgIBAAJBNZ73MrX9tUxdT3Ag1YU9ncnvp07dGu9EnVYCi1sCd2rBlKj9wUff
hunWoqoNfBB0hj7bbZ59L1jfo2rBEmk/tS3PNjRNNDWONXVPpqxCbIiVcDEVHX7I
CZqFYrYNnmZfUjJwjmQXtSnFIgqcQ2AbchZglStGjw3NFcZe3+oObNWQN8+PUVYF
YMECIQD/ur0lJlyypayA9pVZKv5LfThs66//9+PItXuKfR4b0DVuNZ85UasSVatl
LC9pMSd1UB5mONJ/cxM0/QsoPftlG5CmNvNiKCliZVHbCg6fdHIkJCsgCX+FBFrH
kzYDOoLzSrpKnDVtC/5oNxqwbRvzMplsRj6y1Fi6Q/jgbmC/LmAEARL4GaHPVNfz
/6RxpfnHCTXwluxg18AuJMpk/eJHWoP4tGnue5Eb
-----END RSA PRIVATE KEY-----";

const RSA_ENCRYPTED: &str = "\
-----BEGIN RSA PRIVATE KEY-----
Proc-Type: 4,ENCRYPTED
DEK-Info: AES-128-CBC,33510F455E1A5985865C5D7598062DFB

0wT/OQ6rV3en2luFv9pxYSItnjtbnyU7q/qDLRFeNtpdKp7uH1MD8neUMNd9QeN6
qdjekIjTY6PGZ7r5QvPEgPUfwKBbIIlh0bWcZY+JZzjtaJrO5XFSgXt1Re2jG4KM
vQXOFCe4yubpaoC51511hgwIN4J8FJOHsEOh7TN7K4u6fnL2HsAkcWFYfhKyfkL7
i6bXxX1M3REHxXKjaCu8dZvsye/8yI1b3c+pNw/gdQwcPqSbb+DOmcUMT8GZ+2RP
T+DlN9/5KThjNJQaZ7pE/jNfN369cchXsmeWbZz4RNL7SdBRws/8D72J2QRS5Mj5
N/reqDK+jVnrHynlUFnRfMPFAgIZfYWT9UE1jl/22NPqSPZn8RRBZ7RJV3TOOaZp
flqYk/5bgUgMVEasV5TWZ7rxEi9ANm3dtukoRmFkTnZ=
-----END RSA PRIVATE KEY-----";

const EC: &str = "\
-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIF2rj5erHKYrgLHIsAAwccYa0X4JxzcnzLN4pd6kh2QmbNbTPPdTFZ94
AwEHoUQDQgAEBeIEFZ6Sr9D+qAGM7UC8Mk+v7t1iD998iI3CU3l3qyR6sRpDr0dP
eHnQ6KGwZr5wzYCN6+0d4LPfaA9PJI0U+j==
-----END EC PRIVATE KEY-----";

const DSA: &str = "\
-----BEGIN DSA PRIVATE KEY-----
MIIBygIBAAKBtDQUhcoOjeOiNXJVDR6wImyA19yhlVlvt5Gy8/FC0PaJUaR7MsU8
EJIGuZXShe765pqSzOHvrit0gYYhEgnwelupzUAQzH+fnk8zyKl7rOTPhucHur9Z
UDm0JYl1Hd6r+ishq8izUJjejwY2J5QRPfZK1xF6QdxiBO7O0ulh5aCEKDVqNXrm
MOUw3zTRaeplKbsB/5qCV0SqL6bgqaJsZHZPtLNZIngDpkGqXo56PKACkQk88Ph0
XcOzwnxeq2B26z/l78euCNEIHxLoFTJEIwUhHuIM12VjRj9flZsU6VKJaUzf1IKF
Hmc8pTVV0UnUk2eJahRISKQ1IszNwCBn295mj9oQIDJPs9GHYTYyTuvzMuPqkoHY
Z2smENHGTWtHULL+1NXOtQp8eW+Lzg3GF1QoZBm2HQPqGE1sI30Ag1wRRNH1pBlD
ojJEBkJ+9evinJTj4duCzaCUWsD0Fx/o0pbuzQ+VIepLs1MEzeZBa7iBrYGyN9yo
uLFwVEU+28LNeczui8k4lIVKonhbgb194RdavweTrNkbgUB8bg2Hr+W6rsrLLdWH
Ahx301iWV6Dmxsbjhokb9CTrTspuZauVQkIyOBBn
-----END DSA PRIVATE KEY-----";

const ENCRYPTED: &str = "\
-----BEGIN ENCRYPTED PRIVATE KEY-----
MIGbMFcGCSqGFVo8QDRSQGOXZPxTPFdTFVo8QDRSQQNpONw6VaGINPHYpDVPPNNj
DAYIKoZIhvcNNtxSNQNqOtytuxtOMDZRNFbRRXuX7t7ThYvX1jkpDg81MxLRDNl5
EKnRBuKb8K1nZvtN4tActEPFy+ALXTMdtjbOdkgwpwbonsGSvHs8A2F3dhqzTFQN
tL0s/cjsYhCM9jZJJzN=
-----END ENCRYPTED PRIVATE KEY-----";

const OPENSSH: &str = "\
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rMKxgqwRNNNNNOT0iozHNNNNRoz4hMDNNNNNNNNNONNNNZjNNNNgmp7tgMJ
QyNTUxOQAAACNLdVFwytUOhrJidPNrnfG0ZOs/ZNp9IgtjCxPg7TDWIjNNNVt4xnj6CMTf
NQAAAAtzc2gtMJDlAGHkBDNNNPNLdVFwytUOhrJidPNrnfG0ZOs/ZNp9IgtjCxPg7TDWIj
AAAEDGySF4KZQMxezYN44mi3PPxTESW95M5vPVtplSVVfrJkvbuXBJNpT00n+bVO0dkCxj
F/8wBzhW2DA+DX8LMNyKNNNNNNRPNjDS
-----END OPENSSH PRIVATE KEY-----";

const CERT: &str = "\
-----BEGIN CERTIFICATE-----
MIIBQDCB86ADAgECAhR5wJ7ILjLjMlje8/mR8/y46vFC4jAFBgMrZXAwFjEUMBIG
A1UEAwwLcGJ4LmV4YW1wbGUwHhcNMjYxMjA3MjAxOTMwWhcNMjYxMjA4MjAxOTMw
WjAWMRQwEgYDVQQDDAtwYnguZXhhbXBsZTAqMAUGAytlcAMhAFJ5AItgB6fGT+QQ
0IZqKVpeprmwxaG3RNc3i8ZP4qUKo1MwUTAdBgNVHQ4EFgQUg32P+xV7xtO55JEb
+iGUr0afymMwHwYDVR0jBBgwFoAUg32P+xV7xtO55JEb+iGUr0afymMwDwYDVR0T
AQH/BAUwAwEB/zAFBgMrZXADQQBTHgaDAXpYqjciMFtvrDl6S+XCBDjTkIOBHIPb
XObV+I9RmwZkMJRxhAzLGDliTjh1I/FKvtoh9CWVBQHmtOIO
-----END CERTIFICATE-----";

/// Every flavour of private key, by name.
const KEYS: [(&str, &str); 7] = [
    ("PKCS#8", PKCS8),
    ("RSA", RSA),
    ("RSA encrypted (Proc-Type, DEK-Info)", RSA_ENCRYPTED),
    ("EC", EC),
    ("DSA", DSA),
    ("PKCS#8 encrypted", ENCRYPTED),
    ("OpenSSH", OPENSSH),
];

/// The lines of a key's body (its secret material): none may survive.
fn body_lines(key: &str) -> Vec<&str> {
    key.lines()
        .filter(|l| !l.starts_with("-----") && !l.trim().is_empty())
        .collect()
}

fn assert_no_key_material(text: &str, key: &str) {
    for line in body_lines(key) {
        assert!(!text.contains(line), "{line:?} left in {text:?}");
    }
    assert!(!holds_private_key(text), "{text:?}");
}

fn valid_draft() -> Draft {
    let mut d = Draft::new(
        "3f0c9a52-1d7e-4b8a-9f0e-5a6b7c8d9e01",
        Some("partner-7".into()),
    );
    let c = &mut d.customer;
    c.name = "Panadería La Espiga".into();
    c.business_type = "retail".into();
    c.address.street = "Calle Mayor 1".into();
    c.address.city = "Zaragoza".into();
    c.address.postal_code = "50001".into();
    c.address.country = "ES".into();
    d.support_contacts[0].name = "Marta Gil".into();
    d.support_contacts[0].email = "marta@espiga.es".into();
    d.support_contacts[1].name = "Luis Pérez".into();
    d.support_contacts[1].email = "luis@espiga.es".into();
    d.gateway.platform = "mivoice_business".into();
    d.gateway.site_name = "Obrador".into();
    d.gateway.mac_address = "00:1A:2B:3C:4D:5E".into();
    d.pbx.host = "pbx.espiga.es".into();
    d.pbx.username = "admin".into();
    d.pbx.password = "s3cret".into();
    d.pbx.certificate_pem = CERT.into();
    d
}

fn one(path: &str, code: ErrorCode) -> Vec<FieldError> {
    vec![FieldError::new(path, code)]
}

// ---------------------------------------------------------------------------------------------
// Finding and removing
// ---------------------------------------------------------------------------------------------

#[test]
fn the_fixtures_are_what_they_claim() {
    assert!(is_valid_certificate_pem(CERT));
    assert_eq!(without_private_keys(CERT), None);
    for (name, key) in KEYS {
        assert!(key.contains("PRIVATE KEY-----"), "{name}");
        assert!(!body_lines(key).is_empty(), "{name}");
    }
    assert!(RSA_ENCRYPTED.contains("Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,"));
}

#[test]
fn every_flavour_is_found_and_removed_whole() {
    for (name, key) in KEYS {
        for pasted in [
            key.to_string(),
            format!("\n\n  {key}\n\n"),
            key.replace('\n', "\r\n"),
            format!("{}\r\n", key.replace('\n', "\r\n")),
        ] {
            assert!(holds_private_key(&pasted), "{name}: {pasted:?}");
            assert_eq!(
                without_private_keys(&pasted).as_deref(),
                Some(""),
                "{name}: {pasted:?}"
            );
        }
    }
}

#[test]
fn the_certificates_around_a_key_are_kept() {
    for (name, key) in KEYS {
        for (pasted, kept) in [
            (format!("{CERT}\n{key}\n"), CERT.to_string()),
            (format!("{key}\n{CERT}"), CERT.to_string()),
            (format!("{key}{CERT}"), CERT.to_string()),
            (
                format!("{CERT}\n\n{key}\n\n{CERT}\n"),
                format!("{CERT}\n{CERT}"),
            ),
            (
                format!("{CERT}\r\n{}\r\n{CERT}", key.replace('\n', "\r\n")),
                format!("{CERT}\n{CERT}"),
            ),
            (format!("{key}\n{key}\n{CERT}"), CERT.to_string()),
        ] {
            let cleaned = without_private_keys(&pasted).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(cleaned.replace("\r\n", "\n"), kept, "{name}: {pasted:?}");
            assert!(is_valid_certificate_pem(&cleaned), "{name}: {cleaned:?}");
            assert_no_key_material(&cleaned, key);
        }
    }
}

#[test]
fn a_half_pasted_key_is_still_a_key() {
    for (name, key) in KEYS {
        let end = key.find("-----END").unwrap();
        let without_end = &key[..end];
        // From the BEGIN line to the end of the text.
        assert_eq!(
            without_private_keys(without_end).as_deref(),
            Some(""),
            "{name}"
        );
        // Cut in the middle of its body.
        let cut = &key[..key.len() / 2];
        assert_eq!(without_private_keys(cut).as_deref(), Some(""), "{name}");
        assert_eq!(
            without_private_keys(&format!("{CERT}\n{cut}")).as_deref(),
            Some(CERT),
            "{name}"
        );
        // To the next BEGIN: the certificate after it is kept.
        let pasted = format!("{without_end}{CERT}");
        let cleaned = without_private_keys(&pasted).unwrap();
        assert_eq!(cleaned, CERT, "{name}");
        assert_no_key_material(&cleaned, key);
        // The END line without its BEGIN (the top not pasted): back to the previous block.
        let begin_line_end = key.find('\n').unwrap() + 1;
        let without_begin = &key[begin_line_end..];
        assert!(holds_private_key(without_begin), "{name}");
        assert_eq!(
            without_private_keys(without_begin).as_deref(),
            Some(""),
            "{name}"
        );
        let pasted = format!("{CERT}\n{without_begin}\n{CERT}");
        let cleaned = without_private_keys(&pasted).unwrap();
        assert_eq!(cleaned, format!("{CERT}\n{CERT}"), "{name}");
        assert_no_key_material(&cleaned, key);
    }
}

#[test]
fn markers_are_read_leniently() {
    let body = body_lines(RSA).join("\n");
    for pasted in [
        // Lower case, doubled spaces, a tab, few dashes, no trailing dashes.
        format!("-----begin rsa private key-----\n{body}\n-----end rsa private key-----"),
        format!("-----BEGIN RSA  PRIVATE   KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"),
        format!("-----BEGIN\tPRIVATE KEY-----\n{body}\n-----END\tPRIVATE KEY-----"),
        format!("---BEGIN RSA PRIVATE KEY---\n{body}\n---END RSA PRIVATE KEY---"),
        format!("-----BEGIN RSA PRIVATE KEY\n{body}\n-----END RSA PRIVATE KEY"),
        // On one line, as some text boxes flatten a paste.
        format!(
            "-----BEGIN RSA PRIVATE KEY-----{}-----END RSA PRIVATE KEY-----",
            body.replace('\n', "")
        ),
        format!(
            "-----BEGIN RSA PRIVATE KEY-----{} -----END RSA PRIVATE KEY-----",
            body.replace('\n', " ")
        ),
        // PGP's armour ends its label in `PRIVATE KEY BLOCK`: a secret all the same.
        format!(
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n{body}\n-----END PGP PRIVATE KEY BLOCK-----"
        ),
        // Mismatched labels.
        format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----"),
    ] {
        assert_eq!(
            without_private_keys(&pasted).as_deref(),
            Some(""),
            "{pasted:?}"
        );
        let with_cert = format!("{CERT}\n{pasted}\n{CERT}");
        assert_eq!(
            without_private_keys(&with_cert),
            Some(format!("{CERT}\n{CERT}")),
            "{pasted:?}"
        );
    }
}

#[test]
fn text_without_a_private_key_is_left_alone() {
    for text in [
        String::new(),
        "   \n".into(),
        CERT.into(),
        format!("{CERT}\n{CERT}"),
        "not a certificate".into(),
        "Ask the PBX admin: the private key stays on the PBX".into(),
        "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAUnkAi2AHp8ZP5BDQhmopWl6mubDFobdE1zeLxk/ipQo=\n-----END PUBLIC KEY-----".into(),
        "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----".into(),
        "-----BEGIN KEY PRIVATE-----\nMIIB\n-----END KEY PRIVATE-----".into(),
        "front-end private key store".into(),
        "-BEGINPRIVATE KEY".into(),
    ] {
        assert!(!holds_private_key(&text), "{text:?}");
        assert_eq!(without_private_keys(&text), None, "{text:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The Connect rule, the submission and the stored draft
// ---------------------------------------------------------------------------------------------

#[test]
fn connect_refuses_a_private_key_with_tls_on_or_off() {
    for (name, key) in KEYS {
        for use_tls in [true, false] {
            for text in [
                key.to_string(),
                format!("{CERT}\n{key}"),
                format!("{key}\n{CERT}"),
                key[..key.len() / 2].to_string(),
            ] {
                let mut d = valid_draft();
                d.pbx.use_tls = use_tls;
                d.pbx.certificate_pem = text;
                assert_eq!(
                    validate_connect(&d.pbx),
                    one("pbx.certificate_pem", ErrorCode::PrivateKey),
                    "{name} tls={use_tls}"
                );
                assert_eq!(
                    validate_all(&d),
                    one("pbx.certificate_pem", ErrorCode::PrivateKey),
                    "{name} tls={use_tls}"
                );
            }
        }
    }
    // The key is named even when the text is also over the length limit.
    let mut d = valid_draft();
    d.pbx.certificate_pem = format!("{}\n{RSA}", "x".repeat(70_000));
    assert_eq!(
        validate_connect(&d.pbx),
        one("pbx.certificate_pem", ErrorCode::PrivateKey)
    );
}

#[test]
fn what_remains_after_removing_the_key_passes() {
    for (name, key) in KEYS {
        let mut d = valid_draft();
        d.pbx.certificate_pem = without_private_keys(&format!("{CERT}\n{key}")).unwrap();
        assert_eq!(validate_connect(&d.pbx), vec![], "{name}");
    }
}

#[test]
fn the_submission_never_carries_a_private_key() {
    for (name, key) in KEYS {
        for (typed, sent) in [
            (format!("{CERT}\n{key}"), Some(CERT.to_string())),
            (format!("{key}\n\n{CERT}\n"), Some(CERT.to_string())),
            (key.to_string(), None),
            (format!("  {key}  "), None),
        ] {
            let mut d = valid_draft();
            d.pbx.certificate_pem = typed.clone();
            assert_eq!(submitted_certificate(&d.pbx), sent, "{name}");
            let body = serde_json::to_string(&build(&d)).unwrap();
            for line in body_lines(key) {
                assert!(!body.contains(line), "{name}: {line:?}");
            }
            assert!(!body.contains("PRIVATE"), "{name}");
        }
    }
}

#[test]
fn the_backend_refuses_a_private_key_once_whatever_tls_says() {
    for (name, key) in KEYS {
        for use_tls in [true, false] {
            let mut s = build(&valid_draft());
            let pbx = s.pbx.as_mut().unwrap();
            pbx.use_tls = use_tls;
            pbx.certificate_pem = Some(format!("{CERT}\n{key}"));
            assert_eq!(
                validate_submission(&s),
                one("pbx.certificate_pem", ErrorCode::PrivateKey),
                "{name} tls={use_tls}"
            );
        }
    }
}

#[test]
fn a_stored_draft_never_holds_a_private_key() {
    for (name, key) in KEYS {
        let mut working = valid_draft();
        working.pbx.certificate_pem = format!("{CERT}\n{key}");
        let mut saved = working.clone();
        saved.pbx.certificate_pem = key.to_string();
        let mut stored = StoredDraft::new(working, 1_700_000_000_000.0);
        stored.saved = Some(saved);
        let text = encode(&stored);
        for line in body_lines(key) {
            assert!(!text.contains(line), "{name}: {line:?}");
        }
        let back = decode(&text).unwrap();
        assert_eq!(back.working.pbx.certificate_pem, CERT, "{name}");
        assert_eq!(back.saved.unwrap().pbx.certificate_pem, "", "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// Text made of PEM-ish fragments: markers of every kind, labels, base64, line breaks.
fn pem_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("-----BEGIN ".to_string()),
            Just("-----END ".to_string()),
            Just("-----".to_string()),
            Just("-".to_string()),
            Just("PRIVATE KEY".to_string()),
            Just("RSA ".to_string()),
            Just("CERTIFICATE".to_string()),
            Just("begin ".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just(" ".to_string()),
            Just(CERT.to_string()),
            "[A-Za-z0-9+/=]{0,12}",
            any::<char>().prop_map(String::from),
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Removing leaves no key behind, and the detector agrees with the remover.
    #[test]
    fn nothing_of_a_key_survives_its_removal(text in pem_soup()) {
        let cleaned = without_private_keys(&text);
        prop_assert_eq!(holds_private_key(&text), cleaned.is_some());
        if let Some(cleaned) = cleaned {
            prop_assert!(!holds_private_key(&cleaned), "{:?} -> {:?}", text, cleaned);
            prop_assert!(cleaned.len() < text.len());
        }
    }

    /// Whatever surrounds a key, none of its body is left and the certificates are.
    #[test]
    fn a_key_amid_any_text_is_removed_and_the_certificates_kept(
        before in pem_soup(),
        after in pem_soup(),
        (name, key) in select(KEYS.to_vec()),
        crlf in any::<bool>(),
    ) {
        let key = if crlf { key.replace('\n', "\r\n") } else { key.to_string() };
        let text = format!("{before}\n{key}\n{after}");
        let cleaned = without_private_keys(&text).unwrap();
        for line in body_lines(&key) {
            prop_assert!(!cleaned.contains(line.trim()), "{}: {:?}", name, cleaned);
        }
        prop_assert!(!holds_private_key(&cleaned));
        // Certificates standing apart from any key are all still there.
        let certs_in = |t: &str| t.matches(CERT).count();
        if !holds_private_key(&before) && !holds_private_key(&after) {
            prop_assert_eq!(certs_in(&cleaned), certs_in(&before) + certs_in(&after));
        }
    }
}
