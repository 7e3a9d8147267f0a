//! Findings from transitive reach (`X-TRANSITIVE`), without a question: the NT clients
//! (other than DCs) whose control yields a domain, one of its DCs or its global group
//! Domain Admins, for good or under the runs of the witness path; each with its
//! cheapest witness, to the nearest domain.
//!
//! One search, backwards from every domain's DCs and Domain Admins over the edges a
//! transitive compromise follows ([`Exposure::search`]'s), gives every node's cheapest
//! way to the nearest (fewest conditions, then fewest edges) at once, so the findings
//! cost a few passes over the edges whatever the number of clients and domains. Clients whose witness
//! paths differ only in their own first steps (their own machine, SAM, sessions and
//! local accounts, and the users they pass through) make one finding: counted, a few
//! named, the path shown for the first.

use std::collections::BTreeMap;

use super::findings::{Evidence, Finding, FindingKind, Severity};
use super::search::{Search, Step};
use super::{EdgeId, Exposure, Gate, Node, Secret, tag};
use crate::model::*;
use crate::rules::RuleId;

/// How many clients a finding of transitive reach names; the rest are counted.
pub const NAMED_CLIENTS: usize = 3;

/// What a client's path is grouped on: the first node that is not its own, and the
/// kind, rule and detail of each edge up to it.
type Shape = (u32, Vec<(u8, RuleId, u32)>);

/// The clients whose paths share everything after their own first steps.
struct Group {
    clients: Vec<MachineId>,
    witness: Vec<EdgeId>,
}

/// The global group `Domain Admins` of a domain, if the scenario declares it
/// (`X-TRANSITIVE`: found by its name, as Windows NT 4.0 names it in every domain).
pub fn domain_admins(estate: &Estate, domain: DomainId) -> Option<AccountId> {
    estate
        .account_in(Store::Domain(domain), "Domain Admins")
        .filter(|&g| estate.account(g).kind == AccountKind::GlobalGroup)
}

impl Exposure {
    /// The in-edge index: the edges into node `n` at `ids[start[n]..start[n + 1]]`,
    /// in id order.
    fn in_index(&self) -> (Vec<u32>, Vec<EdgeId>) {
        super::counting_index(self.space.len(), &self.edges, |e| e.to)
    }

    /// The nodes whose control is the control of `domain`: its DCs and its Domain
    /// Admins, those in the graph.
    pub(super) fn domain_targets(&self, estate: &Estate, domain: DomainId) -> Vec<u32> {
        let d = estate.domain(domain);
        d.controllers
            .iter()
            .map(|&m| Node::Machine(m))
            .chain(domain_admins(estate, domain).map(Node::Account))
            .filter(|&n| self.contains(n))
            .map(|n| self.space.index(n))
            .collect()
    }

    /// The findings of transitive reach (`X-TRANSITIVE`), in a stable order.
    pub fn transitive_findings(&self, estate: &Estate) -> Vec<Finding> {
        let mut out = Vec::new();
        self.reach_findings(estate, &mut out);
        self.note_statuses(&mut out);
        out.sort();
        out
    }

    fn reach_findings(&self, estate: &Estate, out: &mut Vec<Finding>) {
        let clients: Vec<MachineId> = estate
            .machine_ids()
            .filter(|&m| {
                let machine = estate.machine(m);
                machine.sms_client && !machine.platform.is_win9x() && !machine.platform.is_dc()
            })
            .collect();
        // Each target with its domain, by node number.
        let mut domain_of: Vec<(u32, DomainId)> = estate
            .domain_ids()
            .flat_map(|d| {
                self.domain_targets(estate, d)
                    .into_iter()
                    .map(move |n| (n, d))
            })
            .collect();
        domain_of.sort_unstable();
        let targets: Vec<u32> = domain_of.iter().map(|&(n, _)| n).collect();
        // One search backwards from every domain's targets: each node's cheapest way to
        // the nearest of them.
        let (start, ids) = self.in_index();
        let search = Search::run(self.space.len(), &targets, |node, push| {
            let n = node as usize;
            for &e in &ids[start[n] as usize..start[n + 1] as usize] {
                let p = self.edges[e.index()];
                let step = match p.kind {
                    tag::MEMBER_OF | tag::REVEALS | tag::STORES | tag::OBTAINS | tag::ADMIN_OF => {
                        Step::Free
                    }
                    tag::ADMIN_WHILE_RUNS => Step::Conditional,
                    _ => continue,
                };
                // The edge's source gates it, as in the forward search.
                let gate = self.gate_of(p.from);
                if gate != Gate::Disabled {
                    push(p.from, e.0, super::query::gated(gate, step));
                }
            }
        });
        let mut groups: BTreeMap<Shape, Group> = BTreeMap::new();
        for &m in &clients {
            let node = self.space.index(Node::Machine(m));
            if search.cost(node).is_none() {
                continue;
            }
            groups
                .entry(self.own_prefix(estate, &search, m))
                .or_insert_with(|| Group {
                    clients: Vec::new(),
                    witness: self.path_from(&search, node),
                })
                .clients
                .push(m);
        }
        for group in groups.into_values() {
            out.push(self.reach_finding(&domain_of, group));
        }
    }

    fn reach_finding(&self, domain_of: &[(u32, DomainId)], group: Group) -> Finding {
        // A witness ends at a target (a client is not one: DCs are left out).
        let end = group
            .witness
            .last()
            .map_or(0, |&e| self.edges[e.index()].to);
        let at = domain_of.partition_point(|&(n, _)| n < end);
        let (target, domain) = (self.space.node(end), domain_of[at].1);
        let mut objects = vec![Node::Domain(domain), target];
        objects.extend(
            group
                .clients
                .iter()
                .take(NAMED_CLIENTS)
                .map(|&m| Node::Machine(m)),
        );
        Finding {
            kind: FindingKind::ClientYieldsDomain,
            severity: Severity::High,
            rule: RuleId::XTransitive,
            objects,
            conditions: self.conditions_of(&group.witness),
            evidence: group.witness.into_iter().map(Evidence::Edge).collect(),
            unlisted: group.clients.len().saturating_sub(NAMED_CLIENTS),
            statuses: Vec::new(),
        }
    }

    /// The path of a backward search from `node` to its targets, in order.
    fn path_from(&self, search: &Search, node: u32) -> Vec<EdgeId> {
        let mut path = Vec::new();
        let mut node = node;
        // A target's ROOT is past the last edge.
        while let Some(p) = self.edges.get(search.via(node) as usize) {
            path.push(EdgeId(search.via(node)));
            node = p.to;
        }
        path
    }

    /// What `client`'s path is grouped on: its pivot, the first node that is neither
    /// the client's own (its machine, SAM, logon sessions, local accounts) nor a user
    /// (the people logged on differ from client to client), with the kind, rule and
    /// detail of each edge up to it. Paths with the same shape share everything from
    /// the pivot on.
    fn own_prefix(&self, estate: &Estate, search: &Search, client: MachineId) -> Shape {
        let own = |node: Node| match node {
            Node::Machine(m)
            | Node::Secret(Secret::LocalSam(m))
            | Node::Secret(Secret::LogonSessions(m)) => m == client,
            Node::Account(a) => {
                let a = estate.account(a);
                a.store == Store::Local(client) || a.kind == AccountKind::User
            }
            _ => false,
        };
        let mut prefix = Vec::new();
        let mut node = self.space.index(Node::Machine(client));
        while own(self.space.node(node))
            && let Some(&p) = self.edges.get(search.via(node) as usize)
        {
            prefix.push((p.kind, p.rule, p.detail));
            node = p.to;
        }
        (node, prefix)
    }
}
