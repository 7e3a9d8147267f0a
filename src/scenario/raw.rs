//! The scenario file as written: serde types that mirror the JSON one to one, with no
//! meaning attached yet. The loader turns them into the validated model. The doc
//! comments here are the descriptions of the JSON Schema (`sms-accounts schema`).

use schemars::JsonSchema;

/// A string of a scenario file: short, so kept inline (see [`crate::model::Text`]).
pub use crate::model::Text;
use serde::{Deserialize, Serialize};

pub use super::osd::{RawDeployment, RawPxe, RawPxePassword, RawTaskSequence, RawVariable};
pub use super::push::{
    RawAutomaticPush, RawClientPush, RawInstall, RawPushExpectation, RawSystemDiscovery,
};

pub use super::imported::{
    RawFact, RawImported, RawImportedClient, RawLeftOut, RawProvenance, RawRenamed,
    RawStoredAccount, RawStoredRole,
};

/// A scenario: an SMS 2.0 site, the estate around it, and the state it starts in.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a scenario object")]
#[schemars(title = "sms-client-accounts scenario")]
pub struct RawScenario {
    /// Version of this format; must be 1.
    pub schema_version: u32,
    /// What the scenario shows, in a sentence or two.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Model assumptions (domain notes section 3); each omitted one takes its default.
    #[serde(default)]
    pub assumptions: RawAssumptions,
    /// The NT 4.0 domains, each with its one account database.
    #[serde(default)]
    pub domains: Vec<RawDomain>,
    /// Every computer: SMS clients, domain controllers, distribution points, other servers.
    pub machines: Vec<RawMachine>,
    /// The SMS site.
    pub site: RawSite,
    /// Non-SMS network resources programs need (an Exchange server's share, say).
    #[serde(default)]
    pub resources: Vec<RawResource>,
    /// Packages and their copies on distribution points.
    #[serde(default)]
    pub packages: Vec<RawPackage>,
    /// Software distribution programs.
    #[serde(default)]
    pub programs: Vec<RawProgram>,
    /// SMS collections: named sets of clients that advertisements are sent to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<RawCollection>,
    /// Advertisements of programs to clients.
    #[serde(default)]
    pub advertisements: Vec<RawAdvertisement>,
    /// The state the estate starts in: logons, connections, account status.
    #[serde(default)]
    pub state: RawState,
    /// The ids other tools (SharpHound, ConfigManBearPig) give the estate's objects:
    /// SIDs, DNS names, device ids. The exports key their nodes by them.
    #[serde(default, skip_serializing_if = "RawExternalIds::is_empty")]
    pub external_ids: RawExternalIds,
    /// Facts the collection could not establish (`X-UNKNOWN`): the analysis uses what the
    /// file gives or the stated default, `validate` warns about each, and a finding names
    /// what it could not assess.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<RawUnknown>,
    /// Where an imported estate's facts come from (`import cmbp` writes it): collected,
    /// given on the command line, a default or a named assumption (`X-IMPORTED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<RawImported>,
    /// Decisions the author checked against the article and expects the engine to give.
    /// Tools check them; they do not change the estate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<RawExpectation>,
    /// What the author expects a known password or a controlled client to yield in the
    /// exposure graph (standing reach), and not to yield. Tools check them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exposure_expectations: Vec<RawExposureExpectation>,
    /// What the author expects the site's client push to do on a target. Tools check
    /// them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub push_expectations: Vec<RawPushExpectation>,
}

/// An expected decision for one advertisement on one client.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "an expectation object")]
pub struct RawExpectation {
    /// The advertisement's name.
    pub advertisement: Text,
    /// The client's name.
    pub client: Text,
    /// `run`, `wait`, `fail` or `never`.
    pub outcome: RawOutcome,
    /// `Pea32.exe` or `Smsapm32.exe`; omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub launcher: Option<Text>,
    /// `user`, `service` or `software_installation_account`; omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Text>,
    /// The account the program runs as, `STORE\name`; omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Text>,
    /// The credential that reaches the distribution point, `STORE\name`, or `none`;
    /// omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dp_credential: Option<Text>,
    /// The Windows error of a failure; omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<u32>,
    /// Rule ids that must name a step of the trace or an assumption the decision consulted.
    #[serde(default)]
    pub rules: Vec<Text>,
    /// What a waiting program waits for: `logon` or `no_user`; omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait_for: Option<RawWaitFor>,
    /// The failure's reason, status and error; omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<RawFailureExpectation>,
    /// The token's groups, rights and Administrators membership; omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<RawTokenExpectation>,
    /// Every NAL attempt, in order; omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nal: Option<Vec<RawNalExpectation>>,
    /// The Software Installation account's grant; omitted: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<RawGrantExpectation>,
    /// Why this is what the article says: the section and rule ids it follows.
    pub because: Text,
}

/// What a waiting program waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawWaitFor {
    /// A user to log on.
    Logon,
    /// The user to log off.
    NoUser,
}

/// An expected failure; each part omitted is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a failure object")]
pub struct RawFailureExpectation {
    /// The reason, as `trace --json` names it (`logon_failed`, `no_connection`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
    /// The SMS status message id (10003).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The Windows error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<u32>,
}

/// An expected token; each part omitted is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a token object")]
pub struct RawTokenExpectation {
    /// Every group of the token as seen on the client, `STORE\name`, in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<Text>>,
    /// Every right of the token on the client (`SeTcbPrivilege`, ...), in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<Vec<Text>>,
    /// How it holds the client's Administrators: `no`, `standing` or `added_for_run`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administrators: Option<Text>,
}

/// One expected NAL attempt.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a NAL attempt object")]
pub struct RawNalExpectation {
    /// `existing`, `current`, `server_session` or `connection_account_N`.
    pub via: Text,
    /// The credentials tried, `STORE\name`.
    pub credential: Text,
    /// `read`, `denied`, `conflict`, or why they did not authenticate
    /// (`local_account`, `untrusted_domain`, `disabled`, ...).
    pub result: Text,
}

/// An expected grant; each part omitted is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a grant object")]
pub struct RawGrantExpectation {
    /// The Administrators group joined, `STORE\name`, or `none` for a standing member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Text>,
    /// The database that holds that group: the client's name, or its domain's on a DC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<Text>,
    /// The rights granted with it, in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<Vec<Text>>,
}

/// What a known password or a controlled client must and must not yield.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "an exposure expectation object")]
pub struct RawExposureExpectation {
    /// The account whose password is known, `STORE\name` (or give `client`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<Text>,
    /// The client under control (or give `credential`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<Text>,
    /// An unauthenticated position on this network segment (or give `credential` or
    /// `client`): what PXE media served there reveal (CRED-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<Text>,
    /// Privileges that must be reached, as `exposure` prints them: `administrator of
    /// DC1`, `member of CORP\Domain Admins`, `password of CORP\SMSInstall`, ...
    #[serde(default)]
    pub yields: Vec<Text>,
    /// Privileges that must not be reached, in the same words.
    #[serde(default)]
    pub does_not_yield: Vec<Text>,
    /// Why, with the rule ids.
    pub because: Text,
}

/// Outcomes, for expectations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawOutcome {
    /// The program runs.
    Run,
    /// It waits.
    Wait,
    /// It fails.
    Fail,
    /// It never runs.
    Never,
}

/// Model assumptions; see the domain notes, section 3.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "an assumptions object")]
pub struct RawAssumptions {
    /// A2: `service_if_user_lacks_rights` (default, Q224286) or `always_service` (Q263279).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_rights_policy: Option<RawAdminRightsPolicy>,
    /// A3: `standing` (default, Q224286) or `transient_on_member_clients` (Q278660).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_admin_membership: Option<RawTokenAdminMembership>,
    /// A4: `client_token_account` (default, Q224286) or `software_installation_account` (Q307434).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swia_dp_context: Option<RawSwiaDpContext>,
    /// A5: `logon_session` (default) or `machine`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_scope: Option<RawConnectionScope>,
    /// A6: `not_used` (default, Q237759) or `used`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub win9x_connection_accounts: Option<RawWin9xConnectionAccounts>,
    /// A14: `sp2` (default) or `rtm_sp1` (Q242011).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_pack: Option<RawServicePack>,
    /// A15: whether the Software Installation account's password reaches every NT client
    /// (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swia_secret_on_clients: Option<bool>,
}

/// A2 values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawAdminRightsPolicy {
    /// An administrator user runs it; anyone else gets the service context.
    ServiceIfUserLacksRights,
    /// Always the service context.
    AlwaysService,
}

/// A3 values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawTokenAdminMembership {
    /// Standing membership everywhere.
    Standing,
    /// Added for each run on clients other than DCs.
    TransientOnMemberClients,
}

/// A4 values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawSwiaDpContext {
    /// The client token account.
    ClientTokenAccount,
    /// The Software Installation account.
    SoftwareInstallationAccount,
}

/// A5 values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawConnectionScope {
    /// Per logon session.
    LogonSession,
    /// Per machine.
    Machine,
}

/// A6 values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawWin9xConnectionAccounts {
    /// Not tried by Windows 95/98.
    NotUsed,
    /// Tried as on NT.
    Used,
}

/// A14 values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawServicePack {
    /// SP2 or later.
    Sp2,
    /// RTM or SP1.
    RtmSp1,
}

/// A domain and its account database.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a domain object")]
pub struct RawDomain {
    /// NetBIOS domain name (`CORP`).
    pub name: Text,
    /// Domains this domain trusts (one-way, not transitive: A9): its DCs accept their
    /// accounts. Trusts are state: the timeline can add and remove them.
    #[serde(default)]
    pub trusts: Vec<Text>,
    /// User accounts of the domain.
    #[serde(default)]
    pub users: Vec<Text>,
    /// Global groups; members are users of this domain.
    #[serde(default)]
    pub global_groups: Vec<RawGroup>,
    /// Local groups of the domain database, shared by all its DCs. `Administrators`
    /// exists always; list it to give it members.
    #[serde(default)]
    pub local_groups: Vec<RawGroup>,
    /// User rights the domain's DCs grant.
    #[serde(default)]
    pub rights: Vec<RawRightGrant>,
    /// Configuration Manager only: the Active Directory forest of the domain (default:
    /// its own name). Domains of one forest trust each other both ways (`X-CM-AD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forest: Option<Text>,
    /// Configuration Manager only: the domain's `ms-DS-MachineAccountQuota`; omitted:
    /// the Active Directory default, 10 (`X-CM-QUOTA-DEFAULT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine_account_quota: Option<u32>,
    /// Configuration Manager only: the holders of the domain's "Add workstations to
    /// domain" right (`CM-CRED-2-QUOTA`); omitted: Domain Users, every user of the
    /// domain (`X-CM-ADD-WORKSTATIONS`); `[]`: no one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_workstations: Option<Vec<Text>>,
}

/// A short list read without room to spare: a list read item by item starts with room
/// for four and doubles, and a million machines each with a group of two members would
/// keep the room of millions of unused entries while the file is lowered.
fn exact<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut v = Vec::<T>::deserialize(d)?;
    v.shrink_to_fit();
    Ok(v)
}

/// A group and its members. A member is `name` (same database) or `STORE\name`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a group object")]
pub struct RawGroup {
    /// Group name.
    pub name: Text,
    /// Members.
    #[serde(default, deserialize_with = "exact")]
    pub members: Vec<Text>,
}

/// A user right granted to accounts or groups.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a right grant object")]
pub struct RawRightGrant {
    /// The right's Windows constant name (`SeTcbPrivilege`).
    pub right: Text,
    /// Holders: `name` (same database) or `STORE\name`.
    #[serde(deserialize_with = "exact")]
    pub to: Vec<Text>,
}

/// Platforms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawPlatform {
    /// Windows 95.
    #[serde(rename = "windows_95")]
    Windows95,
    /// Windows 98.
    #[serde(rename = "windows_98")]
    Windows98,
    /// Windows NT 4.0 Workstation.
    #[serde(rename = "nt4_workstation")]
    Nt4Workstation,
    /// Windows NT 4.0 Server, member or stand-alone.
    #[serde(rename = "nt4_server")]
    Nt4Server,
    /// Windows NT 4.0 primary domain controller.
    #[serde(rename = "nt4_pdc")]
    Nt4Pdc,
    /// Windows NT 4.0 backup domain controller.
    #[serde(rename = "nt4_bdc")]
    Nt4Bdc,
    /// Windows 10 or 11 (Configuration Manager only).
    WindowsClient,
    /// Windows Server, member or stand-alone (Configuration Manager only).
    WindowsServer,
    /// Windows Server domain controller (Configuration Manager only).
    WindowsServerDc,
}

/// A computer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a machine object")]
pub struct RawMachine {
    /// NetBIOS computer name (`WKS1`).
    pub name: Text,
    /// Operating system.
    pub platform: RawPlatform,
    /// Domain: required for a DC; for Windows 95/98 the domain its users log on to;
    /// omitted for a stand-alone server or workgroup machine (a workgroup client of a
    /// Configuration Manager site has no computer account: `X-CM-WORKGROUP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Text>,
    /// Whether the SMS client is installed (default true).
    #[serde(default = "yes")]
    pub sms_client: bool,
    /// Users of the machine's own SAM (NT, not a DC).
    #[serde(default, deserialize_with = "exact")]
    pub users: Vec<Text>,
    /// Local groups of its own SAM (NT, not a DC). `Administrators` exists always.
    #[serde(default, deserialize_with = "exact")]
    pub local_groups: Vec<RawGroup>,
    /// User rights granted in its own SAM (NT, not a DC).
    #[serde(default, deserialize_with = "exact")]
    pub rights: Vec<RawRightGrant>,
    /// Accounts and groups denied "Access this computer from the network" there
    /// (`STORE\name`): they do not connect to its shares (`CM-NAA-NETWORK-RIGHT`,
    /// `X-CM-DENY-NETWORK-LOGON`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny_network_logon: Vec<Text>,
}

fn yes() -> bool {
    true
}

/// The product a site runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawProduct {
    /// SMS 2.0 (the default): Q224286's rules.
    Sms2,
    /// Configuration Manager current branch.
    Configmgr,
}

/// How a Configuration Manager site approves clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawApproval {
    /// Automatically approve computers in trusted domains (the default).
    TrustedDomains,
    /// Manually approve each computer.
    Manual,
    /// Automatically approve all computers.
    All,
}

/// The SMS site.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a site object")]
pub struct RawSite {
    /// `sms2` (default) or `configmgr` (`X-PRODUCT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<RawProduct>,
    /// Three-character site code (`ABC`).
    pub code: Text,
    /// Domain of the site server, where SMS setup creates its domain accounts.
    pub domain: Text,
    /// Name of the client token account (default `SMSCliToknAcct&`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_account: Option<Text>,
    /// Client network connection accounts, `DOMAIN\name`, in the order NAL tries them.
    /// Omitted: the one SMS setup creates, `SMSClient_<code>` in the site's domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_accounts: Option<Vec<Text>>,
    /// The Windows NT Software Installation account, `DOMAIN\name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_installation_account: Option<Text>,
    /// Rights granted to it with Administrators while its programs run (A13).
    #[serde(default)]
    pub software_installation_rights: Vec<Text>,
    /// The client access point, `\\server\share`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap: Option<Text>,
    /// Distribution point shares, `\\server\share`.
    pub distribution_points: Vec<Text>,
    /// Configuration Manager only: the network access accounts, `DOMAIN\name`, in the
    /// order the client tries them (at most 10).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub network_access_accounts: Vec<Text>,
    /// Configuration Manager only: network access accounts the site used before; their
    /// secrets stay on its clients (CRED-4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_network_access_accounts: Vec<Text>,
    /// Configuration Manager only: the site uses Enhanced HTTP.
    #[serde(default, skip_serializing_if = "is_false")]
    pub enhanced_http: bool,
    /// Configuration Manager only: the site requires HTTPS with PKI client certificates.
    #[serde(default, skip_serializing_if = "is_false")]
    pub https_only: bool,
    /// Configuration Manager only: how the site approves clients; omitted:
    /// `trusted_domains`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<RawApproval>,
    /// Configuration Manager only: the primary site server's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_server: Option<Text>,
    /// Configuration Manager only: the site's passive site servers (high availability),
    /// each holding the site's key as the active one does (CRED-5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub passive_site_servers: Vec<Text>,
    /// Configuration Manager only: accounts and groups that can read the site database,
    /// `STORE\name` (`X-CM-DATABASE-READER`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub database_readers: Vec<Text>,
    /// Configuration Manager only: the distribution points, of those above, that allow
    /// clients to connect anonymously.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anonymous_distribution_points: Vec<Text>,
    /// Configuration Manager only: client push installation; omitted: the site pushes
    /// nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_push: Option<RawClientPush>,
    /// Configuration Manager only: task sequences and the accounts they carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub task_sequences: Vec<RawTaskSequence>,
    /// Configuration Manager only: deployments of task sequences to collections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deployments: Vec<RawDeployment>,
    /// Configuration Manager only: PXE-enabled distribution points.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pxe: Vec<RawPxe>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A non-SMS network resource.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a resource object")]
pub struct RawResource {
    /// Name, unique in the scenario.
    pub name: Text,
    /// `\\server\share`.
    pub path: Text,
    /// Accounts and groups granted access, `STORE\name`.
    #[serde(default)]
    pub read: Vec<Text>,
}

/// A package.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a package object")]
pub struct RawPackage {
    /// Package id (`ABC00001`).
    pub id: Text,
    /// Its copies on distribution points, in the order clients try them (Q205406).
    pub copies: Vec<RawPackageCopy>,
}

/// A package's folder on one distribution point.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a package copy object")]
pub struct RawPackageCopy {
    /// One of the site's distribution points, `\\server\share`.
    pub distribution_point: Text,
    /// Accounts and groups that can read the package folder, `STORE\name`. Not given at
    /// a Configuration Manager site: the distribution point's local Users, its stated
    /// default (`CM-DP-USERS`, `X-CM-DP-USERS`); not given at an SMS 2.0 site, or `[]`
    /// at either: no one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<Vec<Text>>,
}

/// Run mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawRunMode {
    /// Run with user's rights.
    UserRights,
    /// Run with administrative rights.
    AdministrativeRights,
}

/// Program can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawCanRun {
    /// Only when a user is logged on.
    OnlyWhenUserLoggedOn,
    /// Whether or not a user is logged on.
    WhetherOrNotUserLoggedOn,
    /// Only when no user is logged on.
    OnlyWhenNoUserLoggedOn,
}

/// A program.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a program object")]
pub struct RawProgram {
    /// Name, unique in the scenario.
    pub name: Text,
    /// Package id.
    pub package: Text,
    /// Run mode.
    pub run_mode: RawRunMode,
    /// Program can run.
    pub can_run: RawCanRun,
    /// "Use Windows NT client software installation account" (administrative rights and a
    /// can-run other than `only_when_user_logged_on` only).
    #[serde(default)]
    pub use_software_installation_account: bool,
    /// Configuration Manager only: "Allow users to view and interact with the program
    /// installation" (administrative rights and a can-run other than
    /// `only_when_no_user_logged_on` only: `CM-INTERACT`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub allow_user_interaction: bool,
    /// Names of the non-SMS resources it needs.
    #[serde(default)]
    pub resources: Vec<Text>,
}

/// An advertisement.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "an advertisement object")]
pub struct RawAdvertisement {
    /// Name, unique in the scenario (`ABC20001`).
    pub name: Text,
    /// The program's name.
    pub program: Text,
    /// The collection the advertisement is sent to: its members are the targets. Give
    /// this or `targets`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<Text>,
    /// Target clients' names, when the advertisement names no collection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<Text>>,
}

/// An SMS collection: a named set of clients.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a collection object")]
pub struct RawCollection {
    /// Name, unique in the scenario (`All Windows NT Systems`).
    pub name: Text,
    /// Member clients' names; each an SMS client, listed once.
    pub members: Vec<Text>,
    /// Configuration Manager only: whether a client that registers new falls into it;
    /// omitted: only a collection named `All Systems` does (`X-CM-NEW-REGISTRATIONS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_registrations: Option<bool>,
    /// Configuration Manager only: it holds the computers the site does not manage
    /// (`All Unknown Computers`), which PXE boot media deploy to.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unknown_computers: bool,
    /// Configuration Manager only: its collection variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<RawVariable>,
}

/// The initial state.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a state object")]
pub struct RawState {
    /// Who is logged on where: at most one user per client.
    #[serde(default)]
    pub logons: Vec<RawLogon>,
    /// Connections of the clients' logon sessions, in the order they were made.
    #[serde(default)]
    pub connections: Vec<RawConnection>,
    /// Disabled accounts, `STORE\name`.
    #[serde(default)]
    pub disabled: Vec<Text>,
    /// Locked-out accounts, `STORE\name`.
    #[serde(default)]
    pub locked_out: Vec<Text>,
    /// Passwords a client holds that are out of date (A16).
    #[serde(default)]
    pub stale_passwords: Vec<RawStalePassword>,
    /// Servers that do not answer.
    #[serde(default)]
    pub unavailable_servers: Vec<Text>,
}

/// A logged-on user.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a logon object")]
pub struct RawLogon {
    /// The client.
    pub client: Text,
    /// The user, `STORE\name`.
    pub user: Text,
}

/// Logon session kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawSession {
    /// The logged-on user's session.
    Interactive,
    /// The SMS client service's session (NT only).
    Service,
}

/// A connection of a logon session.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a connection object")]
pub struct RawConnection {
    /// The client.
    pub client: Text,
    /// Which of its logon sessions.
    pub session: RawSession,
    /// `\\server` or `\\server\share`.
    pub path: Text,
    /// The account whose credentials made it, `STORE\name`.
    #[serde(rename = "as")]
    pub credential: Text,
    /// A drive letter (`S:`) for a mapped drive; omitted for a device-less connection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drive: Option<Text>,
}

/// A stale password held by a client.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a stale password object")]
pub struct RawStalePassword {
    /// The client.
    pub client: Text,
    /// The account, `DOMAIN\name`.
    pub account: Text,
}

/// The ids other tools give the estate's objects, each list optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawExternalIds {
    /// Domains: SID and DNS name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<RawDomainIds>,
    /// Accounts and groups: SID. A computer account `NAME$` takes its machine's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<RawAccountId>,
    /// Machines: SID, and an SMS client's device id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub machines: Vec<RawMachineIds>,
}

impl RawExternalIds {
    /// Whether no list has an entry.
    pub fn is_empty(&self) -> bool {
        self.domains.is_empty() && self.accounts.is_empty() && self.machines.is_empty()
    }
}

/// A domain's ids.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDomainIds {
    /// The domain's name, as in `domains`.
    pub name: Text,
    /// Its SID, `S-1-5-21-` and three numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Text>,
    /// Its DNS name (`corp.example`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<Text>,
}

/// An account's SID.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAccountId {
    /// The account, `STORE\name`.
    pub name: Text,
    /// Its SID: its domain's SID and one more number for a domain account.
    pub sid: Text,
}

/// A machine's ids.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMachineIds {
    /// The machine's name, as in `machines`.
    pub name: Text,
    /// Its SID (its computer account's): its domain's SID and one more number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Text>,
    /// Its SMS client's device id as ConfigManBearPig gives it: `GUID:...` for a
    /// confirmed client, `SID@SITE` for an inferred one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Text>,
}

/// A fact the collection could not establish.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawUnknown {
    /// The fact: the site's `network_access_accounts`, `previous_network_access_accounts`,
    /// `approval`, `enhanced_http`, `anonymous_distribution_points` or `policy_secrets`
    /// (task sequences, deployments, collection variables); a machine's `administrators`
    /// or, for a distribution point, `pxe` (its PXE password and segments); a domain's
    /// `machine_account_quota`, `add_workstations` or `trusts`.
    pub fact: Text,
    /// The machine, for `administrators` and `pxe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<Text>,
    /// The domain, for a domain's fact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Text>,
    /// Why it is unknown (`the collection ran unprivileged`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub because: Option<Text>,
}
