//! Renderings of the exposure graph and its findings: text, JSON, Graphviz DOT (identical
//! clients collapsed, with a legend) and BloodHound's OpenGraph JSON. All byte-stable:
//! nodes and edges come in the order they were added, findings in their sorted order.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::{Value, json};

use super::query::{Privilege, Reached};
use super::{Basis, EdgeKind, Evidence, Exposure, Finding, FindingKind, Node, Secret};
use crate::model::*;
use crate::rules::RuleId;

/// The version of the OpenGraph export's own fields (the graph and findings JSON is
/// `output`'s, at its own version).
pub const SCHEMA_VERSION: u32 = 1;

/// A node's name as people write it.
pub fn node_name(estate: &Estate, node: Node) -> String {
    match node {
        Node::Account(a) => estate.qualified_name(a),
        Node::Machine(m) => estate.machine(m).name.to_string(),
        Node::Domain(d) => estate.domain(d).name.to_string(),
        Node::Share(s) => estate.share_path(s),
        Node::Secret(Secret::SiteClientData) => format!("site {} client data", estate.site().code),
        Node::Secret(Secret::LocalSam(m)) => format!("{} SAM", estate.machine(m).name),
        Node::Secret(Secret::DomainDatabase(d)) => {
            format!("{} account database", estate.domain(d).name)
        }
        Node::Secret(Secret::LogonSessions(m)) => {
            format!("{} logon sessions", estate.machine(m).name)
        }
        Node::Secret(Secret::NetworkAccessPolicy) => {
            format!("site {} NAAConfig policy", estate.site().code)
        }
        Node::Secret(Secret::PreviousNetworkAccess) => {
            format!(
                "site {} previous network access accounts",
                estate.site().code
            )
        }
        Node::Secret(Secret::SiteDatabase) => format!("site {} database", estate.site().code),
        Node::Secret(Secret::PushCoercion) => {
            format!(
                "site {} client push to a device an attacker adds",
                estate.site().code
            )
        }
        Node::Secret(Secret::PushAuthentication(m)) => {
            format!(
                "{} client push NTLM authentications",
                estate.machine(m).name
            )
        }
        Node::Secret(Secret::CollectionPolicy(c)) => {
            format!("collection {} policy", estate.collection(c).name)
        }
        Node::Secret(Secret::PreviousCollectionPolicy(c)) => {
            format!("collection {} policy removed", estate.collection(c).name)
        }
        Node::Secret(Secret::PxeMedia(m)) => {
            format!("{} PXE boot media", estate.machine(m).name)
        }
        Node::Segment(k) => format!(
            "network segment {}",
            estate.site().configmgr.osd.segment_name(k)
        ),
    }
}

pub(super) fn node_kind(estate: &Estate, node: Node) -> &'static str {
    match node {
        Node::Account(a) if estate.account(a).kind == AccountKind::User => "user",
        Node::Account(_) => "group",
        Node::Machine(_) => "machine",
        Node::Domain(_) => "domain",
        Node::Share(_) => "share",
        Node::Secret(_) => "secret",
        Node::Segment(_) => "segment",
    }
}

/// What an edge's kind carries, in words: the program of `admin_while_runs` (and the
/// client it runs on, when that is another DC: D2), the right of `has_right`.
pub(super) fn edge_detail(estate: &Estate, e: &super::Edge) -> Option<String> {
    match e.kind {
        EdgeKind::AdminWhileRuns(run) => Some(run_text(estate, run, e.to)),
        EdgeKind::HasRight(r) => Some(r.as_str().to_string()),
        _ => None,
    }
}

/// A run in words: the program's name, and ` on CLIENT` unless `at` is that client.
pub fn run_text(estate: &Estate, run: super::Run, at: Node) -> String {
    let program = &estate.program(run.program).name;
    if at == Node::Machine(run.client) {
        program.clone()
    } else {
        format!("{program} on {}", estate.machine(run.client).name)
    }
}

/// A condition in words: `` `Mail` runs on DC2 ``, `` the lockout of CORP\bob ends ``.
pub fn condition_text(estate: &Estate, condition: super::Condition) -> String {
    match condition {
        super::Condition::Runs(run) => format!(
            "`{}` runs on {}",
            estate.program(run.program).name,
            estate.machine(run.client).name
        ),
        super::Condition::LockoutEnds(a) => {
            format!("the lockout of {} ends", estate.qualified_name(a))
        }
    }
}

/// A frontier fact in words: `CORP\\alice joins CORP\\Domain Admins`.
pub fn missing_text(estate: &Estate, m: super::Missing) -> String {
    use super::Missing;
    match m {
        Missing::Membership { member, group } => format!(
            "{} joins {}",
            estate.qualified_name(member),
            estate.qualified_name(group)
        ),
        Missing::ReadGrant { account, share } => format!(
            "{} gets read on {}",
            estate.qualified_name(account),
            estate.share_path(share)
        ),
        Missing::Advertisement { account, client } => format!(
            "a program that uses {} runs on {}",
            estate.qualified_name(account),
            estate.machine(client).name
        ),
        Missing::Trust { trusting, trusted } => format!(
            "domain {} trusts {}",
            estate.domain(trusting).name,
            estate.domain(trusted).name
        ),
        Missing::Logon { user, machine } => format!(
            "{} logs on at {}",
            estate.qualified_name(user),
            estate.machine(machine).name
        ),
    }
}

/// One edge in words: `CORP\alice -member_of-> CORP\Staff [X-CONFIGURED]`.
pub fn edge_text(estate: &Estate, x: &Exposure, id: super::EdgeId) -> String {
    let e = x.edge_at(id);
    let detail = edge_detail(estate, &e).map_or(String::new(), |d| format!("({d})"));
    format!(
        "{} -{}{detail}-> {} [{}]",
        node_name(estate, e.from),
        e.kind.key(),
        node_name(estate, e.to),
        e.rule
    )
}

/// A privilege in words.
pub fn privilege_text(estate: &Estate, p: Privilege) -> String {
    match p {
        Privilege::Credential(a) => format!("password of {}", estate.qualified_name(a)),
        Privilege::Member(g) => format!("member of {}", estate.qualified_name(g)),
        Privilege::Administrator(m) => format!("administrator of {}", estate.machine(m).name),
        Privilege::AdministratorWhileRuns(m, run) if run.client == m => format!(
            "administrator of {} while `{}` runs",
            estate.machine(m).name,
            estate.program(run.program).name
        ),
        Privilege::AdministratorWhileRuns(m, run) => format!(
            "administrator of {} while `{}` runs on {}",
            estate.machine(m).name,
            estate.program(run.program).name,
            estate.machine(run.client).name
        ),
        Privilege::Right(m, r) => format!("{} on {}", r.as_str(), estate.machine(m).name),
        Privilege::Read(s) => format!("read on {}", estate.share_path(s)),
    }
}

/// The result of a compromise query in words, one privilege a line, each with its path.
pub fn compromise_text(estate: &Estate, x: &Exposure, reached: &[Reached]) -> String {
    let mut out = String::new();
    for r in reached {
        let _ = write!(out, "- {}", privilege_text(estate, r.privilege));
        if !r.conditions.is_empty() {
            let needs: Vec<String> = r
                .conditions
                .iter()
                .map(|&c| condition_text(estate, c))
                .collect();
            let _ = write!(out, " (needs: {})", needs.join(" and "));
        }
        out.push('\n');
        for e in &r.witness {
            let _ = writeln!(out, "    {}", edge_text(estate, x, *e));
        }
    }
    out
}

/// How many frontier facts the text lists; the rest are counted.
const FRONTIER_SHOWN: usize = 20;

/// Whether a queried target is reached, and if not, the frontier in words.
pub fn frontier_text(estate: &Estate, target: Node, frontier: Option<&[super::Missing]>) -> String {
    let name = node_name(estate, target);
    let Some(facts) = frontier else {
        return format!("target {name}: reached\n");
    };
    let mut out = format!(
        "target {name}: not reached; {} fact(s) one step from it:\n",
        facts.len()
    );
    for &m in facts.iter().take(FRONTIER_SHOWN) {
        let _ = writeln!(out, "- {}", missing_text(estate, m));
    }
    if facts.len() > FRONTIER_SHOWN {
        let _ = writeln!(out, "- ... and {} more", facts.len() - FRONTIER_SHOWN);
    }
    out
}

fn names(estate: &Estate, nodes: &[Node]) -> String {
    let v: Vec<String> = nodes.iter().map(|n| node_name(estate, *n)).collect();
    if v.len() > 8 {
        format!("{}, and {} more", v[..8].join(", "), v.len() - 8)
    } else {
        v.join(", ")
    }
}

/// A finding in one sentence.
pub fn finding_message(estate: &Estate, f: &Finding) -> String {
    let mut message = finding_sentence(estate, f);
    for &(a, gate) in &f.statuses {
        let _ = write!(message, "; {}", status_text(estate, a, gate));
    }
    message
}

/// An account's status in words, with its rule: what its password yields now.
pub fn status_text(estate: &Estate, account: AccountId, gate: super::Gate) -> String {
    let name = estate.qualified_name(account);
    match gate {
        super::Gate::Open => format!("{name} is enabled"),
        super::Gate::LockedOut => {
            format!(
                "{name} is locked out: its password yields this once the lockout ends (X-LOCKOUT-ENDS)"
            )
        }
        super::Gate::Disabled => {
            format!("{name} is disabled: its password yields nothing while it is (A10)")
        }
    }
}

/// The finding's own sentence, before the statuses of its accounts.
fn finding_sentence(estate: &Estate, f: &Finding) -> String {
    let head = f
        .objects
        .first()
        .map_or(String::new(), |n| node_name(estate, *n));
    let rest = names(estate, f.objects.get(1..).unwrap_or(&[]));
    let n = f.objects.len().saturating_sub(1);
    match f.kind {
        FindingKind::DcTokenAccountShared => format!(
            "{head} is one account shared by the domain's {n} DC client(s) and a standing administrator of each: its password opens every DC of the domain ({rest})"
        ),
        FindingKind::ConnectionAccountPrivileged => format!(
            "client network connection account {head} holds groups or rights on {n} client(s), which it never should: {rest}"
        ),
        FindingKind::SoftwareInstallationAdministersClients => format!(
            "Software Installation account {head} is an administrator of {n} machine(s) while its programs run there: {rest}"
        ),
        FindingKind::SoftwareInstallationPasswordOnClients => format!(
            "the password of Software Installation account {head} is in the site data stored on {} NT client(s): whoever controls one of them learns it",
            n.saturating_sub(1)
        ),
        FindingKind::SoftwareInstallationStandingRights => format!(
            "Software Installation account {head} holds standing administrator rights or user rights on {n} client(s), which it never needs: {rest}"
        ),
        FindingKind::SoftwareInstallationNotTrusted => format!(
            "{n} target client(s) cannot log Software Installation account {head} on: its domain is not theirs nor trusted by it ({rest})"
        ),
        FindingKind::LocalTokenBadPasswords => format!(
            "local accounts from {n} client(s) are tried at {head}, which has an account of the same name: each try is a bad-password event there, and with lockout on, five lock it out ({rest})"
        ),
        FindingKind::StalePasswordBadPasswords => format!(
            "{n} client(s) still send an old password of {head}: each try is a bad-password event ({rest})"
        ),
        FindingKind::NetworkAccessPolicyObtainable => format!(
            "{head} carries the network access account(s) {rest}; {} can register an approved client and ask for it",
            match f.rule {
                RuleId::CmCred2 =>
                    "the computer accounts of the domains it approves automatically (the site server's and those it trusts)",
                RuleId::XCmApproveAll =>
                    "as the site approves every computer, every enabled account of every domain (assumed)",
                RuleId::CmCred2Quota =>
                    "the users of the domains it approves automatically, who can add computer accounts (MachineAccountQuota above 0, and the right to add workstations as given),",
                RuleId::XCmAddWorkstations =>
                    "the users of the domains it approves automatically, who can add computer accounts (MachineAccountQuota above 0; the right to add workstations not given: Domain Users, every user),",
                _ =>
                    "the users of the domains it approves automatically, who can add computer accounts (MachineAccountQuota not given: the default, 10),",
            }
        ),
        FindingKind::NetworkAccessOnClients => format!(
            "every client of the site stores {head} with the network access account(s) {rest}: an administrator of any client reads them"
        ),
        FindingKind::PreviousNetworkAccessOnClients => format!(
            "the site's previous network access account(s) {rest} stay on its clients after the change ({head}): an administrator of any client reads them"
        ),
        FindingKind::NetworkAccessInSiteDatabase => format!(
            "{head} holds the network access accounts; {} recover them ({rest})",
            match f.rule {
                RuleId::CmCred5 => "the site server's administrators",
                RuleId::XCmPassiveSiteServer =>
                    "the passive site servers' administrators (assumed to hold the site's key)",
                _ => "its readers (assumed to reach the site server's key)",
            }
        ),
        FindingKind::NotAssessed => {
            let facts: Vec<String> = estate
                .unknown()
                .iter()
                .map(|u| u.fact.consequence(estate))
                .collect();
            format!(
                "{} fact(s) the scenario marks unknown, not assessed: {}",
                facts.len(),
                facts.join("; ")
            )
        }
        FindingKind::PushAuthenticationExposed => format!(
            "client push sends NTLM authentications to {n} target(s) where no push account installs over Kerberos or where the site still uses NTLM: their administrators capture them, to crack or relay ({rest})"
        ),
        FindingKind::PushAccountPrivileged => format!(
            "client push account {head} needs only local administrator rights on its targets, yet it administers {n} domain controller(s): {rest}; whoever obtains it from a push holds the domain"
        ),
        FindingKind::PushCoercible => format!(
            "{} draw the NTLM authentication of the push accounts and the site server's computer account to a device they add ({head}), to crack or relay where SMB signing is not required ({rest})",
            match f.rule {
                RuleId::CmElevate2 =>
                    "with automatic push and site assignment, NTLM in effect and no PKI client authentication, the enabled users of the domains the site trusts",
                _ =>
                    "with automatic push and site assignment, AD System Discovery covering new computers and NTLM in effect, the enabled users who can create a computer account and a DNS A record",
            }
        ),
        FindingKind::PolicySecretsOnClients
        | FindingKind::PolicySecretsObtainable
        | FindingKind::PolicySecretsResidue
        | FindingKind::PxeMediaSecrets
        | FindingKind::DomainJoinOwner
        | FindingKind::PolicyAccountPrivileged => policy_sentence(estate, f, &head, &rest, n),
        FindingKind::NetworkAccessPrivileged => format!(
            "network access account {head} needs only to read content, yet its password yields administrator rights or user rights on {n} machine(s): {rest}; whoever obtains it from the policy, a client or the site database holds them too"
        ),
        FindingKind::ClientYieldsDomain => {
            let clients = f.objects.get(2..).unwrap_or(&[]);
            let count = clients.len() + f.unlisted;
            let mut named = names(estate, clients);
            if f.unlisted > 0 {
                let _ = write!(named, ", and {} more", f.unlisted);
            }
            let target = f
                .objects
                .get(1)
                .map_or(String::new(), |n| node_name(estate, *n));
            let needs = if f.conditions.is_empty() {
                "for good".to_string()
            } else {
                let c: Vec<String> = f
                    .conditions
                    .iter()
                    .map(|&c| condition_text(estate, c))
                    .collect();
                format!("once {}", c.join(" and "))
            };
            let clients = if estate.site().product == Product::ConfigMgr {
                "client(s)"
            } else {
                "NT client(s)"
            };
            format!(
                "control of any of {count} {clients} ({named}) yields domain {head} through {target}, {needs}"
            )
        }
    }
}

/// The sentence of a finding of what a site puts in policy beyond its network access
/// accounts (task sequences, collection variables, PXE media).
fn policy_sentence(estate: &Estate, f: &Finding, head: &str, rest: &str, n: usize) -> String {
    match f.kind {
        FindingKind::PolicySecretsOnClients => format!(
            "every member of the collection stores {head}, with the account(s) its variables and task sequences carry ({rest}): an administrator of any member reads them, a variable marked \"Do not display this value\" too"
        ),
        FindingKind::PolicySecretsObtainable => format!(
            "{} ask for {head} and read the account(s) it carries ({rest})",
            match f.rule {
                RuleId::XCmNewRegistrations =>
                    "the accounts the site approves, whose new registration falls into the collection (assumed: All Systems takes new registrations),",
                _ =>
                    "the accounts the site approves, whose new registration falls into the collection,",
            }
        ),
        FindingKind::PolicySecretsResidue => format!(
            "what the collection's removed variables and deployments carried stays on its members ({head}): an administrator of any member reads the account(s) {rest}"
        ),
        FindingKind::PxeMediaSecrets => {
            let password = match f.objects.get(1) {
                Some(&Node::Machine(m)) => estate
                    .site()
                    .configmgr
                    .osd
                    .pxe
                    .iter()
                    .find(|p| p.server == m)
                    .map(|p| p.password),
                _ => None,
            };
            format!(
                "{head} is served unauthenticated to a machine on the distribution point's network segment(s), which reads {} {} ({rest})",
                match f.rule {
                    RuleId::CmCred1 => "the network access account(s) in its variables",
                    _ => "the accounts the task sequences deployed to unknown computers carry",
                },
                match password {
                    Some(crate::model::osd::PxePassword::Set) =>
                        "behind an offline crack of its PXE password, which a password not marked weak may resist (X-CM-PXE-PASSWORD: the path kept, rated lower)",
                    Some(crate::model::osd::PxePassword::Weak) =>
                        "once it cracks the weak PXE password",
                    _ => "in the clear (no PXE password)",
                }
            )
        }
        FindingKind::DomainJoinOwner => format!(
            "domain join account {head} owns the {n} computer(s) its task sequence joined, with full control of each object: whoever obtains it controls them ({rest})"
        ),
        FindingKind::PolicyAccountPrivileged => format!(
            "account {head}, carried in policy by a task sequence or a variable, must never be a domain admin, yet it administers {n} domain controller(s): {rest}; whoever obtains it from policy holds the domain"
        ),
        _ => String::new(),
    }
}

/// A finding's tag in words: its technique, the defences that cut its path, its
/// write-up's defences and its provenance (the findings' text and the report).
pub fn tag_text(tag: &crate::lineage::Tag) -> String {
    format!(
        "technique {}; prevented by {} (write-up defences: {}); {}",
        tag.technique,
        if tag.prevented_by.is_empty() {
            "none of its write-up's defences".to_string()
        } else {
            tag.prevented_by.join(", ")
        },
        tag.defences.join(", "),
        tag.provenance()
    )
}

/// The findings as text, one a paragraph, with their evidence.
pub fn findings_text(estate: &Estate, x: &Exposure, findings: &[Finding]) -> String {
    let mut out = format!("{} finding(s)\n", findings.len());
    for f in findings {
        let _ = writeln!(
            out,
            "\n[{}] {} ({}): {}",
            f.severity,
            f.kind,
            f.rule,
            finding_message(estate, f)
        );
        if let Some(tag) = x.finding_tag(f) {
            let _ = writeln!(out, "    {}", tag_text(&tag));
        }
        // A witness path is shown whole; other evidence, its first six.
        let shown = match f.kind {
            FindingKind::ClientYieldsDomain => f.evidence.len(),
            _ => 6,
        };
        for e in f.evidence.iter().take(shown) {
            let _ = writeln!(out, "    {}", evidence_text(estate, x, *e));
        }
        if f.evidence.len() > shown {
            let _ = writeln!(out, "    ... {} more", f.evidence.len() - shown);
        }
    }
    out
}

pub(super) fn evidence_text(estate: &Estate, x: &Exposure, e: Evidence) -> String {
    match e {
        Evidence::Edge(id) => edge_text(estate, x, id),
        Evidence::Decision {
            advertisement,
            client,
        } => format!(
            "decision: advertisement {} on {} (see its trace)",
            estate.advertisement(advertisement).name,
            estate.machine(client).name
        ),
    }
}

pub(super) fn opengraph_id(estate: &Estate, node: Node) -> String {
    // The ids BloodHound keys these nodes by, where the scenario gives them.
    let sid = match node {
        Node::Account(a) => estate.account_sid(a),
        Node::Machine(m) => estate.machine_sid(m),
        Node::Domain(d) => estate.domain_sid(d),
        Node::Share(_) | Node::Secret(_) | Node::Segment(_) => None,
    };
    if let Some(sid) = sid {
        return sid.to_uppercase();
    }
    match node {
        Node::Machine(m) => {
            let machine = estate.machine(m);
            match machine.domain {
                Some(d) => format!("{}.{}", machine.name, estate.domain(d).name).to_uppercase(),
                None => machine.name.as_str().to_uppercase(),
            }
        }
        Node::Secret(_) => format!("SECRET:{}", node_name(estate, node)).to_uppercase(),
        _ => node_name(estate, node).to_uppercase(),
    }
}

/// The crate's own OpenGraph kind of a node (namespace `SMS`).
pub(super) fn own_node_kind(estate: &Estate, n: Node) -> &'static str {
    match n {
        Node::Account(_) if node_kind(estate, n) == "user" => "SMS_User",
        Node::Account(_) => "SMS_Group",
        Node::Machine(_) => "SMS_Computer",
        Node::Domain(_) => "SMS_Domain",
        Node::Share(_) => "SMS_Share",
        Node::Secret(_) => "SMS_Secret",
        Node::Segment(_) => "SMS_NetworkSegment",
    }
}

/// Whether `n` is a computer account with its machine's SID: in BloodHound that machine,
/// whose node the account's edges reach by the same id, so it gets no node of its own.
pub(super) fn is_machine_alias(estate: &Estate, n: Node) -> bool {
    match n {
        Node::Account(a) => {
            estate.account(a).role == Some(crate::model::SmsRole::ComputerAccount)
                && estate.account_sid(a).is_some()
        }
        _ => false,
    }
}

/// The crate's own OpenGraph kind of an edge (namespace `SMS`).
pub(super) fn own_edge_kind(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::MemberOf => "SMS_MemberOf",
        EdgeKind::AdminOf => "SMS_AdminTo",
        EdgeKind::AdminWhileRuns(_) => "SMS_AdminWhileRuns",
        EdgeKind::HasRight(_) => "SMS_HasRight",
        EdgeKind::CanRead => "SMS_CanRead",
        EdgeKind::Trusts => "SMS_Trusts",
        EdgeKind::InDomain => "SMS_InDomain",
        EdgeKind::Accepts => "SMS_Accepts",
        EdgeKind::Stores => "SMS_StoresSecret",
        EdgeKind::Reveals => "SMS_RevealsPassword",
        EdgeKind::Obtains => "SMS_ObtainsSecret",
    }
}

/// An edge's OpenGraph properties: its rule and basis, its detail, and for a technique's
/// edge which technique, what prevents it, and (as ConfigManBearPig marks its edges)
/// whether it is assumed and on what basis.
pub(super) fn edge_properties(estate: &Estate, e: &super::Edge) -> Value {
    let mut props = json!({"rule": e.rule.as_str(), "basis": e.basis.key()});
    if let (Some(d), Value::Object(p)) = (edge_detail(estate, e), &mut props) {
        p.insert("detail".into(), json!(d));
    }
    if let (Some(tag), Value::Object(p)) = (crate::lineage::tag(e.rule), &mut props) {
        p.insert("technique".into(), json!(tag.technique));
        p.insert("prevented_by".into(), json!(tag.prevented_by));
        p.insert("defences".into(), json!(tag.defences));
        p.insert("assumed".into(), json!(tag.assumed.is_some()));
        if let Some(basis) = tag.assumed {
            p.insert("assumptionBasis".into(), json!(basis.as_str()));
        }
    }
    props
}

/// BloodHound OpenGraph JSON: the graph, with the rule and basis of every edge as
/// properties. Load it with BloodHound CE 8 or later (File Ingest).
pub fn to_opengraph(estate: &Estate, x: &Exposure) -> Value {
    let nodes: Vec<Value> = x
        .nodes()
        .filter(|&n| !is_machine_alias(estate, n))
        .map(|n| {
            let kind = own_node_kind(estate, n);
            let mut props = json!({"name": node_name(estate, n)});
            if let (Node::Machine(m), Value::Object(p)) = (n, &mut props) {
                let machine = estate.machine(m);
                p.insert("platform".into(), json!(machine.platform.as_str()));
                p.insert("sms_client".into(), json!(machine.sms_client));
            }
            if let (Node::Account(a), Value::Object(p)) = (n, &mut props)
                && let Some(role) = estate.account(a).role
            {
                p.insert("sms_role".into(), json!(format!("{role:?}")));
            }
            json!({"id": opengraph_id(estate, n), "kinds": [kind], "properties": props})
        })
        .collect();
    let edges: Vec<Value> = x
        .edges()
        .map(|e| {
            json!({
                "kind": own_edge_kind(e.kind),
                "start": {"value": opengraph_id(estate, e.from), "match_by": "id"},
                "end": {"value": opengraph_id(estate, e.to), "match_by": "id"},
                "properties": edge_properties(estate, &e),
            })
        })
        .collect();
    json!({"metadata": {"source_kind": "SMS2"}, "graph": {"nodes": nodes, "edges": edges}})
}

/// The machine whose node `node` is local to: its own accounts and secrets.
fn local_to(node: Node, estate: &Estate) -> Option<MachineId> {
    match node {
        Node::Account(a) => match estate.account(a).store {
            Store::Local(m) => Some(m),
            Store::Domain(_) => None,
        },
        Node::Secret(Secret::LocalSam(m) | Secret::LogonSessions(m)) => Some(m),
        _ => None,
    }
}

/// A node's name as seen from machine `m`: `self` for the machine, `local:NAME` for its
/// own local accounts and secrets (its name taken out), else its name.
pub fn relative_name(estate: &Estate, n: Node, m: MachineId) -> String {
    if n == Node::Machine(m) {
        "self".to_string()
    } else if local_to(n, estate) == Some(m) {
        format!(
            "local:{}",
            node_name(estate, n)
                .rsplit('\\')
                .next()
                .unwrap_or_default()
                .replace(estate.machine(m).name.as_str(), "")
        )
    } else {
        node_name(estate, n)
    }
}

/// The machine a node belongs to: a local account's, a SAM's, a logon-session store's.
pub fn owner_machine(estate: &Estate, n: Node) -> Option<MachineId> {
    match n {
        Node::Machine(m) => Some(m),
        other => local_to(other, estate),
    }
}

/// The machines in classes: the same platform, domain and edges as drawn (their own
/// local accounts and secrets aside, what a domain database or logon sessions reveal
/// left out), each class in machine order, the classes in the order of their keys. The
/// DOT export and the report draw a class of several as one node.
pub fn machine_classes(estate: &Estate, x: &Exposure) -> Vec<Vec<MachineId>> {
    let mut incident: BTreeMap<MachineId, Vec<String>> = BTreeMap::new();
    for e in x.edges().filter(drawn_edge) {
        for end in [e.from, e.to] {
            if let Some(m) = owner_machine(estate, end) {
                incident.entry(m).or_default().push(format!(
                    "{}|{}|{}",
                    relative_name(estate, e.from, m),
                    e.kind.key(),
                    relative_name(estate, e.to, m)
                ));
            }
        }
    }
    let mut classes: BTreeMap<String, Vec<MachineId>> = BTreeMap::new();
    for m in estate.machine_ids() {
        let mut sig = incident.remove(&m).unwrap_or_default();
        sig.sort();
        sig.dedup();
        let machine = estate.machine(m);
        let domain = machine
            .domain
            .map_or(String::new(), |d| estate.domain(d).name.to_string());
        let key = format!(
            "{}|{}|{}|{}",
            machine.platform.as_str(),
            domain,
            machine.sms_client,
            sig.join(";")
        );
        classes.entry(key).or_default().push(m);
    }
    classes.into_values().collect()
}

/// Graphviz DOT of the graph. Machines with the same platform, domain and edges (their
/// own local accounts and secrets aside) are drawn as one node that says how many they
/// are; what a domain database or a client's logon sessions reveal, and accounts' domains,
/// are left out (`output::to_json` has them), so the picture stays readable at estate size. A
/// legend explains the edge styles.
pub fn to_dot(estate: &Estate, x: &Exposure) -> String {
    let classes = machine_classes(estate, x);
    let rel = |n: Node, m: MachineId| relative_name(estate, n, m);
    let mut class_of: BTreeMap<MachineId, (usize, usize)> = BTreeMap::new();
    for (i, members) in classes.iter().enumerate() {
        for &m in members {
            class_of.insert(m, (i, members.len()));
        }
    }
    let class_members: Vec<&Vec<MachineId>> = classes.iter().collect();
    let dot_id = |n: Node| -> String {
        let machine = match n {
            Node::Machine(m) => Some(m),
            other => local_to(other, estate),
        };
        match machine.and_then(|m| class_of.get(&m).map(|c| (m, *c))) {
            Some((m, (class, size))) if size > 1 => {
                if n == Node::Machine(m) {
                    format!("class{class}")
                } else {
                    format!("class{class}:{}", rel(n, m))
                }
            }
            _ => node_name(estate, n),
        }
    };
    // Which nodes to draw: everything but the bulk of domain accounts that only a domain
    // database reveals.
    let mut drawn: BTreeSet<String> = BTreeSet::new();
    let mut lines: BTreeSet<String> = BTreeSet::new();
    let mut nodes: BTreeMap<String, String> = BTreeMap::new();
    for e in x.edges() {
        if !drawn_edge(&e) {
            continue;
        }
        let (a, b) = (dot_id(e.from), dot_id(e.to));
        for (id, node) in [(&a, e.from), (&b, e.to)] {
            if drawn.insert(id.clone()) {
                nodes.insert(
                    id.clone(),
                    node_attributes(estate, node, id, &class_members),
                );
            }
        }
        let (style, color) = edge_style(e.kind);
        let label = match edge_detail(estate, &e) {
            Some(d) => format!("{} {d}", e.kind.key()),
            None => e.kind.key().to_string(),
        };
        let basis = if e.basis == Basis::Configured {
            ""
        } else {
            ", penwidth=1.5"
        };
        lines.insert(format!(
            "  {} -> {} [label=\"{}\\n{}\", style={style}, color=\"{color}\", fontcolor=\"{color}\"{basis}];",
            quote(&a),
            quote(&b),
            escape(&label),
            e.rule
        ));
    }
    let mut out = String::from(
        "digraph exposure {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8];\n",
    );
    for attrs in nodes.values() {
        let _ = writeln!(out, "  {attrs}");
    }
    for line in &lines {
        let _ = writeln!(out, "{line}");
    }
    out.push_str("  subgraph cluster_legend {\n    label=\"legend\"; fontname=\"Helvetica\"; fontsize=10; style=dashed;\n");
    for (i, kind) in [
        EdgeKind::MemberOf,
        EdgeKind::AdminOf,
        EdgeKind::AdminWhileRuns(super::Run {
            program: ProgramId::from_index(0),
            client: MachineId::from_index(0),
        }),
        EdgeKind::HasRight(Right::Tcb),
        EdgeKind::CanRead,
        EdgeKind::Stores,
        EdgeKind::Reveals,
        EdgeKind::Trusts,
        EdgeKind::Accepts,
    ]
    .into_iter()
    .enumerate()
    {
        let (style, color) = edge_style(kind);
        let _ = writeln!(
            out,
            "    legend{i}a [label=\"\", shape=point]; legend{i}b [label=\"{}\", shape=plaintext];\n    legend{i}a -> legend{i}b [style={style}, color=\"{color}\"];",
            kind.key()
        );
    }
    out.push_str("  }\n}\n");
    out
}

/// Whether the picture draws an edge. Left out, so that the picture stays readable at
/// estate size: every account a domain database reveals, who each client's logon
/// sessions reveal (the secret node itself stays), and accounts' domains.
fn drawn_edge(e: &super::Edge) -> bool {
    let bulk_reveal = e.kind == EdgeKind::Reveals
        && matches!(
            e.from,
            Node::Secret(Secret::DomainDatabase(_) | Secret::LogonSessions(_))
        );
    !bulk_reveal && e.kind != EdgeKind::InDomain
}

fn edge_style(kind: EdgeKind) -> (&'static str, &'static str) {
    match kind {
        EdgeKind::MemberOf => ("solid", "#555555"),
        EdgeKind::AdminOf => ("bold", "#c0392b"),
        EdgeKind::AdminWhileRuns(_) => ("dashed", "#c0392b"),
        EdgeKind::HasRight(_) => ("dotted", "#d35400"),
        EdgeKind::CanRead => ("solid", "#2471a3"),
        EdgeKind::Trusts => ("solid", "#7d3c98"),
        EdgeKind::InDomain | EdgeKind::Accepts => ("dotted", "#999999"),
        EdgeKind::Stores => ("solid", "#1e8449"),
        EdgeKind::Reveals => ("dashed", "#1e8449"),
        EdgeKind::Obtains => ("dashed", "#b7950b"),
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", escape(s))
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn node_attributes(estate: &Estate, node: Node, id: &str, classes: &[&Vec<MachineId>]) -> String {
    let shape = match node {
        Node::Account(a) if estate.account(a).kind == AccountKind::User => "ellipse",
        Node::Account(_) => "box, style=rounded",
        Node::Machine(m) if estate.machine(m).platform.is_dc() => {
            "box3d, style=filled, fillcolor=\"#fdebd0\""
        }
        Node::Machine(_) => "box3d",
        Node::Domain(_) => "tab",
        Node::Share(_) => "cylinder",
        Node::Secret(_) => "note, style=filled, fillcolor=\"#d5f5e3\"",
        Node::Segment(_) => "hexagon",
    };
    let class = id
        .strip_prefix("class")
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse::<usize>().ok());
    let label = match (class, node) {
        (Some(c), Node::Machine(m)) => {
            let members = classes.get(c).map(|v| v.as_slice()).unwrap_or_default();
            let list: Vec<&str> = members
                .iter()
                .take(3)
                .map(|&m| estate.machine(m).name.as_str())
                .collect();
            let more = if members.len() > 3 {
                format!(", +{} more", members.len() - 3)
            } else {
                String::new()
            };
            let machine = estate.machine(m);
            let domain = machine
                .domain
                .map_or(String::new(), |d| format!(", {}", estate.domain(d).name));
            format!(
                "{}{more}\\n({} x {}{domain})",
                list.join(", "),
                members.len(),
                machine.platform.as_str()
            )
        }
        (Some(_), _) => format!(
            "{}\\n(one per machine)",
            id.rsplit(':').next().unwrap_or_default()
        ),
        _ => escape(&node_name(estate, node)),
    };
    format!("{} [label=\"{}\", shape={shape}];", quote(id), label)
}
