//! The Gateway step: platform, site and gateway MAC address.

use super::customer::{address, NAME_MAX};
use super::rules::Errors;
use crate::formats::normalize_mac;
use crate::model::{Gateway, PLATFORMS};
use crate::steps::SYNC_PLATFORMS;
use crate::text::is_blank;
use crate::{ErrorCode, FieldError};

pub fn validate_gateway(gateway: &Gateway) -> Vec<FieldError> {
    let mut e = Errors(Vec::new());
    e.choice("gateway.platform", &gateway.platform, |p| {
        PLATFORMS.contains(&p)
    });
    e.required_text("gateway.site_name", &gateway.site_name, NAME_MAX);
    if !gateway.site_same_as_customer {
        address(&mut e, "gateway.site_address", &gateway.site_address);
    }
    // SMBC and VA gateways are embedded or virtual: no hardware address. One typed before the
    // platform changed stays in the draft but is neither judged nor sent.
    let mac_needed = !SYNC_PLATFORMS.contains(&gateway.platform.as_str());
    if is_blank(&gateway.mac_address) {
        if mac_needed {
            e.push("gateway.mac_address", ErrorCode::Required);
        }
    } else if mac_needed
        && e.single_line("gateway.mac_address", &gateway.mac_address)
        && normalize_mac(&gateway.mac_address).is_none()
    {
        e.push("gateway.mac_address", ErrorCode::MacFormat);
    }
    e.0
}
