//! The vocabulary of a decision: what SMS does with one advertisement on one client,
//! in the article's words. Launcher, context, outcome, wait, failure and its reasons,
//! the token, the Software Installation account's grant, the connection that reached
//! the distribution point, what a set of credentials achieved at a server, and the
//! Windows errors the sources name.
//!
//! This module sits below both the engine, which makes decisions, and the trace, which
//! records the steps that made them; it depends on the model and the rule catalog only.
//! Everything here is plain `Copy` data.

use crate::model::*;
use crate::rules::RuleId;

/// The program that starts the advertised program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Launcher {
    /// `Pea32.exe`: the user context (`USER-PEA32`).
    Pea32,
    /// `Smsapm32.exe`, the Advertised Programs Manager: the service context and the
    /// Software Installation account (`SVC-SMSAPM32`).
    Smsapm32,
    /// `CcmExec.exe`, the Configuration Manager client's SMS Agent Host service
    /// (`X-CM-LAUNCHER`).
    CcmExec,
}

/// The security context a program runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    /// The logged-on user.
    User,
    /// The "pseudo-service" context of the client token account.
    Service,
    /// The Windows NT Software Installation account.
    SoftwareInstallation,
    /// Local System: a Configuration Manager program run with administrative rights
    /// (`X-CM-LOCAL-SYSTEM`).
    LocalSystem,
}

/// What a client does with the advertisement now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The program runs.
    Run,
    /// The program waits for the logged-on state to change.
    Wait(Wait),
    /// The program fails, with the reason.
    Fail(Failure),
    /// The program can never run on this client.
    Never,
}

/// What a waiting program waits for (A11).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wait {
    /// A user to log on.
    ForLogon,
    /// The user to log off.
    ForNoUser,
}

/// Why a program fails, with the codes the sources give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Failure {
    /// The reason.
    pub reason: FailReason,
    /// The SMS status message id, where a source gives one (10003).
    pub status: Option<u16>,
    /// The Windows error, where a source or `X-WINERROR` gives one.
    pub error: Option<u32>,
}

/// The reasons a program fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailReason {
    /// A Software Installation account program on Windows 95/98 (A8).
    SoftwareInstallationOnWin9x,
    /// LogonUser of the Software Installation account failed (`SWIA-LOGON`).
    LogonFailed(AuthFailure),
    /// The client token account is disabled or locked out (`X-TOKEN-UNUSABLE`).
    TokenAccountUnusable(AuthFailure),
    /// Adding the account to Administrators failed (A14: a BDC before SP2).
    GrantFailed,
    /// No distribution point of the package answers (`X-DP-ORDER`).
    NoDistributionPoint,
    /// The existing connection NAL must use cannot read the package (`NAL-EXISTING`).
    ExistingConnectionCannotRead,
    /// Every NAL step failed.
    NoConnection,
    /// No way of a Configuration Manager client reached the package's content
    /// (`X-CM-CONTENT-ORDER`).
    NoContentAccess,
}

/// Windows errors (winerror.h, lmerr.h).
pub mod winerror {
    /// ERROR_ACCESS_DENIED.
    pub const ACCESS_DENIED: u32 = 5;
    /// ERROR_BAD_NETPATH.
    pub const BAD_NETPATH: u32 = 53;
    /// ERROR_SESSION_CREDENTIAL_CONFLICT (Q173199).
    pub const SESSION_CREDENTIAL_CONFLICT: u32 = 1219;
    /// ERROR_NO_SUCH_USER (Q264714).
    pub const NO_SUCH_USER: u32 = 1317;
    /// ERROR_LOGON_FAILURE: unknown user name or bad password.
    pub const LOGON_FAILURE: u32 = 1326;
    /// ERROR_ACCOUNT_DISABLED.
    pub const ACCOUNT_DISABLED: u32 = 1331;
    /// ERROR_ACCOUNT_LOCKED_OUT.
    pub const ACCOUNT_LOCKED_OUT: u32 = 1909;
    /// ERROR_LOGON_TYPE_NOT_GRANTED: the user has not been granted the requested logon
    /// type at this computer.
    pub const LOGON_TYPE_NOT_GRANTED: u32 = 1385;
    /// NERR_NotPrimary: the change must be made at the PDC (Q242011).
    pub const NOT_PRIMARY: u32 = 2226;
    /// SMS status 10003: an error occurred while preparing to run the program (Q263279).
    pub const STATUS_PREPARE_FAILED: u16 = 10003;

    /// The symbolic name of an error this crate reports, and the KB article that names
    /// it for SMS, if any.
    pub const fn name(error: u32) -> Option<(&'static str, Option<&'static str>)> {
        Some(match error {
            ACCESS_DENIED => ("ERROR_ACCESS_DENIED", None),
            BAD_NETPATH => ("ERROR_BAD_NETPATH", None),
            SESSION_CREDENTIAL_CONFLICT => ("ERROR_SESSION_CREDENTIAL_CONFLICT", Some("Q173199")),
            NO_SUCH_USER => ("ERROR_NO_SUCH_USER", Some("Q264714")),
            LOGON_FAILURE => ("ERROR_LOGON_FAILURE", None),
            ACCOUNT_DISABLED => ("ERROR_ACCOUNT_DISABLED", None),
            ACCOUNT_LOCKED_OUT => ("ERROR_ACCOUNT_LOCKED_OUT", None),
            LOGON_TYPE_NOT_GRANTED => ("ERROR_LOGON_TYPE_NOT_GRANTED", None),
            NOT_PRIMARY => ("NERR_NotPrimary", Some("Q242011")),
            _ => return None,
        })
    }
}

/// How a token holds the Administrators membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Membership {
    /// Not a member.
    None,
    /// A standing member.
    Standing,
    /// Added for this run and removed after it.
    AddedForRun,
}

/// What the run's token is, beyond the account's groups and rights as the estate has
/// them (which the trace lists in full).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Token {
    /// Membership in the client's Administrators group.
    pub administrators: Membership,
    /// Rights a rule gives the account for good (`SVC-TOKEN-RIGHTS`).
    pub rule_rights: RightSet,
    /// Rights added for this run only (`SWIA-GRANT`, A13).
    pub added_rights: RightSet,
}

/// Which NAL step reached the distribution point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Via {
    /// An existing device-less connection to the DP share (`NAL-EXISTING`).
    Existing,
    /// A new connection with the current context (`NAL-CURRENT`).
    Current,
    /// A new connection that carried another connection's credentials to the same server
    /// (`NAL-SERVER-SESSION`).
    ServerSession,
    /// The client network connection account at this position of the site's list
    /// (`NAL-CONNECTION-ACCOUNTS`).
    ConnectionAccount(u8),
    /// A Configuration Manager client's computer account (`CM-COMPUTER-FIRST`).
    ComputerAccount,
    /// The site token of HTTPS or Enhanced HTTP (`CM-ENHANCED-HTTP`).
    SiteToken,
    /// The network access account at this position of the site's list
    /// (`CM-NAA-FALLBACK`, `X-CM-NAA-ORDER`).
    NetworkAccessAccount(u8),
    /// An anonymous connection the distribution point allows (`X-CM-ANONYMOUS`).
    Anonymous,
}

/// The connection that reached the distribution point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DpConnection {
    /// The DP share.
    pub share: ShareId,
    /// Whose credentials read the package: `None` for the site token and an anonymous
    /// connection, which present no account.
    pub credential: Option<AccountId>,
    /// The step that connected.
    pub via: Via,
}

/// The Software Installation account's temporary grant (`SWIA-GRANT`, `SWIA-REVOKE`):
/// added just before the program starts, removed when it finishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grant {
    /// The Software Installation account.
    pub account: AccountId,
    /// The Administrators group it joins: the client's, or the domain's on a DC (D2);
    /// `None` when it is a standing member already (`X-SWIA-STANDING`).
    pub group: Option<AccountId>,
    /// The rights granted with it (A13).
    pub rights: RightSet,
}

/// What SMS does with one advertisement on one client. Plain `Copy` data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decision {
    /// Runs, waits, fails or never runs.
    pub outcome: Outcome,
    /// The rule that settled the outcome: the context rule for a run, the rule that
    /// stopped it otherwise.
    pub decided_by: RuleId,
    /// The launcher, once a context is chosen.
    pub launcher: Option<Launcher>,
    /// The context chosen.
    pub context: Option<Context>,
    /// The account whose token the program runs with.
    pub account: Option<AccountId>,
    /// What the token holds beyond the estate's memberships.
    pub token: Option<Token>,
    /// The connection that reached the distribution point.
    pub dp: Option<DpConnection>,
    /// The Software Installation account's temporary grant.
    pub grant: Option<Grant>,
    /// The model assumptions the decision consulted.
    pub assumptions: AssumptionSet,
}

/// Why credentials did not authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthFailure {
    /// No such account where it was looked up.
    UnknownAccount,
    /// A local account of another machine (A10); when the server has an account of the
    /// same name, the try is a bad-password event there (D5).
    LocalAccount {
        /// Whether the server's account database has a namesake.
        bad_password_at_server: bool,
    },
    /// The account's domain is not the server's nor one it trusts (A9, A10).
    UntrustedDomain,
    /// The account is disabled.
    Disabled,
    /// The account is locked out.
    LockedOut,
    /// The client holds an out-of-date password (A16): a bad-password event at the
    /// account's domain.
    StalePassword,
    /// The server does not answer.
    ServerDown,
    /// The server denies the account "Access this computer from the network"
    /// (`CM-NAA-NETWORK-RIGHT`, `X-CM-DENY-NETWORK-LOGON`).
    NetworkLogonDenied,
}

impl AuthFailure {
    /// The Windows error of the failed logon (`X-WINERROR`).
    pub const fn error(self) -> u32 {
        use winerror::*;
        match self {
            AuthFailure::Disabled => ACCOUNT_DISABLED,
            AuthFailure::LockedOut => ACCOUNT_LOCKED_OUT,
            AuthFailure::ServerDown => BAD_NETPATH,
            AuthFailure::NetworkLogonDenied => LOGON_TYPE_NOT_GRANTED,
            AuthFailure::UnknownAccount
            | AuthFailure::LocalAccount { .. }
            | AuthFailure::UntrustedDomain
            | AuthFailure::StalePassword => LOGON_FAILURE,
        }
    }

    /// What went wrong, in words.
    pub const fn describe(self) -> &'static str {
        match self {
            AuthFailure::UnknownAccount => "no such account",
            AuthFailure::LocalAccount {
                bad_password_at_server: true,
            } => {
                "a local account of another machine; a bad-password event on the server's namesake (D5)"
            }
            AuthFailure::LocalAccount {
                bad_password_at_server: false,
            } => "a local account of another machine",
            AuthFailure::UntrustedDomain => "its domain is not trusted there",
            AuthFailure::Disabled => "the account is disabled",
            AuthFailure::LockedOut => "the account is locked out",
            AuthFailure::StalePassword => {
                "the client holds an old password; a bad-password event (A16)"
            }
            AuthFailure::ServerDown => "the server does not answer",
            AuthFailure::NetworkLogonDenied => {
                "it is denied \"Access this computer from the network\" there"
            }
        }
    }

    /// A short stable name, for JSON.
    pub const fn key(self) -> &'static str {
        match self {
            AuthFailure::UnknownAccount => "unknown_account",
            AuthFailure::LocalAccount { .. } => "local_account",
            AuthFailure::UntrustedDomain => "untrusted_domain",
            AuthFailure::Disabled => "disabled",
            AuthFailure::LockedOut => "locked_out",
            AuthFailure::StalePassword => "stale_password",
            AuthFailure::ServerDown => "server_down",
            AuthFailure::NetworkLogonDenied => "network_logon_denied",
        }
    }
}

/// What one set of credentials achieved at a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// Connected and can read.
    Read,
    /// Connected but cannot read.
    Denied,
    /// Did not authenticate.
    NotAuthenticated(AuthFailure),
    /// Another credential set holds the server session (error 1219, D4).
    Conflict,
}

impl Access {
    /// The Windows error of a failed access (0 for a read).
    pub const fn error(self) -> u32 {
        use winerror::*;
        match self {
            Access::Read => 0,
            Access::Denied => ACCESS_DENIED,
            Access::NotAuthenticated(f) => f.error(),
            Access::Conflict => SESSION_CREDENTIAL_CONFLICT,
        }
    }
}

impl std::fmt::Display for Membership {
    /// As the token's text prints it: `none`, `standing`, `added for this run`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Membership::None => "none",
            Membership::Standing => "standing",
            Membership::AddedForRun => "added for this run",
        })
    }
}

impl std::fmt::Display for AuthFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl Access {
    /// A short stable name, for JSON.
    pub const fn key(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Denied => "denied",
            Access::NotAuthenticated(f) => f.key(),
            Access::Conflict => "conflict",
        }
    }
}

impl std::fmt::Display for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Access::Read => f.write_str("connected, can read"),
            Access::Denied => f.write_str("connected, cannot read (error 5)"),
            Access::NotAuthenticated(a) => {
                write!(
                    f,
                    "not authenticated: {} (error {})",
                    a.describe(),
                    a.error()
                )
            }
            Access::Conflict => f.write_str(
                "error 1219: the server session already belongs to other credentials (D4)",
            ),
        }
    }
}

impl Launcher {
    /// The program's file name: `Pea32.exe` or `Smsapm32.exe`.
    pub const fn file_name(self) -> &'static str {
        match self {
            Launcher::Pea32 => "Pea32.exe",
            Launcher::Smsapm32 => "Smsapm32.exe",
            Launcher::CcmExec => "CcmExec.exe",
        }
    }
}

impl std::fmt::Display for Launcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.file_name())
    }
}

impl Context {
    /// The context in words.
    pub const fn describe(self) -> &'static str {
        match self {
            Context::User => "logged-on user",
            Context::Service => "service context",
            Context::SoftwareInstallation => "Windows NT Software Installation account",
            Context::LocalSystem => "Local System",
        }
    }

    /// A short stable name, for JSON and scenario files.
    pub const fn key(self) -> &'static str {
        match self {
            Context::User => "user",
            Context::Service => "service",
            Context::SoftwareInstallation => "software_installation_account",
            Context::LocalSystem => "local_system",
        }
    }
}

impl std::fmt::Display for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

impl std::fmt::Display for Via {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Via::Existing => f.write_str("existing connection"),
            Via::Current => f.write_str("current context"),
            Via::ServerSession => f.write_str("another connection to the same server"),
            Via::ConnectionAccount(i) => write!(f, "connection account #{}", *i as usize + 1),
            Via::ComputerAccount => f.write_str("computer account"),
            Via::SiteToken => f.write_str("site token"),
            Via::NetworkAccessAccount(i) => {
                write!(f, "network access account #{}", *i as usize + 1)
            }
            Via::Anonymous => f.write_str("anonymous connection"),
        }
    }
}

impl FailReason {
    /// A short stable name, for JSON.
    pub const fn key(self) -> &'static str {
        match self {
            FailReason::SoftwareInstallationOnWin9x => "software_installation_on_win9x",
            FailReason::LogonFailed(_) => "logon_failed",
            FailReason::TokenAccountUnusable(_) => "token_account_unusable",
            FailReason::GrantFailed => "grant_failed",
            FailReason::NoDistributionPoint => "no_distribution_point",
            FailReason::ExistingConnectionCannotRead => "existing_connection_cannot_read",
            FailReason::NoConnection => "no_connection",
            FailReason::NoContentAccess => "no_content_access",
        }
    }
}

impl std::fmt::Display for FailReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FailReason::SoftwareInstallationOnWin9x => {
                f.write_str("the Software Installation account cannot be used on Windows 95/98")
            }
            FailReason::LogonFailed(a) => write!(
                f,
                "LogonUser of the Software Installation account failed: {}",
                a.describe()
            ),
            FailReason::TokenAccountUnusable(a) => {
                write!(
                    f,
                    "the client token account cannot be used: {}",
                    a.describe()
                )
            }
            FailReason::GrantFailed => f.write_str("adding the account to Administrators failed"),
            FailReason::NoDistributionPoint => {
                f.write_str("no distribution point of the package answers")
            }
            FailReason::ExistingConnectionCannotRead => f.write_str(
                "the existing connection cannot read the package and NAL tries nothing else",
            ),
            FailReason::NoConnection => f.write_str("no NAL step reached the package"),
            FailReason::NoContentAccess => {
                f.write_str("no way of the client reached the package's content")
            }
        }
    }
}

impl std::fmt::Display for Failure {
    /// The reason, then the status and the Windows error with its name and the KB
    /// article that names it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.reason)?;
        if let Some(status) = self.status {
            write!(f, "; status {status}")?;
        }
        if let Some(error) = self.error {
            write!(f, "; error {error}")?;
            if let Some((name, kb)) = winerror::name(error) {
                match kb {
                    Some(kb) => write!(f, " ({name}, {kb})")?,
                    None => write!(f, " ({name})")?,
                }
            }
        }
        Ok(())
    }
}

impl std::fmt::Display for Wait {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Wait::ForLogon => "waits for a user to log on",
            Wait::ForNoUser => "waits for no user to be logged on",
        })
    }
}

impl std::fmt::Display for Outcome {
    /// The outcome as the text trace prints it: `runs`, `waits for ...`, `fails: ...`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Run => f.write_str("runs"),
            Outcome::Wait(w) => write!(f, "{w}"),
            Outcome::Never => f.write_str("never runs on this client"),
            Outcome::Fail(failure) => write!(f, "fails: {failure}"),
        }
    }
}
