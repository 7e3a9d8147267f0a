//! The world of Q224286 as plain data: machines and their platforms, domains and account
//! stores, the SMS site and its accounts, shares and package folders, programs and
//! advertisements; and what a Configuration Manager site adds (its product, current
//! Windows platforms, Active Directory forests and computer accounts, network access
//! accounts and communication settings).
//!
//! An [`Estate`] is what does not change while a day goes by; the [`State`] beside it is
//! what does (logon sessions and their connections, account status, trusts, stale
//! passwords, servers that are down, grants in force). Both come out of a validated
//! [`crate::Scenario`]: every id in them is valid for that estate, so nothing downstream
//! checks a reference again.

mod assumptions;
mod check;
mod configmgr;
pub(crate) mod external;
pub(crate) mod membership;
pub(crate) mod names;
pub mod osd;
pub mod push;
mod state;
mod unknown;
mod words;

pub use assumptions::{
    AdminRightsPolicy, Assumption, AssumptionSet, Assumptions, ConnectionScope, ServicePack,
    SwiaDpContext, TokenAdminMembership, Win9xConnectionAccounts,
};
pub use check::MAX_NETWORK_ACCESS_ACCOUNTS;
pub use check::{Part, StateError};
pub(crate) use check::{network_access_account_problem, program_settings_problems};
pub use configmgr::{Approval, ConfigMgrSite, Product};
pub use external::{DomainIds, ExternalIds, MachineIds};
pub(crate) use external::{dns_name_problem, domain_sid_problem, is_under, sid_problem};
pub use state::{AccountStatus, Connection, Device, SessionKind, Shape, State};
pub use unknown::{Unknown, UnknownFact};

/// A name of a machine or an account. Names in an estate are short, and a short string
/// is kept inside the value rather than in memory of its own (`compact_str`): a
/// million-client estate has millions of names, each otherwise a separate allocation.
pub type Text = compact_str::CompactString;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Stored as its position plus one, so that `Option` of it is four bytes too.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(std::num::NonZeroU32);

        /// Shows the position, as before ids were stored plus one.
        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.index()).finish()
            }
        }

        impl $name {
            /// The position of this object in its estate's list.
            pub const fn index(self) -> usize {
                (self.0.get() - 1) as usize
            }

            pub(crate) fn from_index(index: usize) -> Self {
                // Estates are far below 4 billion objects of one kind; the loader
                // rejects larger inputs before ids are made.
                Self(std::num::NonZeroU32::MIN.saturating_add(index as u32))
            }
        }
    };
}

id_type!(
    /// A domain of the estate.
    DomainId
);
id_type!(
    /// A machine: an SMS client, a DC, a DP server, any server a path names.
    MachineId
);
id_type!(
    /// An account of a domain database or a local SAM: a user or a group.
    AccountId
);
id_type!(
    /// A share `\\server\share`.
    ShareId
);
id_type!(
    /// A package.
    PackageId
);
id_type!(
    /// A program of a package.
    ProgramId
);
id_type!(
    /// An advertisement.
    AdvertisementId
);
id_type!(
    /// A non-SMS network resource a program needs.
    ResourceId
);
id_type!(
    /// An SMS collection.
    CollectionId
);

/// The operating system of a machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Platform {
    /// Windows 95.
    Windows95,
    /// Windows 98.
    Windows98,
    /// Windows NT 4.0 Workstation.
    NtWorkstation,
    /// Windows NT 4.0 Server, member or stand-alone.
    NtServer,
    /// Windows NT 4.0 domain controller.
    NtDomainController(DcRole),
    /// A current Windows client (Windows 10 or 11): Configuration Manager only
    /// (`X-CM-WINDOWS`).
    WindowsClient,
    /// A current Windows Server, member or stand-alone: Configuration Manager only.
    WindowsServer,
    /// A current Windows Server domain controller of an Active Directory domain:
    /// Configuration Manager only. Its domain's database is shared by every DC of the
    /// domain, as on NT 4.0.
    WindowsDomainController,
}

/// Primary or backup domain controller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DcRole {
    /// Primary domain controller: holds the writable copy of the account database.
    Pdc,
    /// Backup domain controller.
    Bdc,
}

impl Platform {
    /// Windows 95 or 98.
    pub const fn is_win9x(self) -> bool {
        matches!(self, Platform::Windows95 | Platform::Windows98)
    }

    /// Any Windows NT 4.0 platform (not a current Windows: see
    /// [`Platform::is_current_windows`]).
    pub const fn is_nt(self) -> bool {
        matches!(
            self,
            Platform::NtWorkstation | Platform::NtServer | Platform::NtDomainController(_)
        )
    }

    /// A domain controller.
    pub const fn is_dc(self) -> bool {
        matches!(
            self,
            Platform::NtDomainController(_) | Platform::WindowsDomainController
        )
    }

    /// A current Windows platform, which only a Configuration Manager site manages
    /// (`X-CM-WINDOWS`).
    pub const fn is_current_windows(self) -> bool {
        matches!(
            self,
            Platform::WindowsClient | Platform::WindowsServer | Platform::WindowsDomainController
        )
    }

    /// The name used in scenario files and renderings.
    pub const fn as_str(self) -> &'static str {
        match self {
            Platform::Windows95 => "windows_95",
            Platform::Windows98 => "windows_98",
            Platform::NtWorkstation => "nt4_workstation",
            Platform::NtServer => "nt4_server",
            Platform::NtDomainController(DcRole::Pdc) => "nt4_pdc",
            Platform::NtDomainController(DcRole::Bdc) => "nt4_bdc",
            Platform::WindowsClient => "windows_client",
            Platform::WindowsServer => "windows_server",
            Platform::WindowsDomainController => "windows_server_dc",
        }
    }
}

/// A domain with its one account database, shared by all its DCs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    /// NetBIOS domain name, as written in the scenario.
    pub name: Text,
    /// The domain's `Administrators` local group: on NT 4.0 every DC of the domain shares
    /// it (Q169556).
    pub administrators: AccountId,
    /// User rights the domain's DCs grant, by account or group.
    pub rights: Vec<(Right, AccountId)>,
    /// The DCs of the domain, in scenario order.
    pub controllers: Vec<MachineId>,
    /// The client token account all DC clients of this domain share (`SVC-TOKEN-DC`), if
    /// the domain has a DC that is an SMS client.
    pub token_account: Option<AccountId>,
    /// The Active Directory forest the domain belongs to (`X-CM-AD`): its own name
    /// unless the scenario names another. `None` for an NT 4.0 domain (an SMS 2.0 site).
    pub forest: Option<Text>,
    /// Its `ms-DS-MachineAccountQuota`, when the scenario gives it (`CM-CRED-2-QUOTA`;
    /// otherwise `X-CM-QUOTA-DEFAULT`).
    pub machine_account_quota: Option<u32>,
    /// The holders of its "Add workstations to domain" right, when the scenario gives
    /// them (`CM-CRED-2-QUOTA`); otherwise Domain Users, every user of the domain
    /// (`X-CM-ADD-WORKSTATIONS`).
    pub add_workstations: Option<Vec<AccountId>>,
}

/// A computer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// NetBIOS computer name, as written in the scenario.
    pub name: Text,
    /// Its operating system.
    pub platform: Platform,
    /// The domain it belongs to (a DC's own domain; for Windows 95/98, the domain its
    /// users log on to). `None` for a stand-alone server.
    pub domain: Option<DomainId>,
    /// Whether the SMS client is installed on it.
    pub sms_client: bool,
    /// The `Administrators` group of its own SAM (NT machines other than DCs).
    pub administrators: Option<AccountId>,
    /// User rights granted in its own SAM (NT machines other than DCs).
    pub rights: Vec<(Right, AccountId)>,
    /// Its client token account: the local `SMSCliToknAcct&` on an NT client, the domain's
    /// shared one on a DC client (`SVC-TOKEN-LOCAL`, `SVC-TOKEN-DC`).
    pub token_account: Option<AccountId>,
    /// Its client service account: the local `SMSCliSvcAcct&`, or `SMS&_<DC>` on a DC.
    pub service_account: Option<AccountId>,
    /// Its computer account `NAME$` in its Active Directory domain (`X-CM-AD`); `None`
    /// for a workgroup machine (`X-CM-WORKGROUP`) and at an SMS 2.0 site.
    pub computer_account: Option<AccountId>,
}

/// Where an account lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Store {
    /// A domain's database.
    Domain(DomainId),
    /// The local SAM of an NT machine other than a DC.
    Local(MachineId),
}

/// User, global group or local group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AccountKind {
    /// A user account (a person's, or a service's).
    User,
    /// A global group: domain users of its own domain.
    GlobalGroup,
    /// A local group: users and global groups, meaningful on the machine (or, in a domain
    /// database, on the DCs) that holds it.
    LocalGroup,
}

/// The part SMS gave an account, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SmsRole {
    /// The client token account `SMSCliToknAcct&`.
    ClientToken,
    /// A client service account: `SMSCliSvcAcct&`, or `SMS&_<DC>` on a DC.
    ClientService,
    /// A client network connection account.
    ConnectionAccount,
    /// The Windows NT Software Installation account.
    SoftwareInstallation,
    /// A machine's computer account `NAME$` in its Active Directory domain (`X-CM-AD`).
    ComputerAccount,
    /// A Configuration Manager network access account.
    NetworkAccess,
}

/// An account of a domain database or of a local SAM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The account name, as written in the scenario (or as SMS names it).
    pub name: Text,
    /// Its database.
    pub store: Store,
    /// User or group.
    pub kind: AccountKind,
    /// Direct members, for a group.
    pub members: Vec<AccountId>,
    /// The part SMS gave it.
    pub role: Option<SmsRole>,
    /// Created by SMS setup rather than declared in the scenario.
    pub implied: bool,
}

/// A Windows NT user right, by its constant name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Right {
    /// `SeTcbPrivilege`: Act as part of the operating system.
    Tcb,
    /// `SeIncreaseQuotaPrivilege`: Increase quotas.
    IncreaseQuota,
    /// `SeServiceLogonRight`: Log on as a service.
    ServiceLogon,
    /// `SeAssignPrimaryTokenPrivilege`: Replace a process-level token.
    AssignPrimaryToken,
    /// `SeShutdownPrivilege`: Shut down the system.
    Shutdown,
    /// `SeBackupPrivilege`: Back up files and directories.
    Backup,
    /// `SeRestorePrivilege`: Restore files and directories.
    Restore,
    /// `SeDebugPrivilege`: Debug programs.
    Debug,
    /// `SeTakeOwnershipPrivilege`: Take ownership of files or other objects.
    TakeOwnership,
    /// `SeSecurityPrivilege`: Manage auditing and security log.
    Security,
    /// `SeLoadDriverPrivilege`: Load and unload device drivers.
    LoadDriver,
    /// `SeSystemtimePrivilege`: Change the system time.
    Systemtime,
    /// `SeInteractiveLogonRight`: Log on locally.
    InteractiveLogon,
    /// `SeNetworkLogonRight`: Access this computer from the network.
    NetworkLogon,
}

impl Right {
    /// Every right, in a fixed order.
    pub const ALL: [Right; 14] = [
        Right::Tcb,
        Right::IncreaseQuota,
        Right::ServiceLogon,
        Right::AssignPrimaryToken,
        Right::Shutdown,
        Right::Backup,
        Right::Restore,
        Right::Debug,
        Right::TakeOwnership,
        Right::Security,
        Right::LoadDriver,
        Right::Systemtime,
        Right::InteractiveLogon,
        Right::NetworkLogon,
    ];

    /// The Windows constant name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Right::Tcb => "SeTcbPrivilege",
            Right::IncreaseQuota => "SeIncreaseQuotaPrivilege",
            Right::ServiceLogon => "SeServiceLogonRight",
            Right::AssignPrimaryToken => "SeAssignPrimaryTokenPrivilege",
            Right::Shutdown => "SeShutdownPrivilege",
            Right::Backup => "SeBackupPrivilege",
            Right::Restore => "SeRestorePrivilege",
            Right::Debug => "SeDebugPrivilege",
            Right::TakeOwnership => "SeTakeOwnershipPrivilege",
            Right::Security => "SeSecurityPrivilege",
            Right::LoadDriver => "SeLoadDriverPrivilege",
            Right::Systemtime => "SeSystemtimePrivilege",
            Right::InteractiveLogon => "SeInteractiveLogonRight",
            Right::NetworkLogon => "SeNetworkLogonRight",
        }
    }

    /// Looks a right up by its Windows constant name.
    pub fn parse(text: &str) -> Option<Right> {
        Right::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// A set of user rights, as a bit set so that a decision carries it without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RightSet(u16);

impl RightSet {
    /// No right.
    pub const EMPTY: RightSet = RightSet(0);

    /// A set of one right.
    pub const fn of(right: Right) -> RightSet {
        RightSet(1 << right as u8)
    }

    /// This set with `right` added.
    pub const fn with(self, right: Right) -> RightSet {
        RightSet(self.0 | (1 << right as u8))
    }

    /// The union of two sets.
    pub const fn union(self, other: RightSet) -> RightSet {
        RightSet(self.0 | other.0)
    }

    /// Whether `right` is in the set.
    pub const fn contains(self, right: Right) -> bool {
        self.0 & (1 << right as u8) != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The rights of the set, in [`Right::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Right> {
        Right::ALL.into_iter().filter(move |r| self.contains(*r))
    }
}

/// A share `\\server\share`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// The machine that serves it.
    pub server: MachineId,
    /// The share name, as written.
    pub name: String,
}

/// The SMS site whose clients the scenario holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The product it runs (`X-PRODUCT`): SMS 2.0 unless the scenario says otherwise.
    pub product: Product,
    /// What a Configuration Manager site adds.
    pub configmgr: ConfigMgrSite,
    /// The three-character site code.
    pub code: String,
    /// The domain of the site server, where SMS setup creates its domain accounts.
    pub domain: DomainId,
    /// The name of the client token account (default `SMSCliToknAcct&`).
    pub token_account_name: String,
    /// The client network connection accounts, in the order NAL tries them.
    pub connection_accounts: Vec<AccountId>,
    /// The Windows NT Software Installation account, if the site sets one.
    pub software_installation_account: Option<AccountId>,
    /// The user rights granted to the Software Installation account with its temporary
    /// Administrators membership (A13: a site setting, empty by default).
    pub software_installation_rights: RightSet,
    /// The client access point share.
    pub cap: Option<ShareId>,
    /// The distribution point shares of the site.
    pub distribution_points: Vec<ShareId>,
}

/// A copy of a package on one distribution point: its folder there and who can read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageCopy {
    /// The DP share.
    pub share: ShareId,
    /// Accounts and groups granted read on the package folder (share and folder ACLs
    /// together).
    pub read: Vec<AccountId>,
    /// Configuration Manager's stated default (`CM-DP-USERS`): the copy's read list was
    /// not given, so the distribution point's local Users read it, and they are every
    /// account that authenticates there (`X-CM-DP-USERS`). Always false at an SMS 2.0
    /// site, where a read list not given grants no one (`X-CONFIGURED`).
    pub users_by_default: bool,
}

/// A package and its copies on distribution points, in the order the client tries them
/// (`X-DP-ORDER`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// Package id, such as `ABC00001`.
    pub id: String,
    /// Its copies on distribution points.
    pub copies: Vec<PackageCopy>,
}

/// "Run mode" of a program (SMS 2.0 SP1 console).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RunMode {
    /// Run with user's rights.
    UserRights,
    /// Run with administrative rights.
    AdministrativeRights,
}

/// "Program can run" (SMS 2.0 SP1 console).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CanRun {
    /// Only when a user is logged on.
    OnlyWhenUserLoggedOn,
    /// Whether or not a user is logged on.
    WhetherOrNotUserLoggedOn,
    /// Only when no user is logged on.
    OnlyWhenNoUserLoggedOn,
}

/// A software distribution program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// Its name, unique in the scenario.
    pub name: String,
    /// Its package.
    pub package: PackageId,
    /// Run mode.
    pub run_mode: RunMode,
    /// Program can run.
    pub can_run: CanRun,
    /// "Use Windows NT client software installation account".
    pub use_software_installation_account: bool,
    /// "Allow users to view and interact with the program installation" (Configuration
    /// Manager only, `CM-INTERACT`).
    pub allow_user_interaction: bool,
    /// Non-SMS network resources the program needs.
    pub resources: Vec<ResourceId>,
}

/// An SMS collection: a named set of clients advertisements are sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    /// Its name, unique in the scenario.
    pub name: String,
    /// Its member clients, in id order (each once).
    pub members: Vec<MachineId>,
}

/// An advertisement of a program to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advertisement {
    /// Its name, unique in the scenario.
    pub name: String,
    /// The advertised program.
    pub program: ProgramId,
    /// The collection it is sent to, if it names one; its targets are then the
    /// collection's members.
    pub collection: Option<CollectionId>,
    /// The target clients, in id order (each once).
    pub targets: Vec<MachineId>,
}

/// A non-SMS network resource (an Exchange server's share, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Its name, unique in the scenario.
    pub name: String,
    /// Where it is.
    pub share: ShareId,
    /// Accounts and groups granted access.
    pub read: Vec<AccountId>,
}

/// The static part of a scenario: everything that does not change while time passes.
///
/// Built only by [`crate::Scenario`]'s loader, so every id inside is valid for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estate {
    pub(crate) domains: Vec<Domain>,
    pub(crate) machines: Vec<Machine>,
    pub(crate) accounts: Vec<Account>,
    pub(crate) shares: Vec<Share>,
    pub(crate) site: Site,
    pub(crate) packages: Vec<Package>,
    pub(crate) programs: Vec<Program>,
    pub(crate) collections: Vec<Collection>,
    pub(crate) advertisements: Vec<Advertisement>,
    pub(crate) resources: Vec<Resource>,
    pub(crate) assumptions: Assumptions,
    /// Who each machine denies "Access this computer from the network" (a machine's
    /// `deny_network_logon`), as (machine, account or group) pairs in order.
    pub(crate) network_logon_denied: Vec<(MachineId, AccountId)>,
    /// The ids other tools give its objects ([`ExternalIds`]).
    pub(crate) external: ExternalIds,
    /// The facts the scenario marks unknown ([`Unknown`]).
    pub(crate) unknown: Vec<Unknown>,
    /// For each account, the groups it is a direct member of (the reverse of
    /// `members`), in id order, all in one list: account `a`'s are
    /// `member_of[member_of_start[a]..member_of_start[a + 1]]`.
    pub(crate) member_of_start: Vec<u32>,
    pub(crate) member_of: Vec<AccountId>,
    /// Accounts by store and name.
    pub(crate) account_index: names::AccountIndex,
    /// Lookups by case-folded name.
    pub(crate) names: Names,
}

/// Case-folded name indexes of an estate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Names {
    pub(crate) machines: names::NameIndex,
    pub(crate) domains: names::NameMap<DomainId>,
    pub(crate) advertisements: names::NameMap<AdvertisementId>,
}

impl Estate {
    /// The domains.
    pub fn domains(&self) -> &[Domain] {
        &self.domains
    }
    /// One domain.
    pub fn domain(&self, id: DomainId) -> &Domain {
        &self.domains[id.index()]
    }
    /// The machines.
    pub fn machines(&self) -> &[Machine] {
        &self.machines
    }
    /// One machine.
    pub fn machine(&self, id: MachineId) -> &Machine {
        &self.machines[id.index()]
    }
    /// The accounts (users and groups) of every store.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }
    /// One account.
    pub fn account(&self, id: AccountId) -> &Account {
        &self.accounts[id.index()]
    }
    /// The shares.
    pub fn shares(&self) -> &[Share] {
        &self.shares
    }
    /// One share.
    pub fn share(&self, id: ShareId) -> &Share {
        &self.shares[id.index()]
    }
    /// The SMS site.
    pub fn site(&self) -> &Site {
        &self.site
    }
    /// The packages.
    pub fn packages(&self) -> &[Package] {
        &self.packages
    }
    /// One package.
    pub fn package(&self, id: PackageId) -> &Package {
        &self.packages[id.index()]
    }
    /// The programs.
    pub fn programs(&self) -> &[Program] {
        &self.programs
    }
    /// One program.
    pub fn program(&self, id: ProgramId) -> &Program {
        &self.programs[id.index()]
    }
    /// The collections.
    pub fn collections(&self) -> &[Collection] {
        &self.collections
    }
    /// One collection.
    pub fn collection(&self, id: CollectionId) -> &Collection {
        &self.collections[id.index()]
    }
    /// The advertisements.
    pub fn advertisements(&self) -> &[Advertisement] {
        &self.advertisements
    }
    /// One advertisement.
    pub fn advertisement(&self, id: AdvertisementId) -> &Advertisement {
        &self.advertisements[id.index()]
    }
    /// The non-SMS resources.
    pub fn resources(&self) -> &[Resource] {
        &self.resources
    }
    /// One resource.
    pub fn resource(&self, id: ResourceId) -> &Resource {
        &self.resources[id.index()]
    }
    /// The model assumptions in force.
    pub fn assumptions(&self) -> &Assumptions {
        &self.assumptions
    }
    /// This estate with other assumptions: the "why not" analysis and the decision table
    /// use it to ask what another reading of the sources would decide.
    pub fn with_assumptions(&self, assumptions: Assumptions) -> Estate {
        Estate {
            assumptions,
            ..self.clone()
        }
    }

    /// The accounts and groups `machine` denies "Access this computer from the network".
    pub fn network_logon_denied(&self, machine: MachineId) -> impl Iterator<Item = AccountId> + '_ {
        let start = self
            .network_logon_denied
            .partition_point(|&(m, _)| m < machine);
        self.network_logon_denied[start..]
            .iter()
            .take_while(move |&&(m, _)| m == machine)
            .map(|&(_, a)| a)
    }

    /// Whether `machine` denies `account` "Access this computer from the network", by
    /// name or through a group it is a member of (`CM-NAA-NETWORK-RIGHT`,
    /// `X-CM-DENY-NETWORK-LOGON`).
    pub fn is_network_logon_denied(&self, machine: MachineId, account: AccountId) -> bool {
        let denied: Vec<AccountId> = self.network_logon_denied(machine).collect();
        !denied.is_empty() && self.is_granted(account, &denied)
    }

    /// Ids of every machine, in order.
    pub fn machine_ids(&self) -> impl Iterator<Item = MachineId> + use<> {
        (0..self.machines.len()).map(MachineId::from_index)
    }
    /// Ids of every account, in order.
    pub fn account_ids(&self) -> impl Iterator<Item = AccountId> + use<> {
        (0..self.accounts.len()).map(AccountId::from_index)
    }
    /// Ids of every domain, in order.
    pub fn domain_ids(&self) -> impl Iterator<Item = DomainId> + use<> {
        (0..self.domains.len()).map(DomainId::from_index)
    }
    /// Ids of every share, in order.
    pub fn share_ids(&self) -> impl Iterator<Item = ShareId> + use<> {
        (0..self.shares.len()).map(ShareId::from_index)
    }
    /// Ids of every advertisement, in order.
    pub fn advertisement_ids(&self) -> impl Iterator<Item = AdvertisementId> + use<> {
        (0..self.advertisements.len()).map(AdvertisementId::from_index)
    }

    /// A machine by its name (case-insensitive, as NetBIOS names are).
    pub fn machine_by_name(&self, name: &str) -> Option<MachineId> {
        self.names
            .machines
            .get(name, |i| &self.machines[i].name)
            .map(MachineId::from_index)
    }
    /// A domain by its name (case-insensitive).
    pub fn domain_by_name(&self, name: &str) -> Option<DomainId> {
        self.names.domains.get(name).copied()
    }
    /// An advertisement by its name (case-insensitive).
    pub fn advertisement_by_name(&self, name: &str) -> Option<AdvertisementId> {
        self.names.advertisements.get(name).copied()
    }
    /// A share by its path `\\server\share` (case-insensitive, as SMB names are): one the
    /// scenario names (shares are made as the file names them).
    pub fn share_by_path(&self, path: &str) -> Option<ShareId> {
        let (server, share) = path.strip_prefix("\\\\")?.split_once('\\')?;
        let server = self.machine_by_name(server)?;
        self.share_on(server, share)
    }
    /// The share `name` of `server` (case-insensitive), if the scenario names it.
    pub fn share_on(&self, server: MachineId, name: &str) -> Option<ShareId> {
        // Few shares: the distribution points, the CAP, resources and the connections'.
        self.shares
            .iter()
            .position(|s| s.server == server && s.name.eq_ignore_ascii_case(name))
            .map(ShareId::from_index)
    }
    /// An account by its qualified name `STORE\name`, where the store is a domain or a
    /// machine name (case-insensitive).
    pub fn account_by_name(&self, qualified: &str) -> Option<AccountId> {
        let (store, name) = qualified.split_once('\\')?;
        let store = if let Some(d) = self.domain_by_name(store) {
            Store::Domain(d)
        } else {
            Store::Local(self.machine_by_name(store)?)
        };
        self.account_in(store, name)
    }

    /// The accounts of one database, in name order (case-insensitive).
    pub fn accounts_of(&self, store: Store) -> &[Account] {
        &self.accounts[self.account_index.of_store(store)]
    }

    /// The account `name` of `store` (case-insensitive).
    pub fn account_in(&self, store: Store, name: &str) -> Option<AccountId> {
        self.account_index.find(&self.accounts, store, name)
    }

    /// The account of `store` with the same name as `account` (case-insensitive), if any:
    /// where a local account used over the network meets a namesake (D5).
    pub fn same_named_in(&self, account: AccountId, store: Store) -> Option<AccountId> {
        self.account_in(store, &self.account(account).name)
    }

    /// The name of an account's store: its domain's or its machine's.
    pub fn store_name(&self, store: Store) -> &str {
        match store {
            Store::Domain(d) => &self.domain(d).name,
            Store::Local(m) => &self.machine(m).name,
        }
    }

    /// `STORE\name`, as Windows prints an account.
    pub fn qualified_name(&self, id: AccountId) -> String {
        let account = self.account(id);
        format!("{}\\{}", self.store_name(account.store), account.name)
    }

    /// `\\server\share`.
    pub fn share_path(&self, id: ShareId) -> String {
        let share = self.share(id);
        format!("\\\\{}\\{}", self.machine(share.server).name, share.name)
    }

    /// The store that holds the accounts a machine authenticates: its domain's database
    /// for a DC, its own SAM for any other NT machine, none for Windows 95/98.
    pub fn machine_store(&self, machine: MachineId) -> Option<Store> {
        let m = self.machine(machine);
        match m.platform {
            Platform::NtDomainController(_) => m.domain.map(Store::Domain),
            Platform::WindowsDomainController => m.domain.map(Store::Domain),
            Platform::NtWorkstation
            | Platform::NtServer
            | Platform::WindowsClient
            | Platform::WindowsServer => Some(Store::Local(machine)),
            Platform::Windows95 | Platform::Windows98 => None,
        }
    }

    /// The `Administrators` group whose members are administrators of `machine`: the
    /// domain's on a DC (A1, Q169556), the machine's own otherwise.
    pub fn administrators_of(&self, machine: MachineId) -> Option<AccountId> {
        let m = self.machine(machine);
        match m.platform {
            Platform::NtDomainController(_) | Platform::WindowsDomainController => {
                m.domain.map(|d| self.domain(d).administrators)
            }
            _ => m.administrators,
        }
    }

    /// The user rights assignments that apply on `machine`.
    pub fn rights_on(&self, machine: MachineId) -> &[(Right, AccountId)] {
        let m = self.machine(machine);
        match (m.platform.is_dc(), m.domain) {
            (true, Some(d)) => &self.domain(d).rights,
            _ => &m.rights,
        }
    }

    /// The groups `account` is a direct member of, in id order.
    pub(crate) fn direct_groups(&self, account: AccountId) -> &[AccountId] {
        let a = account.index();
        &self.member_of[self.member_of_start[a] as usize..self.member_of_start[a + 1] as usize]
    }

    /// Builds the reverse of every group's `members` (a counting sort: one pass to
    /// count, one to place), after the accounts are made or changed.
    pub(crate) fn index_memberships(&mut self) {
        let mut start = vec![0u32; self.accounts.len() + 1];
        for account in &self.accounts {
            for m in &account.members {
                start[m.index() + 1] += 1;
            }
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut next = start.clone();
        let mut of = vec![AccountId::from_index(0); start[self.accounts.len()] as usize];
        for (g, account) in self.accounts.iter().enumerate() {
            for m in &account.members {
                let slot = &mut next[m.index()];
                of[*slot as usize] = AccountId::from_index(g);
                *slot += 1;
            }
        }
        self.member_of_start = start;
        self.member_of = of;
    }

    /// Whether `principal` is `group`, or a direct member of it, or a member of a global
    /// group that is a direct member of it: the two levels of NT 4.0 nesting.
    pub fn is_in(&self, principal: AccountId, group: AccountId) -> bool {
        if principal == group {
            return true;
        }
        // Look from whichever side is small: a principal belongs to few groups, a local
        // group holds few members, but a global group such as Domain Users holds many and
        // sits in many local groups.
        let direct = self.direct_groups(principal);
        match self.account(group).kind {
            AccountKind::User => false,
            AccountKind::GlobalGroup => direct.contains(&group),
            AccountKind::LocalGroup => self.account(group).members.iter().any(|&m| {
                m == principal
                    || (self.account(m).kind == AccountKind::GlobalGroup && direct.contains(&m))
            }),
        }
    }

    /// Whether `principal` is granted by an access list: it, or a group it is in, is
    /// listed.
    pub fn is_granted(&self, principal: AccountId, grants: &[AccountId]) -> bool {
        // First what needs no account read: the principal itself, or a group that lists
        // it (its direct groups; a user lists no one). Then the local groups listed,
        // through the global groups they hold. The same answer as `is_in` entry by
        // entry, with fewer reads of the estate when the first pass finds it.
        let direct = self.direct_groups(principal);
        grants
            .iter()
            .any(|&g| g == principal || direct.contains(&g))
            || grants.iter().any(|&g| {
                let group = self.account(g);
                group.kind == AccountKind::LocalGroup
                    && group.members.iter().any(|&m| {
                        self.account(m).kind == AccountKind::GlobalGroup && direct.contains(&m)
                    })
            })
    }

    /// The rights `principal` holds on `machine`, directly or through its groups.
    pub fn standing_rights(&self, principal: AccountId, machine: MachineId) -> RightSet {
        self.rights_on(machine)
            .iter()
            .filter(|(_, holder)| self.is_in(principal, *holder))
            .fold(RightSet::EMPTY, |set, (right, _)| set.with(*right))
    }

    /// The groups `principal` belongs to as seen on `machine`: its global groups, and the
    /// local groups of the machine's store that hold it or one of those, in id order.
    pub fn groups_on(&self, principal: AccountId, machine: MachineId) -> Vec<AccountId> {
        let store = self.machine_store(machine);
        let mut groups: Vec<AccountId> = self
            .direct_groups(principal)
            .iter()
            .copied()
            .filter(|&g| {
                let a = self.account(g);
                a.kind == AccountKind::GlobalGroup || Some(a.store) == store
            })
            .collect();
        for &g in self.direct_groups(principal) {
            if self.account(g).kind == AccountKind::GlobalGroup {
                groups.extend(
                    self.direct_groups(g)
                        .iter()
                        .copied()
                        .filter(|&l| Some(self.account(l).store) == store),
                );
            }
        }
        groups.sort_unstable();
        groups.dedup();
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_show_their_position() {
        assert_eq!(format!("{:?}", AccountId::from_index(0)), "AccountId(0)");
        assert_eq!(MachineId::from_index(41).index(), 41);
        assert_eq!(std::mem::size_of::<Option<ShareId>>(), 4);
    }
}
