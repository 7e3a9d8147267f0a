//! The trace of a resolution: typed steps, each with the rule that produced it and the
//! facts it looked at, in the order the engine took them, and the [`Resolution`] that
//! pairs a decision with its trace. Steps hold ids and enums only; names are looked up
//! in the estate only when `render` is asked for text or JSON, so resolving
//! costs no string work.

pub use crate::decision::{Access, AuthFailure};
use crate::decision::{Context, Decision, Grant, Launcher, Outcome, Token, Via};
use crate::model::*;
use crate::rules::RuleId;

/// One step of a resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Step {
    /// The rule that produced it.
    pub rule: RuleId,
    /// What it looked at and concluded.
    pub fact: Fact,
}

/// The ordered steps of a resolution.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Trace {
    /// The steps, in the order the engine took them; the last is the outcome.
    pub steps: Vec<Step>,
}

/// The facts a step looked at and what it concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    /// The client and its platform.
    Client {
        /// The client.
        client: MachineId,
        /// Its platform.
        platform: Platform,
    },
    /// The program's properties.
    Program {
        /// The program.
        program: ProgramId,
        /// Run mode.
        run_mode: RunMode,
        /// Program can run.
        can_run: CanRun,
        /// Use the Software Installation account.
        software_installation_account: bool,
    },
    /// Who is logged on, and whether an administrator (when it mattered).
    LoggedOn {
        /// The user.
        user: Option<AccountId>,
        /// A1, when the decision needed it.
        administrator: Option<bool>,
    },
    /// The context chosen.
    Context {
        /// The context.
        context: Context,
    },
    /// The launcher.
    Launcher {
        /// The launcher.
        launcher: Launcher,
    },
    /// The account the program runs as.
    Account {
        /// The account.
        account: AccountId,
        /// In which context.
        context: Context,
    },
    /// Where the client token account lives.
    TokenAccountScope {
        /// The token account.
        account: AccountId,
        /// One domain account shared by the domain's DCs, or a local one.
        shared_by_dcs: bool,
    },
    /// The token the program gets.
    Token {
        /// Whose.
        account: AccountId,
        /// What rules add to it.
        token: Token,
    },
    /// LogonUser of the Software Installation account.
    Logon {
        /// The account.
        account: AccountId,
        /// Whether it logged on.
        result: Result<(), AuthFailure>,
    },
    /// The distribution point chosen.
    DistributionPoint {
        /// The DP share.
        share: ShareId,
        /// How many of the package's DPs before it were unavailable.
        skipped: u8,
    },
    /// No distribution point of the package answers.
    NoDistributionPoint {
        /// How many were unavailable.
        unavailable: u8,
    },
    /// Whose token the current-context step of NAL carries.
    NalContext {
        /// The account.
        account: AccountId,
        /// The program's context.
        context: Context,
    },
    /// The search for an existing device-less connection to the DP share.
    NalExisting {
        /// The connection found.
        connection: Option<Connection>,
        /// A mapped drive to the share that NAL does not see (A7).
        ignored_drive: Option<char>,
        /// What its credentials can do.
        access: Option<Access>,
    },
    /// Windows 95/98 do not lend another connection's credentials.
    NoServerSession,
    /// One NAL attempt.
    NalAttempt {
        /// Which step.
        via: Via,
        /// The credentials tried.
        credential: AccountId,
        /// The connection that lent them (`NAL-SERVER-SESSION`).
        lent_by: Option<Connection>,
        /// What they achieved.
        access: Access,
    },
    /// The connection accounts NAL will try.
    ConnectionAccounts {
        /// How many the site lists.
        count: u8,
    },
    /// Windows 95/98 do not try the connection accounts (A6).
    ConnectionAccountsSkipped,
    /// A non-SMS resource the program needs.
    Resource {
        /// The resource.
        resource: ResourceId,
        /// The program's account.
        account: AccountId,
        /// What it achieves there.
        access: Access,
    },
    /// The Software Installation account's grant, or its failure.
    Grant {
        /// The grant.
        grant: Grant,
        /// The Windows error when it failed.
        error: Option<u32>,
    },
    /// The grant's removal when the program finishes.
    Revoke {
        /// The grant removed.
        grant: Grant,
    },
    /// A Configuration Manager program runs as Local System (`X-CM-LOCAL-SYSTEM`).
    LocalSystem {
        /// Whether users can view and interact with it (`CM-INTERACT`).
        interact: bool,
    },
    /// The site's network access accounts are for content only (`CM-NAA-NEVER-RUNS`).
    NetworkAccessNotContext {
        /// How many the site lists.
        count: u8,
    },
    /// The Configuration Manager client downloads the content itself, whatever the
    /// program's context (`CM-CONTENT-AGENT`).
    ContentAgent {
        /// The computer account it offers first, if it has one.
        computer_account: Option<AccountId>,
    },
    /// A workgroup client has no computer account to offer (`X-CM-WORKGROUP`).
    NoComputerAccount,
    /// The network access accounts the client will try (`CM-NAA-FALLBACK`).
    NetworkAccessAccounts {
        /// How many the site lists.
        count: u8,
    },
    /// The site uses HTTPS or Enhanced HTTP: the client holds a site token, and needs no
    /// network access account (`CM-ENHANCED-HTTP`).
    SiteToken {
        /// HTTPS with PKI client certificates, rather than Enhanced HTTP.
        https: bool,
    },
    /// A package copy with no read list of its own: the distribution point's local
    /// Users read it by default (`CM-DP-USERS`), and `account` authenticates there, so
    /// it is one of them (`X-CM-DP-USERS`).
    DefaultRead {
        /// The distribution point share.
        share: ShareId,
        /// The account that reads through the default.
        account: AccountId,
    },
    /// The trust an account's domain needs at a server and lacks: `trusting` (the
    /// server's domain) does not trust `trusted` (`X-CM-NAA-UNTRUSTED`).
    MissingTrust {
        /// The server's domain.
        trusting: DomainId,
        /// The account's domain.
        trusted: DomainId,
    },
    /// One way of a Configuration Manager client to the content.
    ContentAttempt {
        /// Which way.
        via: Via,
        /// The account presented; `None` for the site token and anonymous.
        credential: Option<AccountId>,
        /// What it achieved.
        access: Access,
    },
    /// Where the Windows error of a failure comes from, when no KB article names it.
    WindowsError {
        /// The error.
        error: u32,
    },
    /// The outcome: always the last step.
    Outcome {
        /// The outcome.
        outcome: Outcome,
    },
}

impl Fact {
    /// A short stable name of the kind of step, for JSON.
    pub const fn kind(&self) -> &'static str {
        match self {
            Fact::Client { .. } => "client",
            Fact::Program { .. } => "program",
            Fact::LoggedOn { .. } => "logged_on",
            Fact::Context { .. } => "context",
            Fact::Launcher { .. } => "launcher",
            Fact::Account { .. } => "account",
            Fact::TokenAccountScope { .. } => "token_account_scope",
            Fact::Token { .. } => "token",
            Fact::Logon { .. } => "logon",
            Fact::DistributionPoint { .. } => "distribution_point",
            Fact::NoDistributionPoint { .. } => "no_distribution_point",
            Fact::NalContext { .. } => "nal_context",
            Fact::NalExisting { .. } => "nal_existing",
            Fact::NoServerSession => "no_server_session",
            Fact::NalAttempt { .. } => "nal_attempt",
            Fact::ConnectionAccounts { .. } => "connection_accounts",
            Fact::ConnectionAccountsSkipped => "connection_accounts_skipped",
            Fact::Resource { .. } => "resource",
            Fact::Grant { .. } => "grant",
            Fact::Revoke { .. } => "revoke",
            Fact::LocalSystem { .. } => "local_system",
            Fact::NetworkAccessNotContext { .. } => "network_access_not_context",
            Fact::ContentAgent { .. } => "content_agent",
            Fact::NoComputerAccount => "no_computer_account",
            Fact::SiteToken { .. } => "site_token",
            Fact::NetworkAccessAccounts { .. } => "network_access_accounts",
            Fact::DefaultRead { .. } => "default_read",
            Fact::MissingTrust { .. } => "missing_trust",
            Fact::ContentAttempt { .. } => "content_attempt",
            Fact::WindowsError { .. } => "windows_error",
            Fact::Outcome { .. } => "outcome",
        }
    }
}

/// A decision and the trace that explains it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The client.
    pub client: MachineId,
    /// The advertisement.
    pub advertisement: AdvertisementId,
    /// What happens.
    pub decision: Decision,
    /// Why, step by step.
    pub trace: Trace,
}
