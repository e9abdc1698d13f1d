//! English sentences for the `message` of each error entry. The wizard shows its own translated
//! text by `code`; these are for anyone else reading the API's answers (logs, other clients).

use onboarding_core::countries::{postal_code_form, PostalCodeForm};
use onboarding_core::ErrorCode;

/// A sentence for a field rule failing at `path` (API paths, rows 0-based; sentences count
/// rows from 1 as the wizard does).
pub fn field_message(path: &str, code: &ErrorCode) -> String {
    match code {
        ErrorCode::Required if is_section(path) => {
            format!(
                "Complete the {} section: this platform needs it",
                section_name(path)
            )
        }
        ErrorCode::Invalid if is_section(path) => {
            format!(
                "Leave out the {} section: this platform does not use it",
                section_name(path)
            )
        }
        ErrorCode::Required => "Enter a value".into(),
        ErrorCode::TooLong { max, len: None } => format!("Enter {max} characters or fewer"),
        ErrorCode::TooLong {
            max,
            len: Some(len),
        } => format!("Enter {max} characters or fewer: this answer has {len}"),
        ErrorCode::EmailFormat => {
            "Enter an email address in the correct format, like name@example.com".into()
        }
        ErrorCode::PostalCodeFormat { country } => {
            match country.and_then(|c| postal_code_form(c.as_str())) {
                Some(PostalCodeForm::Digits {
                    count,
                    example,
                    alternative: Some(alternative),
                }) => format!(
                    "Enter a postal code of {count} digits, like {example}, or like {alternative}"
                ),
                Some(PostalCodeForm::Digits { count, example, .. }) => {
                    format!("Enter a postal code of {count} digits, like {example}")
                }
                Some(PostalCodeForm::Pattern { example }) => {
                    format!("Enter a postal code like {example}")
                }
                None => "Enter a real postal or ZIP code for the country".into(),
            }
        }
        ErrorCode::InvalidChoice => "Choose one of the allowed values".into(),
        ErrorCode::DuplicateEmail { first } => format!(
            "This email address is already used by admin contact {}",
            first + 1
        ),
        ErrorCode::MissingMaintainer => "Add at least one Maintainer".into(),
        ErrorCode::MissingOnsiteAdmin => "Add at least one On-site administrator".into(),
        ErrorCode::DuplicateSupportContact { row, first } => format!(
            "Support contact {} has the same role and email address as support contact {}",
            row + 1,
            first + 1
        ),
        ErrorCode::MacFormat => {
            "Enter a MAC address as 6 pairs of digits or letters A to F, like AA:BB:CC:DD:EE:FF"
                .into()
        }
        ErrorCode::HostFormat => "Enter an IPv4 address, an IPv6 address or a host name".into(),
        ErrorCode::PortRange => "Enter a whole number from 1 to 65535".into(),
        ErrorCode::CertificateFormat => {
            "Enter one or more PEM certificates, each starting with -----BEGIN CERTIFICATE-----"
                .into()
        }
        ErrorCode::PrivateKey => {
            "Remove the private key: enter only the PBX's certificate, never its private key".into()
        }
        ErrorCode::ControlCharacters => {
            "Remove the control characters (such as tabs, line breaks or NUL) from this answer"
                .into()
        }
        ErrorCode::Invalid => "This value is not valid here".into(),
        ErrorCode::Rejected => "This value was rejected".into(),
    }
}

fn is_section(path: &str) -> bool {
    matches!(path, "pbx" | "sync")
}

fn section_name(path: &str) -> &'static str {
    if path == "pbx" {
        "PBX"
    } else {
        "Sync"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onboarding_core::countries::CountryCode;

    #[test]
    fn sections_and_parameters_are_spelled_out() {
        assert_eq!(
            field_message("pbx", &ErrorCode::Required),
            "Complete the PBX section: this platform needs it"
        );
        assert_eq!(
            field_message("customer.name", &ErrorCode::Required),
            "Enter a value"
        );
        assert_eq!(
            field_message(
                "customer.name",
                &ErrorCode::TooLong {
                    max: 100,
                    len: Some(155)
                }
            ),
            "Enter 100 characters or fewer: this answer has 155"
        );
        assert_eq!(
            field_message(
                "customer.name",
                &ErrorCode::TooLong {
                    max: 100,
                    len: None
                }
            ),
            "Enter 100 characters or fewer"
        );
        assert_eq!(
            field_message(
                "support_contacts",
                &ErrorCode::DuplicateSupportContact { row: 2, first: 0 }
            ),
            "Support contact 3 has the same role and email address as support contact 1"
        );
    }

    #[test]
    fn the_postal_code_message_gives_the_country_s_form() {
        let postal = |country: &str| {
            field_message(
                "customer.address.postal_code",
                &ErrorCode::PostalCodeFormat {
                    country: CountryCode::new(country),
                },
            )
        };
        assert_eq!(postal("ES"), "Enter a postal code of 5 digits, like 28013");
        assert_eq!(
            postal("US"),
            "Enter a postal code of 5 digits, like 12345, or like 12345-6789"
        );
        assert_eq!(postal("AU"), "Enter a postal code of 4 digits, like 2000");
        assert_eq!(postal("GB"), "Enter a postal code like SW1A 1AA");
        assert_eq!(postal("CA"), "Enter a postal code like A1A 1A1");
        assert_eq!(postal("NL"), "Enter a postal code like 1234 AB");
        // No country, or one whose codes are not checked by form: the general sentence.
        for country in ["", "SE"] {
            assert_eq!(
                postal(country),
                "Enter a real postal or ZIP code for the country"
            );
        }
        assert_eq!(
            field_message("pbx.certificate_pem", &ErrorCode::PrivateKey),
            "Remove the private key: enter only the PBX's certificate, never its private key"
        );
    }
}
