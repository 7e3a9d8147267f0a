//! The facts a collection could not establish (a scenario's `unknown` section): the
//! network access accounts of an unprivileged run, the local Administrators of a host the
//! collector did not reach, a domain's quota. The analysis goes on with what the file
//! gives (or the stated default), `validate` warns about each, and a finding names what
//! it could not assess (`X-UNKNOWN`), rather than under-reporting silently.

use super::{DomainId, Estate, MachineId, Text};

/// A fact the scenario marks unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnknownFact {
    /// The site's network access accounts (CRED-2, CRED-3, CRED-5 rest on them).
    NetworkAccessAccounts,
    /// The accounts the site used before (CRED-4).
    PreviousNetworkAccessAccounts,
    /// How the site approves clients (CRED-2).
    Approval,
    /// Whether the site uses Enhanced HTTP.
    EnhancedHttp,
    /// Which distribution points allow anonymous connections.
    AnonymousDistributionPoints,
    /// Who is in a machine's local Administrators group.
    Administrators(MachineId),
    /// A domain's MachineAccountQuota (CRED-2).
    MachineAccountQuota(DomainId),
    /// Who holds a domain's "Add workstations to domain" right (CRED-2).
    AddWorkstations(DomainId),
    /// Which domains a domain trusts.
    Trusts(DomainId),
    /// The site's task sequences, deployments and collection variables (CRED-1 to
    /// CRED-4 for them).
    PolicySecrets,
    /// A PXE-enabled distribution point's PXE password and network segments (CRED-1).
    Pxe(MachineId),
}

impl UnknownFact {
    /// The fact's key in a scenario file.
    pub const fn key(self) -> &'static str {
        match self {
            UnknownFact::NetworkAccessAccounts => "network_access_accounts",
            UnknownFact::PreviousNetworkAccessAccounts => "previous_network_access_accounts",
            UnknownFact::Approval => "approval",
            UnknownFact::EnhancedHttp => "enhanced_http",
            UnknownFact::AnonymousDistributionPoints => "anonymous_distribution_points",
            UnknownFact::Administrators(_) => "administrators",
            UnknownFact::MachineAccountQuota(_) => "machine_account_quota",
            UnknownFact::AddWorkstations(_) => "add_workstations",
            UnknownFact::Trusts(_) => "trusts",
            UnknownFact::PolicySecrets => "policy_secrets",
            UnknownFact::Pxe(_) => "pxe",
        }
    }

    /// What the analysis could not assess because of it, in words.
    pub fn consequence(self, estate: &Estate) -> String {
        let site = &estate.site().code;
        match self {
            UnknownFact::NetworkAccessAccounts => format!(
                "the network access accounts of site {site}: who obtains them (CRED-2, CRED-3, CRED-5) is shown only for those the file lists"
            ),
            UnknownFact::PreviousNetworkAccessAccounts => format!(
                "the accounts site {site} used before: what stays on its clients (CRED-4) is shown only for those the file lists"
            ),
            UnknownFact::Approval => format!(
                "how site {site} approves clients: CRED-2 is assessed with the value given or the default, automatic approval of trusted domains"
            ),
            UnknownFact::EnhancedHttp => format!(
                "whether site {site} uses Enhanced HTTP: content and CRED-2 are assessed with the value given"
            ),
            UnknownFact::AnonymousDistributionPoints => {
                format!("which distribution points of site {site} allow anonymous connections")
            }
            UnknownFact::Administrators(m) => format!(
                "the local Administrators of {}: who controls it, and so reaches what it stores, is shown only for those the file lists",
                estate.machine(m).name
            ),
            UnknownFact::MachineAccountQuota(d) => format!(
                "the MachineAccountQuota of {}: CRED-2's quota route is assessed with the value given or the default, 10",
                estate.domain(d).name
            ),
            UnknownFact::AddWorkstations(d) => format!(
                "who may add workstations to {}: CRED-2's quota route is assessed with the holders given or the default, Domain Users",
                estate.domain(d).name
            ),
            UnknownFact::Trusts(d) => format!(
                "which domains {} trusts: what crosses a trust is shown only for those the file lists",
                estate.domain(d).name
            ),
            UnknownFact::PolicySecrets => format!(
                "the task sequences, deployments and collection variables of site {site}: what they carry (CRED-1 to CRED-4) is shown only for those the file lists"
            ),
            UnknownFact::Pxe(m) => format!(
                "the PXE password and network segments of distribution point {}: CRED-1 is shown only for a PXE distribution point the file lists",
                estate.machine(m).name
            ),
        }
    }
}

/// A fact marked unknown, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The fact.
    pub fact: UnknownFact,
    /// Why the collection could not establish it, if the file says.
    pub because: Option<Text>,
}

impl Estate {
    /// The facts the scenario marks unknown, in the order of [`UnknownFact`].
    pub fn unknown(&self) -> &[Unknown] {
        &self.unknown
    }
}
