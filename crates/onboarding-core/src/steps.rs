//! The step graph: which steps the wizard shows, in which order, for which platform.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepId {
    #[default]
    Customer,
    Gateway,
    Pbx,
    Connect,
    Sync,
    Review,
}

/// Platforms (contract keys) that decide the path through the wizard.
pub const SYNC_PLATFORMS: &[&str] = &["smbc", "va"];

const PBX_PATH: &[StepId] = &[
    StepId::Customer,
    StepId::Gateway,
    StepId::Pbx,
    StepId::Connect,
    StepId::Review,
];
const SYNC_PATH: &[StepId] = &[
    StepId::Customer,
    StepId::Gateway,
    StepId::Sync,
    StepId::Review,
];

impl StepId {
    pub const ALL: [StepId; 6] = [
        StepId::Customer,
        StepId::Gateway,
        StepId::Pbx,
        StepId::Connect,
        StepId::Sync,
        StepId::Review,
    ];

    /// The URL segment: `/onboarding/:draft_id/<slug>`.
    pub fn slug(self) -> &'static str {
        match self {
            StepId::Customer => "customer",
            StepId::Gateway => "gateway",
            StepId::Pbx => "pbx",
            StepId::Connect => "connect",
            StepId::Sync => "sync",
            StepId::Review => "review",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.slug() == slug)
    }
}

/// The steps shown for a platform key; an unchosen platform takes the PBX · Connect path.
pub fn steps_for(platform: Option<&str>) -> &'static [StepId] {
    match platform {
        Some(p) if SYNC_PLATFORMS.contains(&p) => SYNC_PATH,
        _ => PBX_PATH,
    }
}

pub fn next_step(step: StepId, platform: Option<&str>) -> Option<StepId> {
    let path = steps_for(platform);
    let at = path.iter().position(|s| *s == step)?;
    path.get(at + 1).copied()
}

pub fn previous_step(step: StepId, platform: Option<&str>) -> Option<StepId> {
    let path = steps_for(platform);
    let at = path.iter().position(|s| *s == step)?;
    at.checked_sub(1).map(|i| path[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_is_pbx_and_connect() {
        assert_eq!(steps_for(None), PBX_PATH);
        assert_eq!(steps_for(Some("mivoice_business")), PBX_PATH);
        assert_eq!(next_step(StepId::Customer, None), Some(StepId::Gateway));
        assert_eq!(next_step(StepId::Gateway, None), Some(StepId::Pbx));
    }

    #[test]
    fn smbc_and_va_use_sync_instead_of_pbx_and_connect() {
        for p in ["smbc", "va"] {
            assert_eq!(steps_for(Some(p)), SYNC_PATH);
            assert_eq!(next_step(StepId::Gateway, Some(p)), Some(StepId::Sync));
            assert_eq!(previous_step(StepId::Review, Some(p)), Some(StepId::Sync));
        }
    }

    #[test]
    fn ends_have_no_neighbour_and_slugs_round_trip() {
        assert_eq!(previous_step(StepId::Customer, None), None);
        assert_eq!(next_step(StepId::Review, None), None);
        for s in StepId::ALL {
            assert_eq!(StepId::from_slug(s.slug()), Some(s));
        }
        assert_eq!(StepId::from_slug("nope"), None);
    }
}
