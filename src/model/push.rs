//! Client push installation at a Configuration Manager site (lineage-sources-2.md section
//! 1): which machines the site pushes to, with which accounts in which order, and what
//! decides whether NTLM may carry an attempt. `None` at every site that does not push.

use super::{AccountId, MachineId, Platform};
use crate::rules::RuleId;

/// A site's client push settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientPush {
    /// Automatic site-wide push, when on (`CM-PUSH-AUTO`).
    pub automatic: Option<AutomaticPush>,
    /// Machines pushed to by hand.
    pub manual_targets: Vec<MachineId>,
    /// The push accounts, in the order tried (`CM-PUSH-ORDER`, `X-CM-PUSH-LIST-ORDER`).
    pub accounts: Vec<AccountId>,
    /// The site's version (`2107`, `2303`).
    pub version: u32,
    /// Whether the site was installed at this version (not upgraded to it).
    pub new_install: bool,
    /// Whether KB15599094 (or KB15498768) is installed.
    pub hotfix: bool,
    /// "Allow connection fallback to NTLM" as set; `None`: its default.
    pub ntlm_fallback: Option<bool>,
    /// Automatic site assignment of new clients (an ELEVATE-2/3 Requirement).
    pub automatic_site_assignment: bool,
    /// AD System Discovery whose search path covers new computer accounts (ELEVATE-3);
    /// `None`: discovery off.
    pub discovery_covers_new_computers: Option<bool>,
    /// Who may create DNS A records; `None`: every account that authenticates
    /// (`X-CM-DNS-RECORDS`).
    pub dns_record_creators: Option<Vec<AccountId>>,
    /// Machines that require SMB signing; the others do not (the ELEVATE write-ups'
    /// `[DEFAULT]`): a relay of ELEVATE-2/3 reaches them.
    pub smb_signing_required: Vec<MachineId>,
    /// Machines that refuse incoming NTLM; the others accept it (the write-ups'
    /// `[DEFAULT]`).
    pub ntlm_refused: Vec<MachineId>,
}

/// Automatic site-wide push: its system types and boundaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutomaticPush {
    /// Workstations.
    pub workstations: bool,
    /// Servers other than DCs.
    pub servers: bool,
    /// Domain controllers.
    pub domain_controllers: bool,
    /// Machines in scope; `None`: every machine of the estate.
    pub boundaries: Option<Vec<MachineId>>,
}

impl AutomaticPush {
    /// Whether a machine of `platform` is of a selected system type.
    pub fn selects(&self, platform: Platform) -> bool {
        if platform.is_dc() {
            self.domain_controllers
        } else if platform == Platform::WindowsServer {
            self.servers
        } else {
            self.workstations
        }
    }
}

/// Whether NTLM may carry a push attempt that Kerberos cannot, and the rule that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NtlmAllowed {
    /// Whether it may.
    pub allowed: bool,
    /// Why.
    pub rule: RuleId,
}

impl ClientPush {
    /// The fallback setting in force: as set, else its default (`CM-PUSH-NTLM-DEFAULT`:
    /// on from 1806, off on a new 2207+ installation; `X-CM-PUSH-NTLM-UPGRADE`: an
    /// upgraded site keeps the earlier default, on).
    pub fn fallback(&self) -> (bool, RuleId) {
        match self.ntlm_fallback {
            Some(on) => (on, RuleId::CmPushKerberos),
            None if self.new_install && self.version >= 2207 => (false, RuleId::CmPushNtlmDefault),
            None if self.new_install || self.version < 2207 => (true, RuleId::CmPushNtlmDefault),
            None => (true, RuleId::XCmPushNtlmUpgrade),
        }
    }

    /// Whether NTLM may carry an attempt Kerberos cannot: before 1806 there is no Kerberos
    /// check; a fallback that is on allows it; one that is off is not honoured before
    /// 2103 (`X-CM-PUSH-NTLM-PRE2103`) nor on 2103 to 2207 without the hotfix, unless the
    /// site was installed new at 2207 (`CM-PUSH-NTLM-BUG`).
    pub fn ntlm(&self) -> NtlmAllowed {
        let allowed = |allowed, rule| NtlmAllowed { allowed, rule };
        if self.version < 1806 {
            return allowed(true, RuleId::CmPushKerberos);
        }
        match self.fallback() {
            (true, rule) => allowed(true, rule),
            (false, _) if self.version < 2103 => allowed(true, RuleId::XCmPushNtlmPre2103),
            (false, _)
                if self.version <= 2207
                    && !self.hotfix
                    && !(self.new_install && self.version == 2207) =>
            {
                allowed(true, RuleId::CmPushNtlmBug)
            }
            (false, rule) => allowed(false, rule),
        }
    }
}
