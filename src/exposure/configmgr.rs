//! What a Configuration Manager site adds to the exposure graph, and its findings: the
//! network access accounts' secrets and who obtains them, each edge and finding an
//! instance of a Misconfiguration Manager technique ([`crate::lineage::tag`]).
//!
//! - CRED-2 (`CM-CRED-2`, `CM-CRED-2-QUOTA`, `X-CM-QUOTA-DEFAULT`, `X-CM-APPROVE-ALL`):
//!   an approved client can ask for the machine policy. The site's clients are approved;
//!   with the default approval so is any computer account of a trusted domain, and
//!   while a domain's MachineAccountQuota is above 0 any of its enabled users can add
//!   one; manual approval leaves only the site's clients; approving all lets any enabled
//!   account in; HTTPS with PKI client certificates cuts it (PREVENT-8).
//! - CRED-3 (`CM-CRED-3`, `X-CM-POLICY-TARGETS`): every client of the site stores the
//!   policy; its administrators read it.
//! - CRED-4 (`X-CM-RESIDUE`): the accounts the site used before stay on its clients.
//! - CRED-5 (`CM-CRED-5`, `X-CM-DATABASE-READER`): the site database holds them; the
//!   site server's administrators recover them, and so (assumed) do its readers.
//!
//! The policy reveals the current accounts (`CM-NAA-POLICY`).

use super::query::Privilege;
use super::*;
use crate::exposure::findings::{Evidence, Finding, FindingKind, Severity};

/// The CRED-2 rule for the users of `d`, the weakest of what it rests on: none when
/// its MachineAccountQuota is 0; the quota's default (`X-CM-QUOTA-DEFAULT`) when the
/// scenario does not give it; the right's default holders (`X-CM-ADD-WORKSTATIONS`)
/// when it gives the quota but not them; both as given (`CM-CRED-2-QUOTA`).
pub(super) fn quota_rule(domain: &Domain) -> Option<RuleId> {
    match (domain.machine_account_quota, &domain.add_workstations) {
        (Some(0), _) => None,
        (None, _) => Some(RuleId::XCmQuotaDefault),
        (Some(_), None) => Some(RuleId::XCmAddWorkstations),
        (Some(_), Some(_)) => Some(RuleId::CmCred2Quota),
    }
}

/// CRED-2's second Requirement: whether `user` of domain `d` holds its "Add workstations
/// to domain" right: as the scenario gives its holders (`CM-CRED-2-QUOTA`), or, when it
/// does not, as Domain Users, which hold every user of the domain
/// (`X-CM-ADD-WORKSTATIONS`, the write-up's `[DEFAULT]`).
pub(super) fn may_add_workstations(estate: &Estate, d: DomainId, user: AccountId) -> bool {
    match &estate.domain(d).add_workstations {
        None => true,
        Some(holders) => estate.is_granted(user, holders),
    }
}

/// Whether a domain's computers are approved automatically: the site server's domain
/// and the domains it trusts ("computers in trusted domains").
pub(super) fn trusted_by_site(estate: &Estate, state: &State, d: DomainId) -> bool {
    let site = estate.site().domain;
    d == site || state.trusts(site, d)
}

/// The build task of a Configuration Manager site.
/// Each edge goes to `edge` (the build's sink: this module does not know the build).
pub(super) fn secrets(
    estate: &Estate,
    state: &State,
    edge: &mut impl FnMut(Node, Node, EdgeKind, RuleId),
) {
    let cm = &estate.site().configmgr;
    let policy = Node::Secret(Secret::NetworkAccessPolicy);
    let previous = Node::Secret(Secret::PreviousNetworkAccess);
    let database = Node::Secret(Secret::SiteDatabase);
    let has_current = !cm.network_access_accounts.is_empty();
    for &a in &cm.network_access_accounts {
        edge(
            policy,
            Node::Account(a),
            EdgeKind::Reveals,
            RuleId::CmNaaPolicy,
        );
    }
    for &a in &cm.previous_network_access_accounts {
        edge(
            previous,
            Node::Account(a),
            EdgeKind::Reveals,
            RuleId::XCmResidue,
        );
    }
    for m in estate.machine_ids() {
        if !estate.machine(m).sms_client {
            continue;
        }
        if has_current {
            edge(
                Node::Machine(m),
                policy,
                EdgeKind::Stores,
                RuleId::XCmPolicyTargets,
            );
        }
        if !cm.previous_network_access_accounts.is_empty() {
            edge(
                Node::Machine(m),
                previous,
                EdgeKind::Stores,
                RuleId::XCmResidue,
            );
        }
    }
    if has_current && !cm.https_only {
        registrations(estate, state, edge);
    }
    if has_current {
        // CRED-5: the site server holds the site's key; so, assumed, does each passive
        // one (X-CM-PASSIVE-SITE-SERVER).
        let servers = cm.site_server.iter().map(|&m| (m, RuleId::CmCred5));
        let passive = cm
            .passive_site_servers
            .iter()
            .map(|&m| (m, RuleId::XCmPassiveSiteServer));
        for (server, rule) in servers.chain(passive) {
            edge(Node::Machine(server), database, EdgeKind::Stores, rule);
        }
        for &reader in &cm.database_readers {
            edge(
                Node::Account(reader),
                database,
                EdgeKind::Obtains,
                RuleId::XCmDatabaseReader,
            );
        }
        for &a in &cm.network_access_accounts {
            edge(
                database,
                Node::Account(a),
                EdgeKind::Reveals,
                RuleId::CmCred5,
            );
        }
    }
}

/// CRED-2: whose registration the site approves, and so who can ask for the policy
/// (the write-up's Requirements: an approved registration, and no PKI client
/// authentication, which the caller checks).
///
/// - Automatic approval of trusted domains (`CM-CRED-2`): a computer account of the
///   site server's domain or of a domain it trusts; a user of such a domain adds one
///   while its MachineAccountQuota is above 0 (`CM-CRED-2-QUOTA`, or
///   `X-CM-QUOTA-DEFAULT` when the scenario does not give it).
/// - Manual approval: no new registration is approved, so none. The approved clients'
///   own keys sit on those clients: reading them is CRED-3 (`X-CM-POLICY-TARGETS`).
/// - Approving all computers (`X-CM-APPROVE-ALL`): any account.
///
/// A disabled account registers nothing (A10); a locked-out one registers once its
/// lockout ends, as every edge out of it holds (`X-LOCKOUT-ENDS`).
fn registrations(
    estate: &Estate,
    state: &State,
    edge: &mut impl FnMut(Node, Node, EdgeKind, RuleId),
) {
    let policy = Node::Secret(Secret::NetworkAccessPolicy);
    for (a, rule) in registrants(estate, state) {
        edge(Node::Account(a), policy, EdgeKind::Obtains, rule);
    }
}

/// The accounts whose registration the site approves, each with the rule that says so
/// (see [`registrations`]): those that can ask for machine policy.
pub(super) fn registrants(estate: &Estate, state: &State) -> Vec<(AccountId, RuleId)> {
    let cm = &estate.site().configmgr;
    let mut out = Vec::new();
    for a in estate.account_ids() {
        let account = estate.account(a);
        let (AccountKind::User, Store::Domain(d)) = (account.kind, account.store) else {
            continue;
        };
        if !state.status(a).enabled {
            continue;
        }
        let computer = account.role == Some(SmsRole::ComputerAccount);
        let rule = match (cm.approval, computer) {
            (Approval::All, _) => Some(RuleId::XCmApproveAll),
            (Approval::Manual, _) => None,
            (Approval::TrustedDomains, _) if !trusted_by_site(estate, state, d) => None,
            (Approval::TrustedDomains, true) => Some(RuleId::CmCred2),
            (Approval::TrustedDomains, false) if may_add_workstations(estate, d, a) => {
                quota_rule(estate.domain(d))
            }
            (Approval::TrustedDomains, false) => None,
        };
        if let Some(rule) = rule {
            out.push((a, rule));
        }
    }
    out
}

/// `X-CM-COMPUTER-ACCOUNT`: control of an Active Directory domain member, a client of
/// the site or not, yields its computer account's credentials, kept with its local
/// secrets (CRED-2's first way: compromise a computer account).
pub(super) fn computer_account(
    machine: MachineId,
    account: AccountId,
    edge: &mut impl FnMut(Node, Node, EdgeKind, RuleId),
) {
    edge(
        Node::Secret(Secret::LocalSam(machine)),
        Node::Account(account),
        EdgeKind::Reveals,
        RuleId::XCmComputerAccount,
    );
}

/// A finding that stands without a run.
pub(super) fn standing(
    kind: FindingKind,
    severity: Severity,
    rule: RuleId,
    objects: Vec<Node>,
    evidence: Vec<Evidence>,
) -> Finding {
    Finding {
        kind,
        severity,
        rule,
        objects,
        evidence,
        conditions: Vec::new(),
        unlisted: 0,
        statuses: Vec::new(),
    }
}

impl Exposure {
    /// The tag of a finding (or an edge's rule): its technique and defences from its
    /// rule, and `assumed` when its rule is an assumption or, failing that, the first
    /// edge of its evidence whose rule is one (a finding that rests on an assumed edge
    /// is assumed too); `default` likewise for a stated default.
    pub fn finding_tag(&self, finding: &Finding) -> Option<crate::lineage::Tag> {
        let mut tag = crate::lineage::tag(finding.rule)?;
        let rule_of = |e: &Evidence| match e {
            Evidence::Edge(id) => Some(self.edges[id.index()].rule),
            Evidence::Decision { .. } => None,
        };
        let of_kind = |kind: crate::rules::RuleKind| {
            finding
                .evidence
                .iter()
                .filter_map(rule_of)
                .find(|&rule| rule.rule().kind == kind && rule != RuleId::XConfigured)
        };
        if tag.assumed.is_none() {
            tag.assumed = of_kind(crate::rules::RuleKind::Assumption);
        }
        if tag.default.is_none() {
            tag.default = of_kind(crate::rules::RuleKind::Default);
        }
        Some(tag)
    }

    /// The findings of a Configuration Manager site, in a stable order.
    pub(super) fn configmgr_findings(&self, estate: &Estate) -> Vec<Finding> {
        let cm = &estate.site().configmgr;
        let mut out = Vec::new();
        let current: Vec<Node> = cm
            .network_access_accounts
            .iter()
            .map(|&a| Node::Account(a))
            .collect();
        let severity = self.rate(&cm.network_access_accounts);
        let policy = Node::Secret(Secret::NetworkAccessPolicy);
        // CRED-2, one finding a rule: the computer accounts, the quota as given, the
        // default quota, every account.
        for rule in [
            RuleId::CmCred2,
            RuleId::CmCred2Quota,
            RuleId::XCmAddWorkstations,
            RuleId::XCmQuotaDefault,
            RuleId::XCmApproveAll,
        ] {
            let obtains: Vec<EdgeId> = self
                .edges_into(policy, EdgeKind::Obtains)
                .filter(|e| self.edges[e.index()].rule == rule)
                .collect();
            if obtains.is_empty() {
                continue;
            }
            let mut objects = vec![policy];
            objects.extend(&current);
            let mut evidence: Vec<Evidence> = obtains.iter().map(|&e| Evidence::Edge(e)).collect();
            evidence.extend(self.reveals_of(policy).map(Evidence::Edge));
            out.push(standing(
                FindingKind::NetworkAccessPolicyObtainable,
                severity,
                rule,
                objects,
                evidence,
            ));
        }
        // CRED-3: stored on every client.
        let stores: Vec<EdgeId> = self.edges_into(policy, EdgeKind::Stores).collect();
        if !stores.is_empty() {
            let mut objects = vec![policy];
            objects.extend(&current);
            let mut evidence: Vec<Evidence> = self.reveals_of(policy).map(Evidence::Edge).collect();
            evidence.extend(stores.iter().map(|&e| Evidence::Edge(e)));
            out.push(standing(
                FindingKind::NetworkAccessOnClients,
                severity,
                RuleId::CmCred3,
                objects,
                evidence,
            ));
        }
        out.extend(self.previous_finding(estate));
        out.extend(self.database_findings(severity, &current));
        out.extend(self.privileged_findings(estate));
        out
    }

    /// How bad it is that `accounts`' passwords are exposed, by what they yield now:
    /// high when one that is not disabled administers a machine, medium when one is not
    /// disabled, low when every one is (A10; PREVENT-15 applied). A locked-out account
    /// yields once its lockout ends (`X-LOCKOUT-ENDS`), and counts.
    pub(super) fn rate(&self, accounts: &[AccountId]) -> Severity {
        let usable: Vec<AccountId> = accounts
            .iter()
            .copied()
            .filter(|&a| self.gate(a) != Gate::Disabled)
            .collect();
        if usable.iter().any(|&a| self.yields_administrator(a)) {
            Severity::High
        } else if !usable.is_empty() {
            Severity::Medium
        } else {
            Severity::Low
        }
    }

    /// CRED-4: the previous accounts on the clients; worst while they can still log on.
    fn previous_finding(&self, estate: &Estate) -> Option<Finding> {
        let previous = Node::Secret(Secret::PreviousNetworkAccess);
        let stores: Vec<EdgeId> = self.edges_into(previous, EdgeKind::Stores).collect();
        if stores.is_empty() {
            return None;
        }
        let accounts = &estate.site().configmgr.previous_network_access_accounts;
        let mut objects = vec![previous];
        objects.extend(accounts.iter().map(|&a| Node::Account(a)));
        let mut evidence: Vec<Evidence> = self.reveals_of(previous).map(Evidence::Edge).collect();
        evidence.extend(stores.iter().map(|&e| Evidence::Edge(e)));
        Some(standing(
            FindingKind::PreviousNetworkAccessOnClients,
            self.rate(accounts),
            RuleId::XCmResidue,
            objects,
            evidence,
        ))
    }

    /// CRED-5: the site database, for the site server's administrators and (assumed) its
    /// readers.
    fn database_findings(&self, severity: Severity, current: &[Node]) -> Vec<Finding> {
        let database = Node::Secret(Secret::SiteDatabase);
        let mut out = Vec::new();
        let reveals: Vec<EdgeId> = self.reveals_of(database).collect();
        for (kind, rule) in [
            (EdgeKind::Stores, RuleId::CmCred5),
            (EdgeKind::Stores, RuleId::XCmPassiveSiteServer),
            (EdgeKind::Obtains, RuleId::XCmDatabaseReader),
        ] {
            let into: Vec<EdgeId> = self
                .edges_into(database, kind)
                .filter(|e| self.edge_at(*e).rule == rule)
                .collect();
            if into.is_empty() || reveals.is_empty() {
                continue;
            }
            let mut objects = vec![database];
            objects.extend(into.iter().map(|e| self.edge_at(*e).from));
            objects.extend(current);
            let mut evidence: Vec<Evidence> = into.iter().map(|&e| Evidence::Edge(e)).collect();
            evidence.extend(reveals.iter().map(|&e| Evidence::Edge(e)));
            out.push(standing(
                FindingKind::NetworkAccessInSiteDatabase,
                severity,
                rule,
                objects,
                evidence,
            ));
        }
        out
    }

    /// `CM-NAA-PRIVILEGED`: a network access account that holds more than content
    /// needs, of its own: an administrator of machines through its groups, or a user
    /// right beyond network logon. Only its own memberships, rights and administrators
    /// count ([`Exposure::own_privileges`]), never what another account the same policy
    /// reveals holds. Rated by what it yields now: high for an administrator, medium for
    /// a right, low while it is disabled.
    fn privileged_findings(&self, estate: &Estate) -> Vec<Finding> {
        let cm = &estate.site().configmgr;
        let mut out = Vec::new();
        for &a in cm
            .network_access_accounts
            .iter()
            .chain(&cm.previous_network_access_accounts)
        {
            let own = self.own_privileges(a);
            let admin: Vec<_> = own
                .iter()
                .filter(|r| matches!(r.privilege, Privilege::Administrator(_)))
                .collect();
            let rights: Vec<_> = own
                .iter()
                .filter(|r| {
                    matches!(r.privilege, Privilege::Right(_, right) if right != Right::NetworkLogon)
                })
                .collect();
            let Some(first) = admin.first().or(rights.first()) else {
                continue;
            };
            let mut objects = vec![Node::Account(a)];
            objects.extend(
                admin
                    .iter()
                    .chain(&rights)
                    .filter_map(|r| match r.privilege {
                        Privilege::Administrator(m) | Privilege::Right(m, _) => {
                            Some(Node::Machine(m))
                        }
                        _ => None,
                    }),
            );
            objects.dedup();
            let severity = match (self.gate(a), admin.is_empty()) {
                (Gate::Disabled, _) => Severity::Low,
                (_, true) => Severity::Medium,
                (_, false) => Severity::High,
            };
            out.push(standing(
                FindingKind::NetworkAccessPrivileged,
                severity,
                RuleId::CmNaaPrivileged,
                objects,
                first.witness.iter().map(|&e| Evidence::Edge(e)).collect(),
            ));
        }
        out
    }

    /// The `Reveals` edges out of a secret, in id order.
    pub(super) fn reveals_of(&self, secret: Node) -> impl Iterator<Item = EdgeId> + '_ {
        self.out_edges(secret)
            .iter()
            .copied()
            .filter(|e| self.edges[e.index()].kind == tag::REVEALS)
    }

    /// A finding of `kind` when `account`, of its own, administers domain controllers:
    /// high, or low while it is disabled; its witness is the path to the first DC.
    pub(super) fn dc_administrator(
        &self,
        estate: &Estate,
        account: AccountId,
        kind: FindingKind,
        rule: RuleId,
    ) -> Option<Finding> {
        let own = self.own_privileges(account);
        let dcs: Vec<&super::query::Reached> = own
            .iter()
            .filter(|r| {
                matches!(r.privilege, Privilege::Administrator(m) if estate.machine(m).platform.is_dc())
            })
            .collect();
        let first = dcs.first()?;
        let mut objects = vec![Node::Account(account)];
        objects.extend(dcs.iter().filter_map(|r| match r.privilege {
            Privilege::Administrator(m) => Some(Node::Machine(m)),
            _ => None,
        }));
        let severity = if self.gate(account) == Gate::Disabled {
            Severity::Low
        } else {
            Severity::High
        };
        Some(standing(
            kind,
            severity,
            rule,
            objects,
            first.witness.iter().map(|&e| Evidence::Edge(e)).collect(),
        ))
    }

    /// Whether `account`, not disabled, administers some machine of its own
    /// ([`Exposure::own_privileges`]).
    pub(super) fn yields_administrator(&self, account: AccountId) -> bool {
        self.gate(account) != Gate::Disabled
            && self
                .own_privileges(account)
                .iter()
                .any(|r| matches!(r.privilege, Privilege::Administrator(_)))
    }
}
