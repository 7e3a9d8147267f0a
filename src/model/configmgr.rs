//! What a Configuration Manager site adds to the model: the product a site runs
//! (`X-PRODUCT`), its approval method, and its network access accounts and
//! communication settings ([`ConfigMgrSite`], empty at an SMS 2.0 site).

use super::{AccountId, MachineId, ShareId};

/// The product a site runs (`X-PRODUCT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Product {
    /// SMS 2.0: Q224286's rules.
    #[default]
    Sms2,
    /// Configuration Manager current branch: the `CM-` rules.
    ConfigMgr,
}

impl Product {
    /// The key of scenario files: `sms2`, `configmgr`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Product::Sms2 => "sms2",
            Product::ConfigMgr => "configmgr",
        }
    }
}

/// How a Configuration Manager site approves clients (the hierarchy setting; the
/// values of DSC_CMHierarchySetting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Approval {
    /// Automatically approve computers in trusted domains (the default).
    #[default]
    TrustedDomains,
    /// Manually approve each computer.
    Manual,
    /// Automatically approve all computers.
    All,
}

/// What a Configuration Manager site adds to a site (all empty at an SMS 2.0 site).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigMgrSite {
    /// The network access accounts, in the order the client tries them
    /// (`X-CM-NAA-ORDER`; at most 10, `CM-NAA-LIMITS`).
    pub network_access_accounts: Vec<AccountId>,
    /// Network access accounts the site used before and no longer does: their secrets
    /// stay on the clients that had them (`X-CM-RESIDUE`, CRED-4).
    pub previous_network_access_accounts: Vec<AccountId>,
    /// The site uses Enhanced HTTP (`CM-ENHANCED-HTTP`).
    pub enhanced_http: bool,
    /// The site requires HTTPS with PKI client certificates (PREVENT-8).
    pub https_only: bool,
    /// How the site approves clients.
    pub approval: Approval,
    /// The primary site server.
    pub site_server: Option<MachineId>,
    /// Its passive site servers (high availability): each holds the site's key, so the
    /// administrators of each recover what the database holds (CRED-5).
    pub passive_site_servers: Vec<MachineId>,
    /// Accounts and groups the scenario says can read the site database
    /// (`X-CM-DATABASE-READER`).
    pub database_readers: Vec<AccountId>,
    /// The distribution point shares that allow anonymous connections (`X-CM-ANONYMOUS`).
    pub anonymous_distribution_points: Vec<ShareId>,
    /// Client push installation, when the site pushes.
    pub client_push: Option<super::push::ClientPush>,
    /// Task sequences, collection variables, deployments and PXE: the secrets the site
    /// puts in policy beyond the network access accounts.
    pub osd: super::osd::Osd,
}
