//! The JSON of the exposure analysis, from typed output structs (`Serialize` and
//! `JsonSchema`): the graph (nodes, and edges with their ids), the findings (evidence as
//! edge ids into that graph or decision references, each with its rendered line), and
//! the answer to a compromise question (`exposure --credential X`, `--client X`). Its
//! JSON Schema is [`exposure_schema`] (`fixtures/exposure.schema.json`).

use schemars::JsonSchema;
use serde::Serialize;

use super::export::{edge_text, finding_message, node_kind, node_name, privilege_text};
use super::query::{Privilege, Reach, Reached, Start};
use super::{Evidence, Exposure, Finding, Node};
use crate::model::*;

/// The version of the exposure JSON: 2 since these output structs.
pub const SCHEMA_VERSION: u32 = 4;

/// The exposure document: the graph and its findings, or the answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ExposureOutput {
    /// The version of this format (2).
    pub schema_version: u32,
    /// The nodes of the graph (with `--json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nodes: Option<Vec<NodeOutput>>,
    /// The edges of the graph (with `--json`); a compromise answer lists the edges its
    /// witnesses use.
    pub edges: Vec<EdgeOutput>,
    /// Every finding (with `--json`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<FindingOutput>>,
    /// The answer to a compromise question (with `--credential` or `--client`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compromise: Option<CompromiseOutput>,
}

/// A node of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct NodeOutput {
    /// Its name, which edges and findings refer to.
    pub id: String,
    /// `user`, `group`, `machine`, `domain`, `share` or `secret`.
    pub kind: String,
    /// Its SID, where the scenario gives it (`external_ids`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// A domain's DNS name, where the scenario gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_name: Option<String>,
    /// An SMS client's device id (ConfigManBearPig's), where the scenario gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
}

/// A node as output, with the ids other tools give it.
fn node_output(estate: &Estate, n: Node) -> NodeOutput {
    let ids = estate.external_ids();
    let (sid, dns_name, device_id) = match n {
        Node::Account(a) => (estate.account_sid(a), None, None),
        Node::Machine(m) => (
            estate.machine_sid(m),
            None,
            ids.machine(m).and_then(|i| i.device_id.as_deref()),
        ),
        Node::Domain(d) => (
            estate.domain_sid(d),
            ids.domain(d).and_then(|i| i.dns_name.as_deref()),
            None,
        ),
        Node::Share(_) | Node::Secret(_) | Node::Segment(_) => (None, None, None),
    };
    NodeOutput {
        id: node_name(estate, n),
        kind: node_kind(estate, n).into(),
        sid: sid.map(String::from),
        dns_name: dns_name.map(String::from),
        device_id: device_id.map(String::from),
    }
}

/// An edge of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct EdgeOutput {
    /// Its id: its position among the graph's edges, which evidence refers to.
    pub id: u32,
    /// From (a node's id).
    pub from: String,
    /// To (a node's id).
    pub to: String,
    /// What it means (`member_of`, `admin_of`, `admin_while_runs`, ...).
    pub kind: String,
    /// The rule that produced it.
    pub rule: String,
    /// `configured`, `stated`, `default`, `assumption` or `derived`.
    pub basis: String,
    /// The program of an `admin_while_runs` edge, the right of a `has_right` edge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The edge in words.
    pub text: String,
}

/// A decision a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DecisionReference {
    /// The advertisement.
    pub advertisement: String,
    /// The client.
    pub client: String,
}

/// One piece of evidence: an edge of the graph or a decision, with its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct EvidenceOutput {
    /// The edge's id, for an edge.
    pub edge: Option<u32>,
    /// The decision, for a decision.
    pub decision: Option<DecisionReference>,
    /// The evidence in words, as the text of the findings prints it.
    pub text: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct FindingOutput {
    /// Its stable kind.
    pub kind: String,
    /// `high`, `medium` or `low`.
    pub severity: String,
    /// The rule it rests on.
    pub rule: String,
    /// The objects involved (node ids), the principal one first.
    pub objects: Vec<String>,
    /// The finding in words.
    pub message: String,
    /// What shows it.
    pub evidence: Vec<EvidenceOutput>,
    /// What its witness path needs (`client-yields-domain`): runs, and the end of
    /// lockouts; omitted when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionOutput>,
    /// How many more clients it stands for than `objects` names
    /// (`client-yields-domain`); omitted when none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unlisted: usize,
    /// The Misconfiguration Manager technique it is an instance of (`CRED-3`); omitted
    /// for a finding of no technique.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technique: Option<String>,
    /// The defences (`PREVENT-n`) that would cut its path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prevented_by: Vec<String>,
    /// Every PREVENT-n defence of the technique's write-up (some only limit what the
    /// account yields).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub defences: Vec<String>,
    /// `configured` when it follows from the scenario, `default` when it rests on a
    /// stated default (`default`), `assumption` when it rests on an assumption
    /// (`assumption`); omitted for a finding of no technique.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<String>,
    /// The accounts among its objects that are disabled or locked out: the finding is
    /// rated by what they yield now; omitted when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statuses: Vec<StatusOutput>,
    /// The assumption an `assumption` finding rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// The stated default a `default` finding rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
}

/// An account's status, as a finding names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct StatusOutput {
    /// The account.
    pub account: String,
    /// `disabled` or `locked_out`.
    pub status: String,
    /// What that means for the finding, with its rule.
    pub text: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Where a compromise starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct StartOutput {
    /// The known password's account, for a credential.
    pub credential: Option<String>,
    /// The controlled client, for a client.
    pub client: Option<String>,
    /// The network segment, for a position on one; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
}

/// One privilege reached, with its witness path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ReachedOutput {
    /// `credential`, `member`, `administrator`, `administrator_while_runs`, `right` or
    /// `read`.
    pub kind: String,
    /// The object of the privilege (a node's id: the account, group, machine or share).
    pub object: String,
    /// The program during whose run it holds (`administrator_while_runs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// The client that program runs on, when it is another DC of the machine's domain
    /// (D2).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs_on: Option<String>,
    /// The right (`right`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub right: Option<String>,
    /// The privilege in words.
    pub text: String,
    /// The witness path: ids of the edges from the start, in order.
    pub witness: Vec<u32>,
    /// What the witness needs before the privilege is held (a transitive search
    /// through machines administered while a program runs, or a path out of a
    /// locked-out account); omitted when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<ConditionOutput>,
}

/// A condition of a path: a program running on a client, or the end of an account's
/// lockout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ConditionOutput {
    /// The program, for a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// The client it runs on, for a run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<String>,
    /// The locked-out account, for the end of a lockout (`X-LOCKOUT-ENDS`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_out: Option<String>,
    /// The condition in words: `` `Mail` runs on DC2 ``.
    pub text: String,
}

pub(super) fn condition_output(estate: &Estate, condition: super::Condition) -> ConditionOutput {
    let (program, client, locked_out) = match condition {
        super::Condition::Runs(run) => (
            Some(estate.program(run.program).name.clone()),
            Some(estate.machine(run.client).name.to_string()),
            None,
        ),
        super::Condition::LockoutEnds(a) => (None, None, Some(estate.qualified_name(a))),
    };
    ConditionOutput {
        program,
        client,
        locked_out,
        text: super::export::condition_text(estate, condition),
    }
}

/// The answer to a compromise question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct CompromiseOutput {
    /// Where it starts.
    pub start: StartOutput,
    /// `direct` or `transitive`.
    pub reach: String,
    /// Every privilege reached, in privilege order.
    pub reached: Vec<ReachedOutput>,
    /// The queried target (`--target`), whether it is reached, and if not the frontier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetOutput>,
}

/// A queried target and where the search stopped short of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct TargetOutput {
    /// The target's node id.
    pub node: String,
    /// Whether the search reaches it.
    pub reached: bool,
    /// When it does not: each fact one step from it, in words.
    pub frontier: Vec<String>,
}

/// The target's part of a compromise answer: `frontier` is `None` when it is reached.
pub fn target_output(
    estate: &Estate,
    target: Node,
    frontier: Option<&[super::Missing]>,
) -> TargetOutput {
    TargetOutput {
        node: node_name(estate, target),
        reached: frontier.is_none(),
        frontier: frontier
            .unwrap_or(&[])
            .iter()
            .map(|&m| super::export::missing_text(estate, m))
            .collect(),
    }
}

fn edge_output(estate: &Estate, x: &Exposure, id: super::EdgeId) -> EdgeOutput {
    let e = x.edge_at(id);
    EdgeOutput {
        id: id.index() as u32,
        from: node_name(estate, e.from),
        to: node_name(estate, e.to),
        kind: e.kind.key().into(),
        rule: e.rule.as_str().into(),
        basis: e.basis.key().into(),
        detail: super::export::edge_detail(estate, &e),
        text: edge_text(estate, x, id),
    }
}

fn finding_output(estate: &Estate, x: &Exposure, f: &Finding) -> FindingOutput {
    let tag = x.finding_tag(f);
    FindingOutput {
        kind: f.kind.key().into(),
        severity: f.severity.key().into(),
        rule: f.rule.as_str().into(),
        objects: f.objects.iter().map(|n| node_name(estate, *n)).collect(),
        message: finding_message(estate, f),
        evidence: f
            .evidence
            .iter()
            .map(|&e| EvidenceOutput {
                edge: match e {
                    Evidence::Edge(id) => Some(id.index() as u32),
                    Evidence::Decision { .. } => None,
                },
                decision: match e {
                    Evidence::Edge(_) => None,
                    Evidence::Decision {
                        advertisement,
                        client,
                    } => Some(DecisionReference {
                        advertisement: estate.advertisement(advertisement).name.clone(),
                        client: estate.machine(client).name.to_string(),
                    }),
                },
                text: super::export::evidence_text(estate, x, e),
            })
            .collect(),
        conditions: f
            .conditions
            .iter()
            .map(|&c| condition_output(estate, c))
            .collect(),
        unlisted: f.unlisted,
        statuses: f
            .statuses
            .iter()
            .map(|&(a, gate)| StatusOutput {
                account: estate.qualified_name(a),
                status: match gate {
                    super::Gate::Disabled => "disabled",
                    super::Gate::LockedOut => "locked_out",
                    super::Gate::Open => "enabled",
                }
                .into(),
                text: super::export::status_text(estate, a, gate),
            })
            .collect(),
        technique: tag.map(|t| t.technique.to_string()),
        prevented_by: tag.map_or_else(Vec::new, |t| {
            t.prevented_by.iter().map(|d| d.to_string()).collect()
        }),
        defences: tag.map_or_else(Vec::new, |t| {
            t.defences.iter().map(|d| d.to_string()).collect()
        }),
        provenance: tag.map(|t| t.provenance_key().to_string()),
        assumption: tag.and_then(|t| t.assumed).map(|r| r.as_str().to_string()),
        default: tag
            .filter(|t| t.assumed.is_none())
            .and_then(|t| t.default)
            .map(|r| r.as_str().to_string()),
    }
}

/// The graph and its findings as output (`exposure --json`).
pub fn graph_output(estate: &Estate, x: &Exposure, findings: &[Finding]) -> ExposureOutput {
    ExposureOutput {
        schema_version: SCHEMA_VERSION,
        nodes: Some(x.nodes().map(|n| node_output(estate, n)).collect()),
        edges: x.edge_ids().map(|id| edge_output(estate, x, id)).collect(),
        findings: Some(
            findings
                .iter()
                .map(|f| finding_output(estate, x, f))
                .collect(),
        ),
        compromise: None,
    }
}

/// The answer to a compromise question as output (`exposure --credential X --json`):
/// the privileges reached and the edges their witnesses use.
pub fn compromise_output(
    estate: &Estate,
    x: &Exposure,
    start: Start,
    reach: Reach,
    reached: &[Reached],
) -> ExposureOutput {
    let mut used: Vec<super::EdgeId> = reached.iter().flat_map(|r| r.witness.clone()).collect();
    used.sort_unstable();
    used.dedup();
    let reached = reached
        .iter()
        .map(|r| {
            let mut runs_on = None;
            let (kind, object, program, right) = match r.privilege {
                Privilege::Credential(a) => ("credential", Node::Account(a), None, None),
                Privilege::Member(g) => ("member", Node::Account(g), None, None),
                Privilege::Administrator(m) => ("administrator", Node::Machine(m), None, None),
                Privilege::AdministratorWhileRuns(m, run) => {
                    if run.client != m {
                        runs_on = Some(estate.machine(run.client).name.to_string());
                    }
                    (
                        "administrator_while_runs",
                        Node::Machine(m),
                        Some(estate.program(run.program).name.clone()),
                        None,
                    )
                }
                Privilege::Right(m, right) => (
                    "right",
                    Node::Machine(m),
                    None,
                    Some(right.as_str().to_string()),
                ),
                Privilege::Read(s) => ("read", Node::Share(s), None, None),
            };
            ReachedOutput {
                kind: kind.into(),
                object: node_name(estate, object),
                program,
                runs_on,
                right,
                text: privilege_text(estate, r.privilege),
                witness: r.witness.iter().map(|e| e.index() as u32).collect(),
                conditions: r
                    .conditions
                    .iter()
                    .map(|&c| condition_output(estate, c))
                    .collect(),
            }
        })
        .collect();
    ExposureOutput {
        schema_version: SCHEMA_VERSION,
        nodes: None,
        edges: used
            .into_iter()
            .map(|id| edge_output(estate, x, id))
            .collect(),
        findings: None,
        compromise: Some(CompromiseOutput {
            start: match start {
                Start::Credential(a) => StartOutput {
                    credential: Some(estate.qualified_name(a)),
                    client: None,
                    segment: None,
                },
                Start::Client(m) => StartOutput {
                    credential: None,
                    client: Some(estate.machine(m).name.to_string()),
                    segment: None,
                },
                Start::Segment(k) => StartOutput {
                    credential: None,
                    client: None,
                    segment: Some(estate.site().configmgr.osd.segment_name(k).to_string()),
                },
            },
            reach: match reach {
                Reach::Direct => "direct".into(),
                Reach::Transitive => "transitive".into(),
            },
            reached,
            target: None,
        }),
    }
}

/// The graph and its findings as JSON ([`graph_output`]).
pub fn to_json(estate: &Estate, x: &Exposure, findings: &[Finding]) -> serde_json::Value {
    serde_json::to_value(graph_output(estate, x, findings)).unwrap_or_default()
}

/// The JSON Schema of [`ExposureOutput`].
pub fn exposure_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ExposureOutput)).unwrap_or_default()
}
