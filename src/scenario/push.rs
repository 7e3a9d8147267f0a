//! The `site.client_push` section of a scenario file, as written: a Configuration
//! Manager site's client push installation settings (lineage-sources-2.md section 1).
//! Omitted, the site pushes nothing and every decision and finding is as before.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Text;

/// Client push installation at a Configuration Manager site.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a client push object")]
pub struct RawClientPush {
    /// Automatic site-wide client push (`CM-PUSH-AUTO`); omitted: off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic: Option<RawAutomaticPush>,
    /// Machines an administrator pushes the client to by hand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manual_targets: Vec<Text>,
    /// The client push installation accounts, `DOMAIN\name`, in the order the site tries
    /// them (`CM-PUSH-ORDER`, `X-CM-PUSH-LIST-ORDER`); empty: the site server's computer
    /// account alone (`CM-PUSH-COMPUTER`).
    #[serde(default)]
    pub accounts: Vec<Text>,
    /// The site's version, as its release is named (`2107`, `2303`).
    pub version: u32,
    /// How the site came to that version: a new installation or an upgrade.
    #[serde(default = "new_install")]
    pub install: RawInstall,
    /// Whether hotfix KB15599094 (or KB15498768) is installed: on 2103 to 2207 it makes a
    /// disabled NTLM fallback honoured (`CM-PUSH-NTLM-BUG`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub kb15599094: bool,
    /// "Allow connection fallback to NTLM"; omitted: its default for the version and
    /// install (`CM-PUSH-NTLM-DEFAULT`, `X-CM-PUSH-NTLM-UPGRADE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntlm_fallback: Option<bool>,
    /// Automatic site assignment of new clients (an ELEVATE-2/3 Requirement; off unless
    /// given).
    #[serde(default, skip_serializing_if = "is_false")]
    pub automatic_site_assignment: bool,
    /// Active Directory System Discovery, when on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_discovery: Option<RawSystemDiscovery>,
    /// Who may create DNS A records in the domains' zones; omitted: every account that
    /// authenticates (`X-CM-DNS-RECORDS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_record_creators: Option<Vec<Text>>,
    /// Machines that require SMB signing (`RequireSecuritySignature` = 1); the others do
    /// not (the ELEVATE write-ups' `[DEFAULT]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub smb_signing_required: Vec<Text>,
    /// Machines that refuse incoming NTLM (`RestrictReceivingNTLMTraffic`, `BlockNTLM`);
    /// the others accept it (the write-ups' `[DEFAULT]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ntlm_refused: Vec<Text>,
}

fn new_install() -> RawInstall {
    RawInstall::New
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How a site reached its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawInstall {
    /// Installed at this version.
    New,
    /// Upgraded from an earlier one.
    Upgrade,
}

/// Automatic site-wide push: the system types it installs on, and its boundaries.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAutomaticPush {
    /// Workstations (Windows clients).
    #[serde(default = "yes")]
    pub workstations: bool,
    /// Servers other than domain controllers.
    #[serde(default = "yes")]
    pub servers: bool,
    /// Domain controllers.
    #[serde(default)]
    pub domain_controllers: bool,
    /// The site's boundaries: machines and domains in scope; omitted: every machine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundaries: Option<Vec<Text>>,
}

fn yes() -> bool {
    true
}

/// Active Directory System Discovery.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSystemDiscovery {
    /// Whether its search path holds where new computer accounts are created (ELEVATE-3).
    pub covers_new_computers: bool,
}

/// An expected client push decision for one target.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a push expectation object")]
pub struct RawPushExpectation {
    /// The target machine.
    pub target: Text,
    /// The account that installs, `DOMAIN\name`, or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub installed_by: Option<Text>,
    /// The credentials tried, in order, each `DOMAIN\name over PROTOCOL`
    /// (`kerberos`, `ntlm`, `refused`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tried: Option<Vec<Text>>,
    /// The accounts whose NTLM authentication the target receives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ntlm_received: Option<Vec<Text>>,
    /// Why, with the source.
    pub because: Text,
}
