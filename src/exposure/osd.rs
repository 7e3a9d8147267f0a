//! What a Configuration Manager site's task sequences, collection variables and PXE
//! add to the exposure graph, and their findings (lineage-sources-2.md section 2):
//!
//! - `CM-TS-SECRETS`, `CM-TS-HIDDEN`: a collection's policy (its variables and the task
//!   sequences deployed to it) reveals the accounts it carries, a variable marked
//!   "Do not display this value" as well.
//! - CRED-3 (`X-CM-TS-TARGETS`): every member stores it; its administrators read it.
//! - CRED-2 (`CM-TS-SECRETS` as given, `X-CM-NEW-REGISTRATIONS` by default): an approved
//!   registration that falls into the collection asks for it, as for the network access
//!   accounts (`registrants`), unless the site requires PKI client authentication.
//! - CRED-4 (`X-CM-TS-RESIDUE`): what a removed variable or deployment carried stays on
//!   the members.
//! - CRED-1 (`CM-CRED-1`, `X-CM-PXE-PASSWORD`, `X-CM-PXE-UNKNOWN`): a position on a
//!   network segment a PXE distribution point answers obtains its boot media: the
//!   network access accounts, and, with unknown computer support, what the task
//!   sequences deployed to unknown computers carry.
//! - `CM-DJOIN-OWNER` (`X-CM-DJOIN-OWNER-KEPT`, `X-CM-DJOIN-JOINED`): the domain join
//!   account owns the computers it joined, which the model reads as control of each.
//! - `CM-TS-RUNAS-RIGHTS`: an account a task sequence or variable carries that
//!   administers a domain controller.

use super::configmgr::{registrants, standing};
use super::findings::{Evidence, Finding, FindingKind, Severity};
use super::*;
use crate::model::osd::{Osd, PxePassword};

/// What collection `c`'s policy reveals now ([`Osd::carried`]), each account with its
/// rule: `CM-TS-HIDDEN` for one a variable marked secret carries.
fn current_reveals(osd: &Osd, c: CollectionId) -> Vec<(AccountId, RuleId)> {
    osd.carried(c)
        .into_iter()
        .map(|(a, hidden)| {
            let rule = if hidden {
                RuleId::CmTsHidden
            } else {
                RuleId::CmTsSecrets
            };
            (a, rule)
        })
        .collect()
}

/// The policy edges; each goes to `edge`.
pub(super) fn edges(
    estate: &Estate,
    state: &State,
    edge: &mut impl FnMut(Node, Node, EdgeKind, RuleId),
) {
    let cm = &estate.site().configmgr;
    let osd = &cm.osd;
    if osd.is_empty() {
        return;
    }
    let registered = if cm.https_only {
        Vec::new()
    } else {
        registrants(estate, state)
    };
    for c in (0..estate.collections().len()).map(CollectionId::from_index) {
        let policy = Node::Secret(Secret::CollectionPolicy(c));
        let reveals = current_reveals(osd, c);
        for &(a, rule) in &reveals {
            edge(policy, Node::Account(a), EdgeKind::Reveals, rule);
        }
        let members = &estate.collection(c).members;
        if !reveals.is_empty() {
            for &m in members {
                edge(
                    Node::Machine(m),
                    policy,
                    EdgeKind::Stores,
                    RuleId::XCmTsTargets,
                );
            }
            if let Some(p) = osd.collection(c).filter(|p| p.new_registrations) {
                // CRED-2 into this collection: the registration's own rule, or the
                // assumption that new registrations fall into it.
                let default = p.new_registrations_rule == Some(RuleId::XCmNewRegistrations);
                for &(a, rule) in &registered {
                    let rule = if default {
                        RuleId::XCmNewRegistrations
                    } else {
                        rule
                    };
                    edge(Node::Account(a), policy, EdgeKind::Obtains, rule);
                }
            }
        }
        let before = osd.residue(c);
        if !before.is_empty() {
            let previous = Node::Secret(Secret::PreviousCollectionPolicy(c));
            for &a in &before {
                edge(
                    previous,
                    Node::Account(a),
                    EdgeKind::Reveals,
                    RuleId::XCmTsResidue,
                );
            }
            for &m in members {
                edge(
                    Node::Machine(m),
                    previous,
                    EdgeKind::Stores,
                    RuleId::XCmTsResidue,
                );
            }
        }
    }
    pxe_edges(estate, edge);
    owner_edges(estate, edge);
}

/// CRED-1: each segment a PXE distribution point answers obtains its media, which
/// reveal the network access accounts and, with unknown computer support, what the
/// task sequences and variables of unknown-computer collections carry.
fn pxe_edges(estate: &Estate, edge: &mut impl FnMut(Node, Node, EdgeKind, RuleId)) {
    let cm = &estate.site().configmgr;
    let osd = &cm.osd;
    for p in &osd.pxe {
        let media = Node::Secret(Secret::PxeMedia(p.server));
        let mut reveals: Vec<(AccountId, RuleId)> = cm
            .network_access_accounts
            .iter()
            .map(|&a| (a, RuleId::CmCred1))
            .collect();
        if p.unknown_computers {
            for c in (0..estate.collections().len()).map(CollectionId::from_index) {
                if osd.collection(c).is_some_and(|x| x.unknown_computers) {
                    for (a, _) in current_reveals(osd, c) {
                        if !reveals.iter().any(|(x, _)| *x == a) {
                            reveals.push((a, RuleId::XCmPxeUnknown));
                        }
                    }
                }
            }
        }
        if reveals.is_empty() {
            continue;
        }
        let rule = match p.password {
            PxePassword::Set => RuleId::XCmPxePassword,
            PxePassword::None | PxePassword::Weak => RuleId::CmCred1,
        };
        for &k in &p.segments {
            edge(Node::Segment(k as u32), media, EdgeKind::Obtains, rule);
        }
        for (a, rule) in reveals {
            edge(media, Node::Account(a), EdgeKind::Reveals, rule);
        }
    }
}

/// `CM-DJOIN-OWNER`: the domain join account owns each computer its task sequence
/// joined, unless their ownership was reassigned.
fn owner_edges(estate: &Estate, edge: &mut impl FnMut(Node, Node, EdgeKind, RuleId)) {
    // One edge an owner and computer, with the first task sequence's rule.
    let mut drawn: std::collections::BTreeSet<(AccountId, MachineId)> =
        std::collections::BTreeSet::new();
    for ts in &estate.site().configmgr.osd.task_sequences {
        let Some(account) = ts.domain_join else {
            continue;
        };
        let rule = match (ts.joined_rule, ts.ownership_reassigned) {
            (_, Some(true)) => continue,
            (RuleId::XCmDjoinJoined, _) => RuleId::XCmDjoinJoined,
            (_, None) => RuleId::XCmDjoinOwnerKept,
            (_, Some(false)) => RuleId::CmDjoinOwner,
        };
        for &m in ts.joined.iter().filter(|&&m| drawn.insert((account, m))) {
            edge(
                Node::Account(account),
                Node::Machine(m),
                EdgeKind::AdminOf,
                rule,
            );
        }
    }
}

impl Exposure {
    /// The findings of what the site puts in policy beyond its network access accounts,
    /// in a stable order.
    pub(super) fn osd_findings(&self, estate: &Estate) -> Vec<Finding> {
        let osd = &estate.site().configmgr.osd;
        let mut out = Vec::new();
        if osd.is_empty() {
            return out;
        }
        for c in (0..estate.collections().len()).map(CollectionId::from_index) {
            out.extend(self.collection_findings(c));
        }
        out.extend(self.pxe_findings(estate));
        out.extend(self.owner_findings(estate));
        out.extend(self.carried_privileged(estate));
        out
    }

    /// The accounts `edges` end at, in their order.
    fn accounts_at(&self, edges: &[EdgeId]) -> Vec<AccountId> {
        edges
            .iter()
            .filter_map(|&e| match self.edge_at(e).to {
                Node::Account(a) => Some(a),
                _ => None,
            })
            .collect()
    }

    /// CRED-3, CRED-2 and CRED-4 for one collection's policy.
    fn collection_findings(&self, c: CollectionId) -> Vec<Finding> {
        let mut out = Vec::new();
        for (secret, kind) in [
            (Secret::CollectionPolicy(c), EdgeKind::Stores),
            (Secret::CollectionPolicy(c), EdgeKind::Obtains),
            (Secret::PreviousCollectionPolicy(c), EdgeKind::Stores),
        ] {
            let node = Node::Secret(secret);
            let into: Vec<EdgeId> = self.edges_into(node, kind).collect();
            let reveals: Vec<EdgeId> = self.reveals_of(node).collect();
            let Some(&first) = into.first() else { continue };
            let accounts = self.accounts_at(&reveals);
            let (finding, rule) = match (secret, kind) {
                (Secret::PreviousCollectionPolicy(_), _) => {
                    (FindingKind::PolicySecretsResidue, RuleId::XCmTsResidue)
                }
                (_, EdgeKind::Obtains) => {
                    let rule = match self.edge_at(first).rule {
                        RuleId::XCmNewRegistrations => RuleId::XCmNewRegistrations,
                        _ => RuleId::CmTsSecrets,
                    };
                    (FindingKind::PolicySecretsObtainable, rule)
                }
                _ => (FindingKind::PolicySecretsOnClients, RuleId::XCmTsTargets),
            };
            let mut objects = vec![node];
            objects.extend(accounts.iter().map(|&a| Node::Account(a)));
            let mut evidence: Vec<Evidence> = into.iter().map(|&e| Evidence::Edge(e)).collect();
            evidence.extend(reveals.iter().map(|&e| Evidence::Edge(e)));
            out.push(standing(
                finding,
                self.rate(&accounts),
                rule,
                objects,
                evidence,
            ));
        }
        out
    }

    /// CRED-1: one finding for the network access accounts a PXE distribution point's
    /// media reveal, one for the task-sequence secrets; rated by the PXE password.
    fn pxe_findings(&self, estate: &Estate) -> Vec<Finding> {
        let mut out = Vec::new();
        for p in &estate.site().configmgr.osd.pxe {
            let media = Node::Secret(Secret::PxeMedia(p.server));
            let obtains: Vec<EdgeId> = self.edges_into(media, EdgeKind::Obtains).collect();
            if obtains.is_empty() {
                continue;
            }
            for rule in [RuleId::CmCred1, RuleId::XCmPxeUnknown] {
                let reveals: Vec<EdgeId> = self
                    .reveals_of(media)
                    .filter(|&e| self.edge_at(e).rule == rule)
                    .collect();
                if reveals.is_empty() {
                    continue;
                }
                let accounts = self.accounts_at(&reveals);
                // A set password that holds (X-CM-PXE-PASSWORD) puts a crack first:
                // below the media in the clear.
                let severity = match (p.password, self.rate(&accounts)) {
                    (_, Severity::Low) => Severity::Low,
                    (PxePassword::Set, _) => Severity::Medium,
                    _ => Severity::High,
                };
                let mut objects = vec![media, Node::Machine(p.server)];
                objects.extend(p.segments.iter().map(|&k| Node::Segment(k as u32)));
                objects.extend(accounts.iter().map(|&a| Node::Account(a)));
                let mut evidence: Vec<Evidence> =
                    obtains.iter().map(|&e| Evidence::Edge(e)).collect();
                evidence.extend(reveals.iter().map(|&e| Evidence::Edge(e)));
                out.push(standing(
                    FindingKind::PxeMediaSecrets,
                    severity,
                    rule,
                    objects,
                    evidence,
                ));
            }
        }
        out
    }

    /// PREVENT-17: the domain join account owns the computers it joined; high when a
    /// domain controller is among them.
    fn owner_findings(&self, estate: &Estate) -> Vec<Finding> {
        let mut out = Vec::new();
        for ts in &estate.site().configmgr.osd.task_sequences {
            let Some(account) = ts.domain_join else {
                continue;
            };
            let owns: Vec<EdgeId> = self
                .out_edges(Node::Account(account))
                .iter()
                .copied()
                .filter(|&e| {
                    // The owner edges are the only ones of these rules.
                    let edge = self.edge_at(e);
                    matches!(
                        edge.rule,
                        RuleId::CmDjoinOwner | RuleId::XCmDjoinOwnerKept | RuleId::XCmDjoinJoined
                    ) && ts.joined.iter().any(|&m| edge.to == Node::Machine(m))
                })
                .collect();
            if owns.is_empty() {
                continue;
            }
            let dc = owns.iter().any(|&e| {
                matches!(self.edge_at(e).to, Node::Machine(m) if estate.machine(m).platform.is_dc())
            });
            let mut objects = vec![Node::Account(account)];
            objects.extend(owns.iter().map(|&e| self.edge_at(e).to));
            let severity = match (self.gate(account), dc) {
                (Gate::Disabled, _) => Severity::Low,
                (_, true) => Severity::High,
                (_, false) => Severity::Medium,
            };
            out.push(standing(
                FindingKind::DomainJoinOwner,
                severity,
                RuleId::CmDjoinOwner,
                objects,
                owns.iter().map(|&e| Evidence::Edge(e)).collect(),
            ));
        }
        out.sort();
        out.dedup();
        out
    }

    /// `CM-TS-RUNAS-RIGHTS`: an account a task sequence or a variable carries that
    /// administers a domain controller, of its own.
    fn carried_privileged(&self, estate: &Estate) -> Vec<Finding> {
        let osd = &estate.site().configmgr.osd;
        let mut carried: Vec<AccountId> = Vec::new();
        for ts in &osd.task_sequences {
            carried.extend(ts.accounts(false));
            carried.extend(ts.accounts(true));
        }
        for p in &osd.collections {
            carried.extend(p.variables.iter().filter_map(|v| v.account));
        }
        carried.sort_unstable();
        carried.dedup();
        carried
            .into_iter()
            .filter_map(|a| {
                self.dc_administrator(
                    estate,
                    a,
                    FindingKind::PolicyAccountPrivileged,
                    RuleId::CmTsRunAsRights,
                )
            })
            .collect()
    }
}
