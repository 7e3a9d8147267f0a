//! Client push installation as a decision (lineage-sources-2.md section 1): which
//! machines a Configuration Manager site pushes the client to, and for each, the
//! credentials it offers in order, over which protocol, and which one installs, every
//! step naming its rule as NAL's steps do.
//!
//! The order: each push account in the site's order (`CM-PUSH-ORDER`,
//! `X-CM-PUSH-LIST-ORDER`) until one is an administrator of the target
//! (`CM-PUSH-ACCOUNTS`), then the site server's computer account (`CM-PUSH-COMPUTER-LAST`,
//! or `CM-PUSH-COMPUTER` when no account is set), which fails for a target of another
//! domain (`CM-PUSH-CROSS-DOMAIN`). Each try is Kerberos where the target's domain
//! accepts the account's (`CM-PUSH-KERBEROS`); otherwise NTLM where the site allows it
//! in effect ([`ClientPush::ntlm`]), which hands the target the account's authentication
//! without authenticating it (the target cannot validate it either); otherwise nothing
//! is sent. An account that authenticates and is no administrator fails, and is not
//! retried over NTLM (`X-CM-PUSH-NOT-ADMIN`).

use crate::model::membership::Directory;
use crate::model::push::ClientPush;
use crate::model::{AccountId, Estate, MachineId, State, Store};
use crate::rules::RuleId;

/// How a machine comes to be a push target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Automatic site-wide push (`CM-PUSH-AUTO`).
    Automatic,
    /// Pushed to by hand.
    Manual,
}

/// The protocol of one try.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Protocol {
    /// Kerberos: nothing reusable reaches the target.
    Kerberos,
    /// NTLM: the target receives the account's authentication.
    Ntlm,
    /// Neither: Kerberos cannot authenticate and NTLM is not allowed; nothing is sent.
    Refused,
}

/// How one try ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    /// The account is an administrator of the target: the client is installed.
    Installs,
    /// The account authenticates and is no administrator.
    NotAdministrator,
    /// The account does not authenticate at the target.
    NotAuthenticated,
    /// The computer account of a site server in another domain.
    CrossDomain,
}

/// One try of one credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attempt {
    /// The account offered.
    pub account: AccountId,
    /// Whether it is the site server's computer account.
    pub computer_account: bool,
    /// Over which protocol.
    pub protocol: Protocol,
    /// How it ends.
    pub outcome: Outcome,
    /// The rule that orders the try.
    pub order_rule: RuleId,
    /// The rule of the protocol.
    pub protocol_rule: RuleId,
    /// The rule of the outcome.
    pub outcome_rule: RuleId,
    /// Whether an account that installs over Kerberos then queries WMI over NTLM: on
    /// 2103 to 2207 without the hotfix, whatever the fallback (`CM-PUSH-NTLM-BUG`,
    /// KB15599094).
    pub wmi_ntlm: bool,
}

/// The push of the client to one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushDecision {
    /// The target.
    pub target: MachineId,
    /// How it is a target.
    pub scope: Scope,
    /// The tries, in order.
    pub attempts: Vec<Attempt>,
}

impl PushDecision {
    /// The account that installs the client, if one does.
    pub fn installed_by(&self) -> Option<AccountId> {
        self.attempts
            .iter()
            .find(|a| a.outcome == Outcome::Installs)
            .map(|a| a.account)
    }

    /// The tries whose NTLM authentication the target receives.
    pub fn over_ntlm(&self) -> impl Iterator<Item = &Attempt> {
        self.attempts
            .iter()
            .filter(|a| a.protocol == Protocol::Ntlm || a.wmi_ntlm)
    }

    /// Every rule the decision applied, in order.
    pub fn rules(&self) -> Vec<RuleId> {
        let mut out = vec![match self.scope {
            Scope::Automatic => RuleId::CmPushAuto,
            Scope::Manual => RuleId::CmPushAccounts,
        }];
        if self.scope == Scope::Automatic {
            out.push(RuleId::XCmPushDiscovered);
        }
        for a in &self.attempts {
            out.extend([a.order_rule, a.protocol_rule, a.outcome_rule]);
            if a.wmi_ntlm {
                out.push(RuleId::CmPushNtlmBug);
            }
        }
        out
    }
}

/// The machines the site pushes to, each once, in id order: the automatic push's (domain
/// members without the client, of a selected type, inside the boundaries, every one
/// discovered: `X-CM-PUSH-DISCOVERED`; not the site servers) and the manual targets.
pub fn push_targets(estate: &Estate) -> Vec<(MachineId, Scope)> {
    let Some(push) = estate.site().configmgr.client_push.as_ref() else {
        return Vec::new();
    };
    let cm = &estate.site().configmgr;
    let mut out = Vec::new();
    for (i, m) in estate.machines().iter().enumerate() {
        let id = MachineId::from_index(i);
        // Site system servers are a system type of their own, not modelled
        // (X-CM-PUSH-DISCOVERED): the site servers are no automatic targets.
        let site_server = cm.site_server == Some(id) || cm.passive_site_servers.contains(&id);
        let automatic = push.automatic.as_ref().is_some_and(|a| {
            !site_server
                && m.domain.is_some()
                && !m.sms_client
                && a.selects(m.platform)
                && a.boundaries.as_ref().is_none_or(|b| b.contains(&id))
        });
        if automatic {
            out.push((id, Scope::Automatic));
        } else if push.manual_targets.contains(&id) {
            out.push((id, Scope::Manual));
        }
    }
    out
}

/// Every push decision of the site, in target order.
pub fn push_all(estate: &Estate, state: &State) -> Vec<PushDecision> {
    let Some(push) = estate.site().configmgr.client_push.as_ref() else {
        return Vec::new();
    };
    push_targets(estate)
        .into_iter()
        .map(|(target, scope)| decide(estate, state, push, target, scope))
        .collect()
}

/// The push to `target`, a target of `scope`.
pub fn decide(
    estate: &Estate,
    state: &State,
    push: &ClientPush,
    target: MachineId,
    scope: Scope,
) -> PushDecision {
    let directory = Directory::of(estate, state);
    let ntlm = push.ntlm();
    // Whether the target accepts an account: its domain's, or a domain that domain
    // trusts (A9, A10); a DC's store reads the same through its machine.
    let store = Store::Local(target);
    let admins = estate.administrators_of(target);
    let mut attempts = Vec::new();
    let try_one = |account: AccountId, computer: bool, order_rule: RuleId| {
        let (protocol, protocol_rule) = if directory.accepts(store, account) {
            (Protocol::Kerberos, RuleId::CmPushKerberos)
        } else if ntlm.allowed && !push.ntlm_refused.contains(&target) {
            (Protocol::Ntlm, ntlm.rule)
        } else if push.ntlm_refused.contains(&target) {
            (Protocol::Refused, RuleId::XConfigured)
        } else {
            // The rule that forbids NTLM here: the fallback off, honoured.
            (Protocol::Refused, ntlm.rule)
        };
        let site_domain = estate.site().domain;
        let (outcome, outcome_rule) = if protocol != Protocol::Kerberos {
            (Outcome::NotAuthenticated, protocol_rule)
        } else if computer && estate.machine(target).domain != Some(site_domain) {
            (Outcome::CrossDomain, RuleId::CmPushCrossDomain)
        } else if admins.is_some_and(|g| estate.is_in(account, g)) {
            (Outcome::Installs, RuleId::CmPushAccounts)
        } else {
            (Outcome::NotAdministrator, RuleId::XCmPushNotAdmin)
        };
        Attempt {
            account,
            computer_account: computer,
            protocol,
            outcome,
            order_rule,
            protocol_rule,
            outcome_rule,
            wmi_ntlm: outcome == Outcome::Installs
                && ntlm.rule == RuleId::CmPushNtlmBug
                && !push.ntlm_refused.contains(&target),
        }
    };
    let order = if push.accounts.len() > 1 {
        RuleId::XCmPushListOrder
    } else {
        RuleId::CmPushOrder
    };
    for &account in &push.accounts {
        let a = try_one(account, false, order);
        attempts.push(a);
        if a.outcome == Outcome::Installs {
            return PushDecision {
                target,
                scope,
                attempts,
            };
        }
    }
    let server = estate.site().configmgr.site_server;
    if let Some(account) = server.and_then(|s| estate.machine(s).computer_account) {
        let rule = if push.accounts.is_empty() {
            RuleId::CmPushComputer
        } else {
            RuleId::CmPushComputerLast
        };
        attempts.push(try_one(account, true, rule));
    }
    PushDecision {
        target,
        scope,
        attempts,
    }
}
