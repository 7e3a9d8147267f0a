//! The model assumptions of the domain notes (section 3): the readings a scenario can
//! switch, with the defaults that follow Q224286, and the set of assumptions a decision
//! consulted (the `X-CM-` assumptions of a Configuration Manager decision among them).

use crate::rules::RuleId;

/// A2: how an administrative-rights program without the Software Installation account
/// chooses its context when a user is logged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum AdminRightsPolicy {
    /// Q224286: the logged-on user when an administrator (A1), else the service context.
    #[default]
    ServiceIfUserLacksRights,
    /// Q263279: always the service context, even for an administrator.
    AlwaysService,
}

/// A3: whether the client token account's Administrators membership is standing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum TokenAdminMembership {
    /// Q224286: a standing member everywhere.
    #[default]
    Standing,
    /// Q278660: added for a run and removed after it on clients other than DCs; standing
    /// on DCs. The Act as part of the operating system right stays standing.
    TransientOnMemberClients,
}

/// A4: whose credentials the current-context step of NAL carries for a Software
/// Installation account program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum SwiaDpContext {
    /// Q224286's closing note: the process's own token, the client token account.
    #[default]
    ClientTokenAccount,
    /// Q307434 (SP4 hotfix): Smsapm32 switches to the Software Installation account first.
    SoftwareInstallationAccount,
}

/// A5: which connections NAL sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ConnectionScope {
    /// NT keeps its connection table per logon session.
    #[default]
    LogonSession,
    /// Every session's connections on the machine.
    Machine,
}

/// A6: whether Windows 95/98 clients try the client network connection accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Win9xConnectionAccounts {
    /// Q237759, Q293662: Windows 9x does network work only as the logged-on user.
    #[default]
    NotUsed,
    /// They try them as NT clients do.
    Used,
}

/// A14: the SMS 2.0 service pack of the clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ServicePack {
    /// SP2 or later (the article's era).
    #[default]
    Sp2,
    /// RTM or SP1: granting Administrators on a BDC fails with error 2226 (Q242011).
    RtmSp1,
}

/// The switchable model assumptions, one value per scenario. `Default` gives the
/// readings that follow Q224286.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Assumptions {
    /// A2.
    pub admin_rights_policy: AdminRightsPolicy,
    /// A3.
    pub token_admin_membership: TokenAdminMembership,
    /// A4.
    pub swia_dp_context: SwiaDpContext,
    /// A5.
    pub connection_scope: ConnectionScope,
    /// A6.
    pub win9x_connection_accounts: Win9xConnectionAccounts,
    /// A14.
    pub service_pack: ServicePack,
    /// A15: the Software Installation account's name and password reach every NT client.
    pub swia_secret_on_clients: bool,
}

impl Default for Assumptions {
    fn default() -> Self {
        Assumptions {
            admin_rights_policy: AdminRightsPolicy::default(),
            token_admin_membership: TokenAdminMembership::default(),
            swia_dp_context: SwiaDpContext::default(),
            connection_scope: ConnectionScope::default(),
            win9x_connection_accounts: Win9xConnectionAccounts::default(),
            service_pack: ServicePack::default(),
            swia_secret_on_clients: true,
        }
    }
}

/// A model assumption a decision can consult (domain notes section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Assumption {
    /// Sufficient rights = membership in the client's Administrators.
    A1,
    /// `admin_rights_policy`.
    A2,
    /// `token_admin_membership`.
    A3,
    /// `swia_dp_context`.
    A4,
    /// `connection_scope`.
    A5,
    /// `win9x_connection_accounts`.
    A6,
    /// Only device-less connections count for `NAL-EXISTING`.
    A7,
    /// Software Installation account programs fail on Windows 95/98.
    A8,
    /// Trusts are one-way and not transitive.
    A9,
    /// Who authenticates where.
    A10,
    /// Logged-on state and "program can run".
    A11,
    /// Fail closed.
    A12,
    /// The Software Installation account's granted rights.
    A13,
    /// `service_pack`.
    A14,
    /// `swia_secret_on_clients`.
    A15,
    /// Stale passwords.
    A16,
    /// Configuration Manager: CcmExec starts every program (`X-CM-LAUNCHER`).
    CmLauncher,
    /// Configuration Manager: computer accounts and forest trusts (`X-CM-AD`).
    CmAd,
    /// Configuration Manager: a workgroup client has no computer account
    /// (`X-CM-WORKGROUP`).
    CmWorkgroup,
    /// Configuration Manager: the order of the network access accounts
    /// (`X-CM-NAA-ORDER`).
    CmNaaOrder,
    /// Configuration Manager: the site token reads every package (`X-CM-TOKEN-READS`).
    CmTokenReads,
    /// Configuration Manager: anonymous connections (`X-CM-ANONYMOUS`).
    CmAnonymous,
    /// Configuration Manager: the order of the ways to the content
    /// (`X-CM-CONTENT-ORDER`).
    CmContentOrder,
    /// Configuration Manager: who the distribution point's local Users are
    /// (`X-CM-DP-USERS`).
    CmDpUsers,
    /// Configuration Manager: a network access account of an untrusted domain
    /// (`X-CM-NAA-UNTRUSTED`).
    CmNaaUntrusted,
    /// A denied "Access this computer from the network" (`X-CM-DENY-NETWORK-LOGON`).
    CmDenyNetworkLogon,
}

impl Assumption {
    /// Every assumption, in order.
    pub const ALL: [Assumption; 26] = [
        Assumption::A1,
        Assumption::A2,
        Assumption::A3,
        Assumption::A4,
        Assumption::A5,
        Assumption::A6,
        Assumption::A7,
        Assumption::A8,
        Assumption::A9,
        Assumption::A10,
        Assumption::A11,
        Assumption::A12,
        Assumption::A13,
        Assumption::A14,
        Assumption::A15,
        Assumption::A16,
        Assumption::CmLauncher,
        Assumption::CmAd,
        Assumption::CmWorkgroup,
        Assumption::CmNaaOrder,
        Assumption::CmTokenReads,
        Assumption::CmAnonymous,
        Assumption::CmContentOrder,
        Assumption::CmDpUsers,
        Assumption::CmNaaUntrusted,
        Assumption::CmDenyNetworkLogon,
    ];

    /// The catalog rule of this assumption.
    pub const fn rule(self) -> RuleId {
        match self {
            Assumption::A1 => RuleId::A1,
            Assumption::A2 => RuleId::A2,
            Assumption::A3 => RuleId::A3,
            Assumption::A4 => RuleId::A4,
            Assumption::A5 => RuleId::A5,
            Assumption::A6 => RuleId::A6,
            Assumption::A7 => RuleId::A7,
            Assumption::A8 => RuleId::A8,
            Assumption::A9 => RuleId::A9,
            Assumption::A10 => RuleId::A10,
            Assumption::A11 => RuleId::A11,
            Assumption::A12 => RuleId::A12,
            Assumption::A13 => RuleId::A13,
            Assumption::A14 => RuleId::A14,
            Assumption::A15 => RuleId::A15,
            Assumption::A16 => RuleId::A16,
            Assumption::CmLauncher => RuleId::XCmLauncher,
            Assumption::CmAd => RuleId::XCmAd,
            Assumption::CmWorkgroup => RuleId::XCmWorkgroup,
            Assumption::CmNaaOrder => RuleId::XCmNaaOrder,
            Assumption::CmTokenReads => RuleId::XCmTokenReads,
            Assumption::CmAnonymous => RuleId::XCmAnonymous,
            Assumption::CmContentOrder => RuleId::XCmContentOrder,
            Assumption::CmDpUsers => RuleId::XCmDpUsers,
            Assumption::CmNaaUntrusted => RuleId::XCmNaaUntrusted,
            Assumption::CmDenyNetworkLogon => RuleId::XCmDenyNetworkLogon,
        }
    }
}

/// A set of assumptions, as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct AssumptionSet(u32);

impl AssumptionSet {
    /// Adds one assumption.
    pub fn insert(&mut self, assumption: Assumption) {
        self.0 |= 1 << assumption as u8;
    }
    /// Whether the set holds `assumption`.
    pub const fn contains(self, assumption: Assumption) -> bool {
        self.0 & (1 << assumption as u8) != 0
    }
    /// The assumptions of the set, in order.
    pub fn iter(self) -> impl Iterator<Item = Assumption> {
        Assumption::ALL
            .into_iter()
            .filter(move |a| self.contains(*a))
    }
}
