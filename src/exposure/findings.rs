//! Findings: every exposure and every violation of the article's "should never" rules in
//! an estate, without a question, each with a stable kind, a severity, its rule, the
//! objects involved and its evidence (edges of the graph, or decisions).

use std::collections::{BTreeMap, BTreeSet};

use super::query::{Condition, Privilege};
use super::{EdgeId, EdgeKind, Exposure, Gate, Node, Secret};
use crate::advice::Advice;
use crate::engine::{Decision, FailReason, Outcome};
use crate::model::*;
use crate::rules::RuleId;
use crate::trace::{Access, AuthFailure, Fact, Step};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// An attacker gains administrator rights on many machines.
    High,
    /// A misconfiguration that breaks runs or isolation on some machines.
    Medium,
    /// Noise that can lock accounts out or hide a problem.
    Low,
}

impl Severity {
    /// A short stable name.
    pub const fn key(self) -> &'static str {
        match self {
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }
}

/// The stable kinds of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// D3 (from `EXPO-DC-TOKEN`): one token account administers every DC of a domain.
    DcTokenAccountShared,
    /// `ACCT-CONN-NO-RIGHTS`: a connection account holds a group or a right on a client.
    ConnectionAccountPrivileged,
    /// D1, D2: the Software Installation account administers clients while its
    /// programs run.
    SoftwareInstallationAdministersClients,
    /// D9, A15: its password is on every NT client, so one client yields all of the above.
    SoftwareInstallationPasswordOnClients,
    /// `X-TRANSITIVE`: control of an NT client yields a domain's DCs or its Domain
    /// Admins, for good or under the conditions of its witness path.
    ClientYieldsDomain,
    /// `SWIA-NO-STANDING-RIGHTS`: it holds standing rights on clients.
    SoftwareInstallationStandingRights,
    /// `SWIA-REQUIREMENTS`: a target client cannot log it on.
    SoftwareInstallationNotTrusted,
    /// D5: a local token account tried over the network meets a namesake.
    LocalTokenBadPasswords,
    /// A16: a client holds an old password and sends it.
    StalePasswordBadPasswords,
    /// CRED-2: whoever can register an approved client obtains the network access
    /// accounts from the machine policy.
    NetworkAccessPolicyObtainable,
    /// CRED-3: the network access accounts are stored on every client of the site.
    NetworkAccessOnClients,
    /// CRED-4: accounts the site used before stay on its clients.
    PreviousNetworkAccessOnClients,
    /// CRED-5: the site database holds the network access accounts.
    NetworkAccessInSiteDatabase,
    /// `CM-NAA-PRIVILEGED`: a network access account holds a group or a right.
    NetworkAccessPrivileged,
    /// `X-UNKNOWN`: facts the scenario marks unknown, and what could not be assessed.
    NotAssessed,
    /// `CM-PUSH-EXPOSES-ALL`: push targets that receive push accounts' NTLM
    /// authentications, which their administrators capture.
    PushAuthenticationExposed,
    /// `CM-PUSH-PRIVILEGED`: a push account that administers domain controllers.
    PushAccountPrivileged,
    /// `CM-ELEVATE-2`, `CM-ELEVATE-3`: any of a set of users draws the push accounts'
    /// NTLM authentication to a device it adds.
    PushCoercible,
    /// CRED-3 (`X-CM-TS-TARGETS`): a collection's members store the accounts its
    /// variables and task sequences carry.
    PolicySecretsOnClients,
    /// CRED-2 (`CM-TS-SECRETS`, `X-CM-NEW-REGISTRATIONS`): an approved registration that
    /// falls into a collection asks for its policy.
    PolicySecretsObtainable,
    /// CRED-4 (`X-CM-TS-RESIDUE`): what removed variables and deployments carried stays.
    PolicySecretsResidue,
    /// CRED-1 (`CM-CRED-1`, `X-CM-PXE-UNKNOWN`): PXE media served to a network segment.
    PxeMediaSecrets,
    /// `CM-DJOIN-OWNER` (PREVENT-17): the domain join account owns the computers it
    /// joined.
    DomainJoinOwner,
    /// `CM-TS-RUNAS-RIGHTS`: an account carried in policy administers a DC.
    PolicyAccountPrivileged,
}

impl FindingKind {
    /// The stable name.
    pub const fn key(self) -> &'static str {
        match self {
            FindingKind::DcTokenAccountShared => "dc-token-account-shared",
            FindingKind::ConnectionAccountPrivileged => "connection-account-privileged",
            FindingKind::SoftwareInstallationAdministersClients => {
                "software-installation-administers-clients"
            }
            FindingKind::SoftwareInstallationPasswordOnClients => {
                "software-installation-password-on-clients"
            }
            FindingKind::SoftwareInstallationStandingRights => {
                "software-installation-standing-rights"
            }
            FindingKind::SoftwareInstallationNotTrusted => "software-installation-not-trusted",
            FindingKind::LocalTokenBadPasswords => "local-token-bad-passwords",
            FindingKind::StalePasswordBadPasswords => "stale-password-bad-passwords",
            FindingKind::ClientYieldsDomain => "client-yields-domain",
            FindingKind::NetworkAccessPolicyObtainable => "network-access-policy-obtainable",
            FindingKind::NetworkAccessOnClients => "network-access-on-clients",
            FindingKind::PreviousNetworkAccessOnClients => "previous-network-access-on-clients",
            FindingKind::NetworkAccessInSiteDatabase => "network-access-in-site-database",
            FindingKind::NetworkAccessPrivileged => "network-access-privileged",
            FindingKind::NotAssessed => "not-assessed",
            FindingKind::PushAuthenticationExposed => "push-authentication-exposed",
            FindingKind::PushAccountPrivileged => "push-account-privileged",
            FindingKind::PushCoercible => "push-coercible",
            FindingKind::PolicySecretsOnClients => "policy-secrets-on-clients",
            FindingKind::PolicySecretsObtainable => "policy-secrets-obtainable",
            FindingKind::PolicySecretsResidue => "policy-secrets-residue",
            FindingKind::PxeMediaSecrets => "pxe-media-secrets",
            FindingKind::DomainJoinOwner => "domain-join-owner",
            FindingKind::PolicyAccountPrivileged => "policy-account-privileged",
        }
    }
}

impl std::fmt::Display for Severity {
    /// The severity as the text of the findings prints it: `high`, `medium`, `low`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl std::fmt::Display for FindingKind {
    /// The kind as the text of the findings prints it: `dc-token-account-shared`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// What shows a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Evidence {
    /// An edge of the graph.
    Edge(EdgeId),
    /// A decision of the engine (its trace has the step).
    Decision {
        /// The advertisement.
        advertisement: AdvertisementId,
        /// The client.
        client: MachineId,
    },
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Its kind.
    pub kind: FindingKind,
    /// How bad.
    pub severity: Severity,
    /// The rule it rests on.
    pub rule: RuleId,
    /// The objects involved, the principal one first.
    pub objects: Vec<Node>,
    /// What shows it: a witness path, or the decisions.
    pub evidence: Vec<Evidence>,
    /// What its witness path needs (a finding of transitive reach): runs, and the end
    /// of lockouts; empty when it stands without one.
    pub conditions: Vec<Condition>,
    /// How many more objects of the kind of the last listed one it stands for, counted
    /// rather than listed (identical clients of a transitive finding); 0 otherwise.
    pub unlisted: usize,
    /// The accounts among its objects that are disabled or locked out, with their
    /// [`Gate`], in object order: the finding stands, rated by what they yield now.
    pub statuses: Vec<(AccountId, Gate)>,
}

/// Evidence the decisions hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Event {
    BadPassword {
        account: AccountId,
        server: MachineId,
        advertisement: AdvertisementId,
        client: MachineId,
    },
    Stale {
        account: AccountId,
        advertisement: AdvertisementId,
        client: MachineId,
    },
    Untrusted {
        account: AccountId,
        advertisement: AdvertisementId,
        client: MachineId,
    },
}

/// The events of one decision: bad-password events (D5, A16) at the servers its NAL
/// steps and resources tried, and a Software Installation account that could not be
/// logged on.
pub(crate) fn events(
    estate: &Estate,
    advertisement: AdvertisementId,
    client: MachineId,
    decision: &Decision,
    steps: &[Step],
    out: &mut Vec<Event>,
) {
    let mut dp_server = None;
    for step in steps {
        let (account, access, server) = match step.fact {
            Fact::DistributionPoint { share, .. } => {
                dp_server = Some(estate.share(share).server);
                continue;
            }
            Fact::NalAttempt {
                credential, access, ..
            } => (credential, access, dp_server),
            Fact::Resource {
                resource,
                account,
                access,
            } => (
                account,
                access,
                Some(estate.share(estate.resource(resource).share).server),
            ),
            _ => continue,
        };
        match access {
            Access::NotAuthenticated(AuthFailure::LocalAccount {
                bad_password_at_server: true,
            }) => {
                if let Some(server) = server {
                    out.push(Event::BadPassword {
                        account,
                        server,
                        advertisement,
                        client,
                    });
                }
            }
            Access::NotAuthenticated(AuthFailure::StalePassword) => {
                out.push(Event::Stale {
                    account,
                    advertisement,
                    client,
                });
            }
            _ => {}
        }
    }
    if let (Outcome::Fail(f), Some(account)) = (decision.outcome, decision.account) {
        match f.reason {
            FailReason::LogonFailed(AuthFailure::UntrustedDomain) => out.push(Event::Untrusted {
                account,
                advertisement,
                client,
            }),
            FailReason::LogonFailed(AuthFailure::StalePassword) => out.push(Event::Stale {
                account,
                advertisement,
                client,
            }),
            _ => {}
        }
    }
}

impl Exposure {
    /// Every finding of the estate, in a stable order: the standing ones and those of
    /// transitive reach.
    pub fn findings(&self, estate: &Estate) -> Vec<Finding> {
        let mut out = self.standing_findings(estate);
        out.extend(self.transitive_findings(estate));
        out.sort();
        out
    }

    /// Names the status of each account among a finding's objects that is not open,
    /// and rates the findings whose principal account is disabled by what it yields
    /// now: nothing (A10), so low.
    pub(super) fn note_statuses(&self, findings: &mut [Finding]) {
        for f in findings {
            f.statuses = f
                .objects
                .iter()
                .filter_map(|&n| match n {
                    Node::Account(a) if self.gate(a) != Gate::Open => Some((a, self.gate(a))),
                    _ => None,
                })
                .collect();
            let head_disabled = matches!(
                f.objects.first(),
                Some(&Node::Account(a)) if self.gate(a) == Gate::Disabled
            );
            if head_disabled {
                f.severity = Severity::Low;
            }
        }
    }

    /// The findings of the graph's own edges and the decisions' events, without a
    /// search of transitive reach, in a stable order.
    pub fn standing_findings(&self, estate: &Estate) -> Vec<Finding> {
        let mut out = Vec::new();
        // X-UNKNOWN: what the file could not say, named rather than passed over.
        if !estate.unknown().is_empty() {
            let objects = estate
                .unknown()
                .iter()
                .filter_map(|u| match u.fact {
                    UnknownFact::Administrators(m) | UnknownFact::Pxe(m) => Some(Node::Machine(m)),
                    UnknownFact::MachineAccountQuota(d)
                    | UnknownFact::AddWorkstations(d)
                    | UnknownFact::Trusts(d) => Some(Node::Domain(d)),
                    _ => None,
                })
                .collect();
            out.push(Finding {
                kind: FindingKind::NotAssessed,
                severity: Severity::Low,
                rule: RuleId::XUnknown,
                objects,
                evidence: Vec::new(),
                conditions: Vec::new(),
                unlisted: 0,
                statuses: Vec::new(),
            });
        }
        if estate.site().product == Product::ConfigMgr {
            out.extend(self.configmgr_findings(estate));
            out.extend(self.push_findings(estate));
            out.extend(self.osd_findings(estate));
        }
        // EXPO-DC-TOKEN, D3.
        for d in 0..estate.domains().len() {
            let domain = estate.domain(DomainId::from_index(d));
            let (Some(token), false) = (domain.token_account, domain.controllers.is_empty()) else {
                continue;
            };
            let admins = Node::Account(domain.administrators);
            let mut evidence: Vec<Evidence> = self
                .edge_ids_between(Node::Account(token), admins, EdgeKind::MemberOf)
                .map(Evidence::Edge)
                .collect();
            let mut objects = vec![Node::Account(token)];
            for &dc in &domain.controllers {
                objects.push(Node::Machine(dc));
                evidence.extend(
                    self.edge_ids_between(admins, Node::Machine(dc), EdgeKind::AdminOf)
                        .map(Evidence::Edge),
                );
            }
            out.push(Finding {
                kind: FindingKind::DcTokenAccountShared,
                severity: Severity::High,
                rule: RuleId::D3,
                objects,
                evidence,
                conditions: Vec::new(),
                unlisted: 0,
                statuses: Vec::new(),
            });
        }
        // ACCT-CONN-NO-RIGHTS: the clients from the advice, the edges from the graph.
        let advice = crate::advice::standing_advice(estate);
        for &account in &estate.site().connection_accounts {
            if let Some(finding) =
                self.standing_finding(estate, &advice, RuleId::AcctConnNoRights, account)
            {
                out.push(finding);
            }
        }
        if let Some(swia) = estate.site().software_installation_account {
            self.swia_findings(swia, &mut out);
            if let Some(finding) =
                self.standing_finding(estate, &advice, RuleId::SwiaNoStandingRights, swia)
            {
                out.push(finding);
            }
        }
        self.event_findings(&mut out);
        self.note_statuses(&mut out);
        out.sort();
        out
    }

    fn swia_findings(&self, swia: AccountId, out: &mut Vec<Finding>) {
        // D1, D2: administrator while its programs run.
        let runs: Vec<EdgeId> = self
            .out_edges(Node::Account(swia))
            .iter()
            .copied()
            .filter(|&e| matches!(self.edge_at(e).kind, EdgeKind::AdminWhileRuns(_)))
            .collect();
        let machines: BTreeSet<Node> = runs.iter().map(|&e| self.edge_at(e).to).collect();
        if !runs.is_empty() {
            let mut objects = vec![Node::Account(swia)];
            objects.extend(machines.iter().copied());
            out.push(Finding {
                kind: FindingKind::SoftwareInstallationAdministersClients,
                severity: Severity::High,
                rule: RuleId::D1,
                objects,
                evidence: runs.iter().copied().map(Evidence::Edge).collect(),
                conditions: Vec::new(),
                unlisted: 0,
                statuses: Vec::new(),
            });
        }
        // D9: its password is on every NT client (A15).
        let site_data = Node::Secret(Secret::SiteClientData);
        let reveal: Vec<EdgeId> = self
            .edge_ids_between(site_data, Node::Account(swia), EdgeKind::Reveals)
            .collect();
        if let Some(&reveal) = reveal.first() {
            let stores: Vec<EdgeId> = self.edges_into(site_data, EdgeKind::Stores).collect();
            if let Some(&first) = stores.first() {
                let mut objects = vec![Node::Account(swia), site_data];
                objects.extend(stores.iter().map(|&e| self.edge_at(e).from));
                let mut evidence = vec![Evidence::Edge(first), Evidence::Edge(reveal)];
                evidence.extend(runs.first().copied().map(Evidence::Edge));
                let severity = if runs.is_empty() {
                    Severity::Medium
                } else {
                    Severity::High
                };
                out.push(Finding {
                    kind: FindingKind::SoftwareInstallationPasswordOnClients,
                    severity,
                    rule: RuleId::D9,
                    objects,
                    evidence,
                    conditions: Vec::new(),
                    unlisted: 0,
                    statuses: Vec::new(),
                });
            }
        }
    }

    /// The finding of a standing rule (`ACCT-CONN-NO-RIGHTS`, `SWIA-NO-STANDING-RIGHTS`)
    /// for `account`: the clients where the advice finds it holds groups or rights, with
    /// the graph's witness edges of its privileges there.
    fn standing_finding(
        &self,
        estate: &Estate,
        advice: &[Advice],
        rule: RuleId,
        account: AccountId,
    ) -> Option<Finding> {
        let mut machines = BTreeSet::new();
        let mut admin = false;
        for a in advice {
            if let Advice::Standing {
                rule: r,
                account: holder,
                client,
                groups,
                ..
            } = a
                && *r == rule
                && *holder == account
            {
                machines.insert(*client);
                admin |= estate
                    .administrators_of(*client)
                    .is_some_and(|g| groups.contains(&g));
            }
        }
        if machines.is_empty() {
            return None;
        }
        // The store whose local groups are a client's: its own, or its domain's on a DC.
        let on_client = |g: AccountId| {
            let store = Some(estate.account(g).store);
            machines.iter().any(|&m| estate.machine_store(m) == store)
        };
        let mut evidence = BTreeSet::new();
        let touches = |p: &Privilege| {
            matches!(
                p,
                Privilege::Administrator(_) | Privilege::Right(..) | Privilege::Member(_)
            )
        };
        // Its own privileges only: the configuration's, whatever its status.
        for reached in self
            .own_privileges(account)
            .into_iter()
            .filter(|r| touches(&r.privilege))
        {
            let relevant = match reached.privilege {
                Privilege::Administrator(m) | Privilege::Right(m, _) => machines.contains(&m),
                Privilege::Member(g) => {
                    estate.account(g).kind == AccountKind::LocalGroup && on_client(g)
                }
                _ => false,
            };
            if relevant {
                evidence.extend(reached.witness.into_iter().map(Evidence::Edge));
            }
        }
        let (kind, severity) = match rule {
            RuleId::SwiaNoStandingRights => (
                FindingKind::SoftwareInstallationStandingRights,
                Severity::High,
            ),
            _ if admin => (FindingKind::ConnectionAccountPrivileged, Severity::High),
            _ => (FindingKind::ConnectionAccountPrivileged, Severity::Medium),
        };
        let mut objects = vec![Node::Account(account)];
        objects.extend(machines.into_iter().map(Node::Machine));
        Some(Finding {
            kind,
            severity,
            rule,
            objects,
            evidence: evidence.into_iter().collect(),
            conditions: Vec::new(),
            unlisted: 0,
            statuses: Vec::new(),
        })
    }

    fn event_findings(&self, out: &mut Vec<Finding>) {
        type Group = BTreeMap<(FindingKind, Node), (BTreeSet<Node>, BTreeSet<Evidence>)>;
        let mut groups: Group = BTreeMap::new();
        for event in &self.events {
            let (kind, head, other, advertisement, client) = match *event {
                Event::BadPassword {
                    account,
                    server,
                    advertisement,
                    client,
                } => (
                    FindingKind::LocalTokenBadPasswords,
                    Node::Machine(server),
                    Node::Account(account),
                    advertisement,
                    client,
                ),
                Event::Stale {
                    account,
                    advertisement,
                    client,
                } => (
                    FindingKind::StalePasswordBadPasswords,
                    Node::Account(account),
                    Node::Machine(client),
                    advertisement,
                    client,
                ),
                Event::Untrusted {
                    account,
                    advertisement,
                    client,
                } => (
                    FindingKind::SoftwareInstallationNotTrusted,
                    Node::Account(account),
                    Node::Machine(client),
                    advertisement,
                    client,
                ),
            };
            let entry = groups.entry((kind, head)).or_default();
            entry.0.insert(other);
            entry.1.insert(Evidence::Decision {
                advertisement,
                client,
            });
        }
        for ((kind, head), (others, evidence)) in groups {
            let (severity, rule) = match kind {
                FindingKind::LocalTokenBadPasswords => (Severity::Medium, RuleId::D5),
                FindingKind::StalePasswordBadPasswords => (Severity::Low, RuleId::A16),
                _ => (Severity::Medium, RuleId::SwiaRequirements),
            };
            let mut objects = vec![head];
            objects.extend(others);
            out.push(Finding {
                kind,
                severity,
                rule,
                objects,
                evidence: evidence.into_iter().collect(),
                conditions: Vec::new(),
                unlisted: 0,
                statuses: Vec::new(),
            });
        }
    }
}
