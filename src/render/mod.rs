//! Renderings of decisions and traces: the text a person reads top to bottom, one line
//! a decision, and the JSON a tool reads. Names are looked up in the estate here, and
//! only here; the engine and the trace hold ids.
//!
//! The words for the decision's vocabulary (outcomes, contexts, launchers, failures,
//! access) are the `Display` impls of [`crate::decision`]; this module puts them in
//! order with the estate's names.

use std::fmt::Write as _;

use serde_json::Value;

use crate::decision::{Context, Decision, Launcher, Membership, Outcome, Token, Via};
use crate::model::*;
use crate::trace::{Fact, Resolution, Step};

/// The version of the JSON renderings of decisions: 2 since the output structs of
/// [`DecisionsOutput`] (1 was built by hand, without a schema).
pub const SCHEMA_VERSION: u32 = 2;

mod json;
mod push;

pub use json::*;
pub use push::{
    PUSH_SCHEMA_VERSION, PushAttemptOutput, PushOutput, PushTargetOutput, attempt_line,
    outcome_key, protocol_key, push_output, push_received_line, push_schema, push_site_line,
    push_target_line, push_text,
};

/// Names of things, for renderings.
pub(crate) struct Names<'a> {
    pub(crate) estate: &'a Estate,
}

impl Names<'_> {
    pub(crate) fn account(&self, id: AccountId) -> String {
        self.estate.qualified_name(id)
    }
    pub(crate) fn machine(&self, id: MachineId) -> &str {
        &self.estate.machine(id).name
    }
    pub(crate) fn share(&self, id: ShareId) -> String {
        self.estate.share_path(id)
    }
    fn connection(&self, c: &Connection) -> String {
        let path = match c.share {
            Some(s) => self.share(s),
            None => format!("\\\\{}", self.machine(c.server)),
        };
        let device = match c.device {
            Device::DeviceLess => "device-less".to_string(),
            Device::Drive(d) => format!("drive {d}:"),
        };
        format!("{path} ({device}, as {})", self.account(c.credential))
    }
}

/// `Pea32.exe` or `Smsapm32.exe`.
pub fn launcher_name(l: Launcher) -> &'static str {
    l.file_name()
}

/// The context in words.
pub fn context_name(c: Context) -> &'static str {
    c.describe()
}

/// The outcome in words (its `Display`).
pub fn outcome_text(outcome: Outcome) -> String {
    outcome.to_string()
}

/// A platform as people write it (its `Display`).
pub fn platform_name(p: Platform) -> &'static str {
    p.describe()
}

/// The console's words for a run mode (its `Display`).
pub fn run_mode_name(m: RunMode) -> &'static str {
    m.describe()
}

/// The console's words for "program can run" (its `Display`).
pub fn can_run_name(c: CanRun) -> &'static str {
    c.describe()
}

fn via_key(v: Via) -> String {
    match v {
        Via::Existing => "existing".into(),
        Via::Current => "current".into(),
        Via::ServerSession => "server_session".into(),
        Via::ConnectionAccount(i) => format!("connection_account_{}", i as usize + 1),
        Via::ComputerAccount => "computer_account".into(),
        Via::SiteToken => "site_token".into(),
        Via::NetworkAccessAccount(i) => format!("network_access_account_{}", i as usize + 1),
        Via::Anonymous => "anonymous".into(),
    }
}

fn rights_list(set: RightSet) -> String {
    let v: Vec<&str> = set.iter().map(Right::as_str).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

impl Names<'_> {
    /// The token's groups as seen on `client`: the account's groups but the client's
    /// Administrators, then that group when the token holds it (the text marks how).
    fn token_groups(
        &self,
        account: AccountId,
        client: MachineId,
        token: &Token,
    ) -> (Vec<String>, Option<AccountId>) {
        let e = self.estate;
        let admins = e.administrators_of(client);
        let groups = e
            .groups_on(account, client)
            .into_iter()
            .filter(|&g| Some(g) != admins)
            .map(|g| self.account(g))
            .collect();
        let held = admins.filter(|_| token.administrators != Membership::None);
        (groups, held)
    }

    fn token_text(&self, account: AccountId, client: MachineId, token: &Token) -> String {
        let e = self.estate;
        let (mut groups, held) = self.token_groups(account, client, token);
        if let Some(a) = held {
            groups.push(format!("{} ({})", self.account(a), token.administrators));
        }
        let standing = e.standing_rights(account, client).union(token.rule_rights);
        let groups = if groups.is_empty() {
            "none".to_string()
        } else {
            groups.join(", ")
        };
        let mut s = format!(
            "token of {} on {}: groups {groups}; rights {}",
            self.account(account),
            self.machine(client),
            rights_list(standing)
        );
        if !token.added_rights.is_empty() {
            let _ = write!(
                s,
                "; added for this run: {}",
                rights_list(token.added_rights)
            );
        }
        s
    }

    /// The text of a distribution-point or NAL step (the arms [`Names::step_text`] hands
    /// over); `None` for any other step.
    fn nal_text(&self, fact: Fact) -> Option<String> {
        Some(match fact {
            Fact::DistributionPoint { share, skipped } => {
                let mut s = format!("distribution point: {}", self.share(share));
                if skipped > 0 {
                    let _ = write!(s, " ({skipped} earlier unavailable)");
                }
                s
            }
            Fact::NoDistributionPoint { unavailable } => {
                format!("none of the package's {unavailable} distribution points answers")
            }
            Fact::NalContext { account, context } => format!(
                "NAL connects for the {} with the current context {}",
                context_name(context),
                self.account(account)
            ),
            Fact::NalExisting {
                connection,
                ignored_drive,
                access,
            } => {
                let mut s = match (connection, access) {
                    (Some(c), Some(a)) => {
                        format!("existing connection {}: {}", self.connection(&c), a)
                    }
                    _ => "no device-less connection to the DP share".to_string(),
                };
                if let Some(d) = ignored_drive {
                    let _ = write!(s, "; mapped drive {d}: to it is invisible to NAL (A7)");
                }
                s
            }
            Fact::NoServerSession => {
                "Windows 95/98 connect as the logged-on user; no other connection lends credentials"
                    .into()
            }
            Fact::NalAttempt {
                via,
                credential,
                lent_by,
                access,
            } => {
                let lent = match lent_by {
                    Some(c) => format!(" lent by {}", self.connection(&c)),
                    None => String::new(),
                };
                format!("{}: {}{lent}: {}", via, self.account(credential), access)
            }
            Fact::ConnectionAccounts { count } => {
                format!(
                    "the site lists {count} client network connection account(s), tried in order"
                )
            }
            Fact::ConnectionAccountsSkipped => {
                "Windows 95/98 do not try the client network connection accounts".into()
            }
            Fact::ContentAgent {
                computer_account: Some(a),
            } => format!(
                "the client downloads the content itself, whatever the program's context, first as its computer account {}",
                self.account(a)
            ),
            Fact::ContentAgent {
                computer_account: None,
            } => "the client downloads the content itself, whatever the program's context".into(),
            Fact::NoComputerAccount => "a workgroup client has no computer account to offer".into(),
            Fact::SiteToken { https } => format!(
                "the site uses {}: the client holds a site token and needs no network access account",
                if https { "HTTPS" } else { "Enhanced HTTP" }
            ),
            Fact::NetworkAccessAccounts { count } => {
                format!("the site lists {count} network access account(s), tried in order")
            }
            Fact::DefaultRead { share, account } => format!(
                "the package's copy on {} has no read list of its own: by default the distribution point's local Users read it, and {} authenticates there",
                self.share(share),
                self.account(account)
            ),
            Fact::MissingTrust { trusting, trusted } => format!(
                "`{}`, the distribution point's domain, does not trust `{}`",
                self.estate.domain(trusting).name,
                self.estate.domain(trusted).name
            ),
            Fact::ContentAttempt {
                via,
                credential: Some(a),
                access,
            } => format!("{via}: {}: {access}", self.account(a)),
            Fact::ContentAttempt {
                via: Via::SiteToken,
                credential: None,
                ..
            } => "site token: reads the package (X-CM-TOKEN-READS)".into(),
            Fact::ContentAttempt {
                via,
                credential: None,
                access,
            } => format!("{via}: the distribution point allows it: {access}"),
            _ => return None,
        })
    }

    /// The text of a resource, grant or revoke step (the arms [`Names::step_text`] hands
    /// over); `None` for any other step.
    fn run_text(&self, client: MachineId, fact: Fact) -> Option<String> {
        Some(match fact {
            Fact::Resource {
                resource,
                account,
                access,
            } => {
                let r = self.estate.resource(resource);
                format!(
                    "resource `{}` at {} as {}: {}",
                    r.name,
                    self.share(r.share),
                    self.account(account),
                    access
                )
            }
            Fact::Grant { grant, error: None } => match grant.group {
                Some(group) => format!(
                    "just before the program starts: {} joins {}, rights {}",
                    self.account(grant.account),
                    self.account(group),
                    rights_list(grant.rights)
                ),
                None => format!(
                    "just before the program starts: {} is already an administrator of {} (X-SWIA-STANDING); rights {}",
                    self.account(grant.account),
                    self.machine(client),
                    rights_list(grant.rights)
                ),
            },
            Fact::Grant {
                grant,
                error: Some(e),
            } => format!(
                "adding {} to Administrators fails with error {e}: the change must be made at the PDC",
                self.account(grant.account)
            ),
            Fact::Revoke { grant } => match grant.group {
                Some(group) => format!(
                    "when the program finishes: {} leaves {}, rights {} removed",
                    self.account(grant.account),
                    self.account(group),
                    rights_list(grant.rights)
                ),
                None => format!(
                    "when the program finishes: rights {} removed from {}; its standing membership stays",
                    rights_list(grant.rights),
                    self.account(grant.account)
                ),
            },
            _ => return None,
        })
    }

    /// One step as a line of text.
    pub(crate) fn step_text(&self, client: MachineId, step: &Step) -> String {
        match step.fact {
            Fact::DistributionPoint { .. }
            | Fact::NoDistributionPoint { .. }
            | Fact::NalContext { .. }
            | Fact::NalExisting { .. }
            | Fact::NoServerSession
            | Fact::NalAttempt { .. }
            | Fact::ConnectionAccounts { .. }
            | Fact::ConnectionAccountsSkipped
            | Fact::ContentAgent { .. }
            | Fact::NoComputerAccount
            | Fact::SiteToken { .. }
            | Fact::NetworkAccessAccounts { .. }
            | Fact::DefaultRead { .. }
            | Fact::MissingTrust { .. }
            | Fact::ContentAttempt { .. } => self.nal_text(step.fact).unwrap_or_default(),
            Fact::LocalSystem { interact } => format!(
                "the program runs as Local System: an administrator of the client with every privilege; users {} interact with it",
                if interact { "can" } else { "cannot" }
            ),
            Fact::NetworkAccessNotContext { count } => format!(
                "the site's {count} network access account(s) never run a program: they only reach content"
            ),
            Fact::Client { client, platform } if platform.is_current_windows() => format!(
                "client {} runs {}: programs run as the logged-on user or as Local System",
                self.machine(client),
                platform_name(platform)
            ),
            Fact::Client { client, platform } => {
                let contexts = if platform.is_win9x() {
                    "every program runs as the logged-on user"
                } else {
                    "programs run as the logged-on user or in the service context"
                };
                format!(
                    "client {} runs {}: {contexts}",
                    self.machine(client),
                    platform_name(platform)
                )
            }
            Fact::Program {
                program,
                run_mode,
                can_run,
                software_installation_account,
            } => {
                let p = self.estate.program(program);
                if self.estate.site().product == Product::ConfigMgr {
                    return format!(
                        "program `{}` of package {}: {}; can run {}; users {} interact with it",
                        p.name,
                        self.estate.package(p.package).id,
                        run_mode_name(run_mode),
                        can_run_name(can_run),
                        if p.allow_user_interaction {
                            "can"
                        } else {
                            "cannot"
                        }
                    );
                }
                format!(
                    "program `{}` of package {}: {}; can run {}; Software Installation account: {}",
                    p.name,
                    self.estate.package(p.package).id,
                    run_mode_name(run_mode),
                    can_run_name(can_run),
                    if software_installation_account {
                        "yes"
                    } else {
                        "no"
                    }
                )
            }
            Fact::LoggedOn { user: None, .. } => "nobody is logged on".into(),
            Fact::LoggedOn {
                user: Some(u),
                administrator,
            } => {
                let admin = match administrator {
                    Some(true) => format!(", an administrator of {} (A1)", self.machine(client)),
                    Some(false) => {
                        format!(", not an administrator of {} (A1)", self.machine(client))
                    }
                    None => String::new(),
                };
                format!("logged on: {}{admin}", self.account(u))
            }
            Fact::Context { context } => format!("context: {}", context_name(context)),
            Fact::Launcher { launcher } => format!("launcher: {}", launcher_name(launcher)),
            Fact::Account { account, context } => {
                let how = match context {
                    Context::User => "the program gets the user's own token",
                    Context::Service => "Smsapm32 runs as it, and so does the program it creates",
                    Context::SoftwareInstallation => "the site's Software Installation account",
                    Context::LocalSystem => "Local System",
                };
                format!("account: {} ({how})", self.account(account))
            }
            Fact::TokenAccountScope {
                account,
                shared_by_dcs: true,
            } => format!(
                "{} is one domain account shared by every DC client of the domain",
                self.account(account)
            ),
            Fact::TokenAccountScope {
                account,
                shared_by_dcs: false,
            } => format!(
                "{} is an account of {}'s own SAM, with its own password",
                self.account(account),
                self.machine(client)
            ),
            Fact::Token { account, token } => self.token_text(account, client, &token),
            Fact::Logon {
                account,
                result: Ok(()),
            } => {
                format!(
                    "LogonUser {} at {}: logged on",
                    self.account(account),
                    self.machine(client)
                )
            }
            Fact::Logon {
                account,
                result: Err(f),
            } => format!(
                "LogonUser {} at {}: failed: {} (error {})",
                self.account(account),
                self.machine(client),
                f.describe(),
                f.error()
            ),
            Fact::Resource { .. } | Fact::Grant { .. } | Fact::Revoke { .. } => {
                self.run_text(client, step.fact).unwrap_or_default()
            }
            Fact::WindowsError { error } => {
                let name = crate::engine::winerror::name(error).map_or("", |(n, _)| n);
                format!("error {error} is {name}, what the failing call returns (winerror.h)")
            }
            Fact::Outcome { outcome } => format!("outcome: {}", outcome),
        }
    }
}

/// One line summing a decision up: `runs as CORP\alice (logged-on user) by Pea32.exe`.
pub fn summary(estate: &Estate, decision: &Decision) -> String {
    let names = Names { estate };
    let mut s = decision.outcome.to_string();
    if let Some(context) = decision.context {
        let _ = write!(s, "; {}", context_name(context));
    }
    if let Some(account) = decision.account {
        let _ = write!(s, " {}", names.account(account));
    }
    if let Some(l) = decision.launcher {
        let _ = write!(s, " by {}", launcher_name(l));
    }
    if let Some(dp) = decision.dp {
        match dp.credential {
            Some(credential) => {
                let _ = write!(
                    s,
                    "; DP {} as {} via {}",
                    names.share(dp.share),
                    names.account(credential),
                    dp.via
                );
            }
            None => {
                let _ = write!(s, "; DP {} via {}", names.share(dp.share), dp.via);
            }
        }
    }
    s
}

/// Each step of a resolution's trace in words, with its rule: the lines of
/// [`render_text`] (and the report's trace).
pub fn step_texts(estate: &Estate, resolution: &Resolution) -> Vec<(crate::rules::RuleId, String)> {
    let names = Names { estate };
    resolution
        .trace
        .steps
        .iter()
        .map(|step| (step.rule, names.step_text(resolution.client, step)))
        .collect()
}

/// Each why-not candidate of a decision in words, in rank order: `if CHANGE: DECISION`
/// (what `trace --why-not` prints, and the report).
pub fn why_not_lines(estate: &Estate, whys: &[crate::engine::WhyNot]) -> Vec<String> {
    whys.iter()
        .map(|w| format!("if {}: {}", w.change, summary(estate, &w.decision)))
        .collect()
}

/// The text rendering of a resolution: a heading, the decision, every step numbered
/// with its rule id, and the assumptions consulted.
pub fn render_text(estate: &Estate, resolution: &Resolution) -> String {
    let names = Names { estate };
    let ad = estate.advertisement(resolution.advertisement);
    let d = &resolution.decision;
    let mut out = format!(
        "advertisement {} (program `{}`) on {}\n  decision: {}\n",
        ad.name,
        estate.program(ad.program).name,
        names.machine(resolution.client),
        summary(estate, d)
    );
    for (i, (rule, text)) in step_texts(estate, resolution).into_iter().enumerate() {
        let _ = writeln!(out, "  {:>2}. [{rule}] {text}", i + 1);
    }
    let consulted: Vec<&str> = d.assumptions.iter().map(|a| a.rule().as_str()).collect();
    let _ = writeln!(out, "  assumptions consulted: {}", consulted.join(", "));
    out
}

/// The JSON rendering of a resolution ([`ResolutionOutput`]).
pub fn render_json(estate: &Estate, resolution: &Resolution) -> Value {
    serde_json::to_value(resolution_output(estate, resolution, None)).unwrap_or_default()
}

/// The JSON document of several resolutions ([`DecisionsOutput`]), without warnings or
/// why-not; [`decisions_output`] takes both.
pub fn render_json_document(estate: &Estate, resolutions: &[Resolution]) -> Value {
    serde_json::to_value(decisions_output(estate, &[], resolutions, None)).unwrap_or_default()
}

/// A decision with its names abstracted: the outcome, launcher, context, the kind of
/// account (logged-on user, local or domain token account, Software Installation
/// account) and the NAL step that reached the DP. Decisions of one class differ only in
/// which objects they name.
pub fn summary_class(estate: &Estate, decision: &Decision) -> String {
    let mut s = decision.outcome.to_string();
    if let Some(l) = decision.launcher {
        let _ = write!(s, "; {}", launcher_name(l));
    }
    if let Some(a) = decision.account {
        let account = estate.account(a);
        let kind = match (account.role, account.store) {
            (Some(SmsRole::ClientToken), Store::Local(_)) => "local token account",
            (Some(SmsRole::ClientToken), Store::Domain(_)) => "domain token account",
            (Some(SmsRole::SoftwareInstallation), _) => "Software Installation account",
            (Some(SmsRole::ComputerAccount | SmsRole::NetworkAccess), _) => "site account",
            _ => "logged-on user",
        };
        let _ = write!(s, " as {kind}");
    } else if decision.context == Some(Context::LocalSystem) {
        s.push_str(" as Local System");
    }
    if let Some(dp) = decision.dp {
        let _ = write!(s, "; DP via {}", dp.via);
    }
    s
}

/// The estate in two lines, in its site's product's words: its domains, machines and
/// clients, then the site's accounts and ways to the content (what `validate` prints
/// after "is a valid scenario").
pub fn estate_summary(e: &Estate) -> [String; 2] {
    let site = e.site();
    let clients =
        |f: &dyn Fn(&Machine) -> bool| e.machines().iter().filter(|m| m.sms_client && f(m)).count();
    let head = format!(
        "{} domain(s), {} machine(s)",
        e.domains().len(),
        e.machines().len()
    );
    if site.product == Product::Sms2 {
        return [
            format!(
                "{head}: {} Windows 95/98, {} NT workstation/server and {} DC SMS clients",
                clients(&|m| m.platform.is_win9x()),
                clients(&|m| m.platform.is_nt() && !m.platform.is_dc()),
                clients(&|m| m.platform.is_dc())
            ),
            format!(
                "site {}: {} connection account(s), Software Installation account {}, {} distribution point(s)",
                site.code,
                site.connection_accounts.len(),
                site.software_installation_account
                    .map_or("none".to_string(), |a| e.qualified_name(a)),
                site.distribution_points.len()
            ),
        ];
    }
    let cm = &site.configmgr;
    let mut ways = vec!["the computer account"];
    if cm.https_only {
        ways.push("the site token (HTTPS)");
    } else if cm.enhanced_http {
        ways.push("the site token (Enhanced HTTP)");
    }
    if !(cm.network_access_accounts.is_empty() || cm.https_only || cm.enhanced_http) {
        ways.push("the network access accounts");
    }
    if !cm.anonymous_distribution_points.is_empty() {
        ways.push("anonymous where a distribution point allows it");
    }
    let approval = match cm.approval {
        Approval::TrustedDomains => "computers of trusted domains approved automatically",
        Approval::Manual => "each computer approved by hand",
        Approval::All => "every computer approved automatically",
    };
    [
        format!(
            "{head}: {} Configuration Manager clients ({} domain member(s), {} workgroup)",
            clients(&|_| true),
            clients(&|m| m.domain.is_some()),
            clients(&|m| m.domain.is_none())
        ),
        format!(
            "site {} (Configuration Manager): {} network access account(s), {} previous; {approval}; content as {}; {} distribution point(s)",
            site.code,
            cm.network_access_accounts.len(),
            cm.previous_network_access_accounts.len(),
            ways.join(", then "),
            site.distribution_points.len()
        ),
    ]
}
