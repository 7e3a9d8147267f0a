//! What a Configuration Manager site's client push adds to the exposure graph, and its
//! findings (lineage-sources-2.md section 1):
//!
//! - `CM-PUSH-EXPOSES-ALL`: a target that receives push tries over NTLM stores each
//!   one's authentication, which reveals the account to its administrators (to crack
//!   or relay); over Kerberos nothing reusable reaches it.
//! - `CM-ELEVATE-2`: with automatic push and site assignment, NTLM in effect and no PKI
//!   client authentication, any enabled user of a domain the site trusts registers a
//!   device and draws every push account's and the computer account's authentication.
//! - `CM-ELEVATE-3`: with automatic push and site assignment, AD System Discovery
//!   covering new computer accounts and NTLM in effect, any enabled user who can create
//!   a computer account (the quota and "Add workstations to domain", as CRED-2 reads
//!   them) and a DNS A record (`X-CM-DNS-RECORDS` unless the scenario names who may)
//!   does the same without registering.
//! - `CM-PUSH-PRIVILEGED`: a push account that administers a domain controller.
//!
//! What the coercion draws rests on the write-ups' `[DEFAULT]` NTLM settings of the site
//! server and the domain, which the scenario does not give (`X-CM-NTLM-HOST-DEFAULTS`).

use super::configmgr::{may_add_workstations, quota_rule, standing, trusted_by_site};
use super::findings::{Evidence, Finding, FindingKind, Severity};
use super::query::Privilege;
use super::*;
use crate::engine::push::push_all;

/// The push edges; each goes to `edge`.
pub(super) fn edges(
    estate: &Estate,
    state: &State,
    edge: &mut impl FnMut(Node, Node, EdgeKind, RuleId),
) {
    let cm = &estate.site().configmgr;
    let Some(push) = cm.client_push.as_ref() else {
        return;
    };
    for d in push_all(estate, state) {
        let secret = Node::Secret(Secret::PushAuthentication(d.target));
        let mut stored = false;
        for a in d.over_ntlm() {
            if !stored {
                edge(
                    Node::Machine(d.target),
                    secret,
                    EdgeKind::Stores,
                    RuleId::CmPushExposesAll,
                );
                stored = true;
            }
            edge(
                secret,
                Node::Account(a.account),
                EdgeKind::Reveals,
                RuleId::CmPushExposesAll,
            );
        }
    }
    let ntlm = push.ntlm().allowed;
    let assigned = push.automatic.is_some() && push.automatic_site_assignment && ntlm;
    let elevate2 = assigned && !cm.https_only;
    let elevate3 = assigned && push.discovery_covers_new_computers == Some(true);
    if !(elevate2 || elevate3) {
        return;
    }
    let coercion = Node::Secret(Secret::PushCoercion);
    // The site server sends NTLM to the device: its outgoing-NTLM settings, Protected
    // Users and the domain's NTLM restriction are the write-ups' `[DEFAULT]`s, which the
    // scenario does not give (X-CM-NTLM-HOST-DEFAULTS).
    let server_account = cm
        .site_server
        .and_then(|s| estate.machine(s).computer_account);
    for &a in push.accounts.iter().chain(server_account.iter()) {
        edge(
            coercion,
            Node::Account(a),
            EdgeKind::Reveals,
            RuleId::XCmNtlmHostDefaults,
        );
    }
    for a in estate.account_ids() {
        let account = estate.account(a);
        let (AccountKind::User, Store::Domain(d)) = (account.kind, account.store) else {
            continue;
        };
        if !state.status(a).enabled || !trusted_by_site(estate, state, d) {
            continue;
        }
        if elevate2 {
            edge(
                Node::Account(a),
                coercion,
                EdgeKind::Obtains,
                RuleId::CmElevate2,
            );
            continue;
        }
        let computer = account.role == Some(SmsRole::ComputerAccount);
        let creates = !computer
            && quota_rule(estate.domain(d)).is_some()
            && may_add_workstations(estate, d, a);
        let dns = match &push.dns_record_creators {
            None => Some(RuleId::XCmDnsRecords),
            Some(holders) => estate.is_granted(a, holders).then_some(RuleId::CmElevate3),
        };
        if let (true, Some(rule)) = (creates, dns) {
            edge(Node::Account(a), coercion, EdgeKind::Obtains, rule);
        }
    }
}

impl Exposure {
    /// The findings of a site's client push, in a stable order.
    pub(super) fn push_findings(&self, estate: &Estate) -> Vec<Finding> {
        let Some(push) = estate.site().configmgr.client_push.as_ref() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // CM-PUSH-EXPOSES-ALL: the targets that receive NTLM, and what they receive.
        let stores: Vec<EdgeId> = self
            .edge_ids()
            .filter(|&e| {
                let edge = self.edge_at(e);
                edge.rule == RuleId::CmPushExposesAll && edge.kind == EdgeKind::Stores
            })
            .collect();
        if !stores.is_empty() {
            let reveals: Vec<EdgeId> = self
                .edge_ids()
                .filter(|&e| {
                    let edge = self.edge_at(e);
                    edge.rule == RuleId::CmPushExposesAll && edge.kind == EdgeKind::Reveals
                })
                .collect();
            let mut accounts: Vec<AccountId> = reveals
                .iter()
                .filter_map(|&e| match self.edge_at(e).to {
                    Node::Account(a) => Some(a),
                    _ => None,
                })
                .collect();
            accounts.sort_unstable();
            accounts.dedup();
            // The first target's authentications name the finding; the targets follow.
            let mut objects = vec![self.edge_at(stores[0]).to];
            objects.extend(stores.iter().map(|&e| self.edge_at(e).from));
            let mut evidence: Vec<Evidence> = stores.iter().map(|&e| Evidence::Edge(e)).collect();
            evidence.extend(reveals.iter().map(|&e| Evidence::Edge(e)));
            out.push(standing(
                FindingKind::PushAuthenticationExposed,
                self.rate_push(&accounts),
                RuleId::CmPushExposesAll,
                objects,
                evidence,
            ));
        }
        // CM-ELEVATE-2 and CM-ELEVATE-3: who draws the coercion.
        let coercion = Node::Secret(Secret::PushCoercion);
        let obtains: Vec<EdgeId> = self.edges_into(coercion, EdgeKind::Obtains).collect();
        if !obtains.is_empty() {
            let reveals: Vec<EdgeId> = self
                .out_edges(coercion)
                .iter()
                .copied()
                .filter(|&e| self.edge_at(e).kind == EdgeKind::Reveals)
                .collect();
            let accounts: Vec<AccountId> = reveals
                .iter()
                .filter_map(|&e| match self.edge_at(e).to {
                    Node::Account(a) => Some(a),
                    _ => None,
                })
                .collect();
            let rule = match self.edge_at(obtains[0]).rule {
                RuleId::CmElevate2 => RuleId::CmElevate2,
                _ => RuleId::CmElevate3,
            };
            let mut objects = vec![coercion];
            objects.extend(accounts.iter().map(|&a| Node::Account(a)));
            objects.extend(
                self.relay_targets(push, &accounts)
                    .into_iter()
                    .map(Node::Machine),
            );
            let mut evidence: Vec<Evidence> = obtains.iter().map(|&e| Evidence::Edge(e)).collect();
            evidence.extend(reveals.iter().map(|&e| Evidence::Edge(e)));
            out.push(standing(
                FindingKind::PushCoercible,
                self.rate_push(&accounts),
                rule,
                objects,
                evidence,
            ));
        }
        // CM-PUSH-PRIVILEGED: a push account that administers a DC.
        for &a in &push.accounts {
            out.extend(self.dc_administrator(
                estate,
                a,
                FindingKind::PushAccountPrivileged,
                RuleId::CmPushPrivileged,
            ));
        }
        out
    }

    /// The machines a relay of `accounts`' authentication reaches over SMB: those an
    /// account administers that do not require signing and accept NTLM (the
    /// write-ups' `[DEFAULT]`s unless the scenario lists them).
    pub(super) fn relay_targets(
        &self,
        push: &crate::model::push::ClientPush,
        accounts: &[AccountId],
    ) -> Vec<MachineId> {
        let mut out: Vec<MachineId> = accounts
            .iter()
            .flat_map(|&a| self.own_privileges(a))
            .filter_map(|r| match r.privilege {
                Privilege::Administrator(m) => Some(m),
                _ => None,
            })
            .filter(|m| !push.smb_signing_required.contains(m) && !push.ntlm_refused.contains(m))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// High when an exposed account, not disabled, administers a machine; else medium.
    fn rate_push(&self, accounts: &[AccountId]) -> Severity {
        if accounts.iter().any(|&a| self.yields_administrator(a)) {
            Severity::High
        } else {
            Severity::Medium
        }
    }
}

impl Exposure {
    /// ELEVATE-2 or ELEVATE-3 where they hold: the edge that draws the coercion (its
    /// rule and provenance), and the machines the drawn authentications reach over SMB.
    pub(super) fn coercion_relays(&self, estate: &Estate) -> Option<(Edge, Vec<MachineId>)> {
        let push = estate.site().configmgr.client_push.as_ref()?;
        let coercion = Node::Secret(Secret::PushCoercion);
        let first = self.edges_into(coercion, EdgeKind::Obtains).next()?;
        let accounts: Vec<AccountId> = self
            .out_edges(coercion)
            .iter()
            .filter_map(|&e| match self.edge_at(e) {
                Edge {
                    kind: EdgeKind::Reveals,
                    to: Node::Account(a),
                    ..
                } => Some(a),
                _ => None,
            })
            .collect();
        Some((self.edge_at(first), self.relay_targets(push, &accounts)))
    }
}
