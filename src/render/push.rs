//! The renderings of client push decisions ([`crate::engine::push`]): text, a block a
//! target with one line a try, and the JSON `push --json` prints, with its schema.

use std::fmt::Write as _;

use schemars::JsonSchema;
use serde::Serialize;

use crate::engine::push::{Attempt, Outcome, Protocol, PushDecision, Scope};
use crate::model::Estate;
use crate::rules::RuleId;

/// The version of the push JSON.
pub const PUSH_SCHEMA_VERSION: u32 = 1;

/// The push decisions of a scenario: the document `push --json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PushOutput {
    /// The version of this format (1).
    pub schema_version: u32,
    /// Whether NTLM may carry a try Kerberos cannot, and the rule that says so.
    pub ntlm_allowed: bool,
    /// That rule.
    pub ntlm_rule: String,
    /// One entry a target, in machine order.
    pub targets: Vec<PushTargetOutput>,
}

/// The push to one target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PushTargetOutput {
    /// The target machine.
    pub target: String,
    /// `automatic` or `manual`.
    pub scope: String,
    /// The account that installs the client, `DOMAIN\name`; absent when none does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed_by: Option<String>,
    /// The accounts whose NTLM authentication the target receives, in order.
    pub ntlm_received: Vec<String>,
    /// The tries, in order.
    pub attempts: Vec<PushAttemptOutput>,
    /// Every rule the decision applied, in order.
    pub rules: Vec<String>,
}

/// One try.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PushAttemptOutput {
    /// The account offered, `DOMAIN\name`.
    pub account: String,
    /// Whether it is the site server's computer account.
    pub computer_account: bool,
    /// `kerberos`, `ntlm` or `refused` (nothing sent).
    pub protocol: String,
    /// `installs`, `not_administrator`, `not_authenticated` or `cross_domain`.
    pub outcome: String,
    /// The rules of the try: its order, its protocol, its outcome.
    pub rules: Vec<String>,
    /// Whether, having installed over Kerberos, it then queries WMI over NTLM
    /// (`CM-PUSH-NTLM-BUG`).
    pub wmi_ntlm: bool,
}

/// A protocol's key in the JSON outputs (`kerberos`, `ntlm`, `refused`).
pub fn protocol_key(p: Protocol) -> &'static str {
    match p {
        Protocol::Kerberos => "kerberos",
        Protocol::Ntlm => "ntlm",
        Protocol::Refused => "refused",
    }
}

/// An outcome's key in the JSON outputs (`installs`, `not_administrator`).
pub fn outcome_key(o: Outcome) -> &'static str {
    match o {
        Outcome::Installs => "installs",
        Outcome::NotAdministrator => "not_administrator",
        Outcome::NotAuthenticated => "not_authenticated",
        Outcome::CrossDomain => "cross_domain",
    }
}

fn scope(s: Scope) -> &'static str {
    match s {
        Scope::Automatic => "automatic",
        Scope::Manual => "manual",
    }
}

/// The push output of a scenario's decisions.
pub fn push_output(estate: &Estate, decisions: &[PushDecision]) -> PushOutput {
    let ntlm = estate
        .site()
        .configmgr
        .client_push
        .as_ref()
        .map(|p| p.ntlm());
    let targets = decisions
        .iter()
        .map(|d| PushTargetOutput {
            target: estate.machine(d.target).name.to_string(),
            scope: scope(d.scope).into(),
            installed_by: d.installed_by().map(|a| estate.qualified_name(a)),
            ntlm_received: d
                .over_ntlm()
                .map(|a| estate.qualified_name(a.account))
                .collect(),
            attempts: d
                .attempts
                .iter()
                .map(|a| PushAttemptOutput {
                    account: estate.qualified_name(a.account),
                    computer_account: a.computer_account,
                    protocol: protocol_key(a.protocol).into(),
                    outcome: outcome_key(a.outcome).into(),
                    rules: [a.order_rule, a.protocol_rule, a.outcome_rule]
                        .iter()
                        .map(|r| r.as_str().to_string())
                        .collect(),
                    wmi_ntlm: a.wmi_ntlm,
                })
                .collect(),
            rules: d.rules().iter().map(|r| r.as_str().to_string()).collect(),
        })
        .collect();
    PushOutput {
        schema_version: PUSH_SCHEMA_VERSION,
        ntlm_allowed: ntlm.is_some_and(|n| n.allowed),
        ntlm_rule: ntlm
            .map(|n| n.rule.as_str().to_string())
            .unwrap_or_default(),
        targets,
    }
}

/// The JSON Schema of [`PushOutput`].
pub fn push_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(PushOutput)).unwrap_or_default()
}

/// The site's push settings in one line: version, install, the NTLM fallback in effect
/// and its rule, the number of targets.
pub fn push_site_line(
    estate: &Estate,
    push: &crate::model::push::ClientPush,
    targets: usize,
) -> String {
    let ntlm = push.ntlm();
    format!(
        "site {} version {} ({}): NTLM fallback {} [{}]; {} target(s)",
        estate.site().code,
        push.version,
        if push.new_install {
            "new installation"
        } else {
            "upgraded"
        },
        if ntlm.allowed { "in effect" } else { "off" },
        ntlm.rule,
        targets
    )
}

/// A target's heading: how it is a target, with its rule, and who installs.
pub fn push_target_line(estate: &Estate, d: &PushDecision) -> String {
    format!(
        "{} ({} push) [{}]: {}",
        estate.machine(d.target).name,
        scope(d.scope),
        match d.scope {
            Scope::Automatic => RuleId::CmPushAuto,
            Scope::Manual => RuleId::CmPushAccounts,
        },
        match d.installed_by() {
            Some(a) => format!("installed by {}", estate.qualified_name(a)),
            None => "not installed".to_string(),
        }
    )
}

/// Whose NTLM authentication a target receives, if anyone's.
pub fn push_received_line(estate: &Estate, d: &PushDecision) -> Option<String> {
    let received: Vec<String> = d
        .over_ntlm()
        .map(|a| estate.qualified_name(a.account))
        .collect();
    (!received.is_empty()).then(|| {
        format!(
            "it receives the NTLM authentication of {}",
            received.join(", ")
        )
    })
}

/// The push decisions as text: per target, its scope, then each try with its rules.
pub fn push_text(estate: &Estate, decisions: &[PushDecision]) -> String {
    let mut out = String::new();
    let Some(push) = estate.site().configmgr.client_push.as_ref() else {
        out.push_str("the site pushes no client (no `site.client_push`)\n");
        return out;
    };
    let _ = writeln!(out, "{}", push_site_line(estate, push, decisions.len()));
    for d in decisions {
        let _ = writeln!(out, "\n{}", push_target_line(estate, d));
        for (i, a) in d.attempts.iter().enumerate() {
            let _ = writeln!(out, "  {}. {}", i + 1, attempt_line(estate, a));
        }
        if let Some(line) = push_received_line(estate, d) {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// One try in words, with its three rules (order, protocol, outcome), and the WMI query
/// over NTLM that follows an install on an unfixed site: the line `push` prints for it,
/// and the timeline's.
pub fn attempt_line(estate: &Estate, a: &Attempt) -> String {
    let how = match a.protocol {
        Protocol::Refused => {
            "nothing sent: Kerberos cannot authenticate it, NTLM is not allowed".to_string()
        }
        p => format!(
            "over {}: {}",
            protocol_key(p),
            outcome_key(a.outcome).replace('_', " ")
        ),
    };
    let mut line = format!(
        "{}{} {} [{}, {}, {}]",
        estate.qualified_name(a.account),
        if a.computer_account {
            " (site server computer account)"
        } else {
            ""
        },
        how,
        a.order_rule,
        a.protocol_rule,
        a.outcome_rule
    );
    if a.wmi_ntlm {
        let _ = write!(
            line,
            "\n     then queries WMI over NTLM [{}]",
            RuleId::CmPushNtlmBug
        );
    }
    line
}
