//! Transitive reach against a second implementation: a naive fixpoint over every edge
//! (Bellman-Ford on the cost "conditions, then edges"), on every fixture and on
//! generated estates; transitive reach contains direct reach; every condition is a run
//! the engine decides; the transitive findings count exactly the clients whose own
//! search reaches the domain, at the same cost.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use sms_client_accounts::Scenario;
use sms_client_accounts::engine::{Context, Outcome, resolve_all};
use sms_client_accounts::exposure::{
    Condition, EdgeKind, Exposure, FindingKind, Gate, Node, Privilege, Reach, Run, Start,
};
use sms_client_accounts::model::*;

use crate::common::*;

type Cost = (usize, usize);

/// The privilege an edge gives, as the search names it.
fn privilege(kind: EdgeKind, to: Node) -> Option<Privilege> {
    Some(match (kind, to) {
        (EdgeKind::MemberOf, Node::Account(g)) => Privilege::Member(g),
        (EdgeKind::AdminOf, Node::Machine(m)) => Privilege::Administrator(m),
        (EdgeKind::AdminWhileRuns(run), Node::Machine(m)) => {
            Privilege::AdministratorWhileRuns(m, run)
        }
        (EdgeKind::HasRight(r), Node::Machine(m)) => Privilege::Right(m, r),
        (EdgeKind::CanRead, Node::Share(s)) => Privilege::Read(s),
        (EdgeKind::Reveals, Node::Account(a)) => Privilege::Credential(a),
        _ => return None,
    })
}

/// The naive fixpoint: each node's least cost from `root`, by relaxing every edge
/// until nothing changes; then each privilege's least cost over the edges that give it.
fn naive(x: &Exposure, root: Node, held: Privilege, reach: Reach) -> BTreeMap<Privilege, Cost> {
    let mut best: BTreeMap<Node, Cost> = BTreeMap::from([(root, (0, 0))]);
    let edges: Vec<_> = x.edges().collect();
    // A disabled account's edges give nothing (A10); a locked-out account's hold once
    // its lockout ends, one condition more (X-LOCKOUT-ENDS).
    let gate = |from: Node| match from {
        Node::Account(a) => x.gate(a),
        _ => Gate::Open,
    };
    let lockout = |from: Node| usize::from(gate(from) == Gate::LockedOut);
    let weight = |from: Node, kind: EdgeKind| -> Option<usize> {
        if gate(from) == Gate::Disabled {
            return None;
        }
        let w = match kind {
            EdgeKind::MemberOf | EdgeKind::Reveals | EdgeKind::Obtains => Some(0),
            EdgeKind::Stores if from == root || reach == Reach::Transitive => Some(0),
            EdgeKind::AdminOf if reach == Reach::Transitive => Some(0),
            EdgeKind::AdminWhileRuns(_) if reach == Reach::Transitive => Some(1),
            _ => None,
        };
        w.map(|w| w.max(lockout(from)))
    };
    loop {
        let mut changed = false;
        for e in &edges {
            let (Some(&(c, l)), Some(w)) = (best.get(&e.from), weight(e.from, e.kind)) else {
                continue;
            };
            let cand = (c + w, l + 1);
            if best.get(&e.to).is_none_or(|&old| cand < old) {
                best.insert(e.to, cand);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut out = BTreeMap::from([(held, (0, 0))]);
    for e in &edges {
        if let (Some(&(c, l)), Some(p), false) = (
            best.get(&e.from),
            privilege(e.kind, e.to),
            gate(e.from) == Gate::Disabled,
        ) {
            let cand = (c + lockout(e.from), l + 1);
            let slot = out.entry(p).or_insert(cand);
            *slot = (*slot).min(cand);
        }
    }
    out
}

fn starts(e: &Estate) -> Vec<(Start, Node, Privilege)> {
    let mut v: Vec<_> = e
        .machine_ids()
        .map(|m| {
            (
                Start::Client(m),
                Node::Machine(m),
                Privilege::Administrator(m),
            )
        })
        .collect();
    v.extend(
        e.account_ids()
            .filter(|&a| e.account(a).kind == AccountKind::User)
            .map(|a| {
                (
                    Start::Credential(a),
                    Node::Account(a),
                    Privilege::Credential(a),
                )
            }),
    );
    v
}

/// Every start of the estate: the search and the fixpoint find the same privileges at
/// the same cost, and transitive reach holds direct reach. Returns how many
/// (start, reach) pairs agreed.
fn agree(s: &Scenario) -> Result<usize, String> {
    let x = Exposure::build(&s.estate, &s.state);
    let mut checked = 0;
    for (start, root, held) in starts(&s.estate) {
        let mut sets = Vec::new();
        for reach in [Reach::Direct, Reach::Transitive] {
            let got: BTreeMap<Privilege, Cost> = x
                .compromise(start, reach)
                .into_iter()
                .map(|r| (r.privilege, (r.conditions.len(), r.witness.len())))
                .collect();
            let want = naive(&x, root, held, reach);
            // The lazy form: the same privileges in the same order, each at its cost.
            let lazy = x.compromised(start, reach);
            let costs: BTreeMap<Privilege, Cost> = lazy
                .privileges()
                .enumerate()
                .map(|(i, p)| {
                    (
                        p,
                        (
                            lazy.cost(i).conditions as usize,
                            lazy.cost(i).length as usize,
                        ),
                    )
                })
                .collect();
            if costs != got || lazy.len() != got.len() || lazy.is_empty() {
                return Err(format!(
                    "{start:?} {reach:?}: compromised() {costs:?}, compromise() {got:?}"
                ));
            }
            if got != want {
                return Err(format!(
                    "{start:?} {reach:?}: search {got:?}, fixpoint {want:?}"
                ));
            }
            sets.push(got.into_keys().collect::<BTreeSet<_>>());
            checked += 1;
        }
        if !sets[0].is_subset(&sets[1]) {
            return Err(format!(
                "{start:?}: direct reach not within transitive reach"
            ));
        }
    }
    Ok(checked)
}

/// "X-TRANSITIVE", "D1", "D2": on every fixture, the transitive search and a naive
/// fixpoint agree on every privilege and its cost, from every machine and every user.
#[test]
fn the_search_agrees_with_a_naive_fixpoint_on_every_fixture() {
    let mut pairs = 0;
    for path in scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", stem(&path)));
        pairs += agree(&s).unwrap_or_else(|m| panic!("{}: {m}", stem(&path)));
    }
    println!(
        "{pairs} (start, reach) pairs: the search and the fixpoint agree on every privilege and cost"
    );
    assert!(pairs > 100, "{pairs} (start, reach) pairs checked");
}

/// Every condition of a witness (and every run an `admin_while_runs` privilege holds
/// under) is a run the engine decides: the program is advertised to that client and
/// runs there in the Software Installation account's context.
fn conditions_are_runs(s: &Scenario) -> Result<(), String> {
    let e = &s.estate;
    let runs: BTreeSet<Run> = resolve_all(e, &s.state)
        .into_iter()
        .filter(|r| {
            r.decision.outcome == Outcome::Run
                && r.decision.context == Some(Context::SoftwareInstallation)
        })
        .map(|r| Run {
            program: e.advertisement(r.advertisement).program,
            client: r.client,
        })
        .collect();
    let x = Exposure::build(e, &s.state);
    for (start, _, _) in starts(e) {
        for r in x.compromise(start, Reach::Transitive) {
            let own = match r.privilege {
                Privilege::AdministratorWhileRuns(_, run) => Some(Condition::Runs(run)),
                _ => None,
            };
            for condition in r.conditions.iter().chain(own.iter()) {
                let Condition::Runs(run) = condition else {
                    continue;
                };
                if !runs.contains(run) {
                    return Err(format!(
                        "{start:?}: condition {run:?} is not a run the engine decides"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The least cost at which `client`'s own transitive search controls `domain`: one of
/// its DCs administered (for good, or under one more condition while a program runs)
/// or its Domain Admins joined.
fn forward_cost(x: &Exposure, e: &Estate, client: MachineId, domain: DomainId) -> Option<Cost> {
    let dcs = &e.domain(domain).controllers;
    // Found by name here, not by the crate's look-up, so that the two can disagree.
    let admins = e
        .account_by_name(&format!("{}\\Domain Admins", e.domain(domain).name))
        .filter(|&g| e.account(g).kind == AccountKind::GlobalGroup);
    x.compromise(Start::Client(client), Reach::Transitive)
        .into_iter()
        .filter_map(|r| {
            let (c, l) = (r.conditions.len(), r.witness.len());
            match r.privilege {
                Privilege::Administrator(m) if dcs.contains(&m) => Some((c, l)),
                Privilege::AdministratorWhileRuns(m, _) if dcs.contains(&m) => Some((c + 1, l)),
                Privilege::Member(g) if Some(g) == admins => Some((c, l)),
                _ => None,
            }
        })
        .min()
}

/// The least cost at which `client`'s transitive search controls any domain, and the
/// domains it reaches at that cost.
fn nearest(x: &Exposure, e: &Estate, client: MachineId) -> Option<(Cost, BTreeSet<DomainId>)> {
    let costs: Vec<(Cost, DomainId)> = e
        .domain_ids()
        .filter_map(|d| forward_cost(x, e, client, d).map(|c| (c, d)))
        .collect();
    let best = costs.iter().map(|&(c, _)| c).min()?;
    Some((
        best,
        costs
            .into_iter()
            .filter(|&(c, _)| c == best)
            .map(|(_, d)| d)
            .collect(),
    ))
}

/// "X-TRANSITIVE": the findings of transitive reach stand for exactly the NT (or current
/// Windows) clients
/// (DCs aside) whose transitive search controls some domain, each finding's domain is
/// one its named clients reach at their least cost, and its witness costs that.
fn findings_match_searches(s: &Scenario) -> Result<(), String> {
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let reaching: BTreeMap<MachineId, (Cost, BTreeSet<DomainId>)> = e
        .machine_ids()
        .filter(|&m| {
            e.machine(m).sms_client
                && !e.machine(m).platform.is_win9x()
                && !e.machine(m).platform.is_dc()
        })
        .filter_map(|m| nearest(&x, e, m).map(|n| (m, n)))
        .collect();
    let mut counted = 0;
    for f in x
        .findings(e)
        .iter()
        .filter(|f| f.kind == FindingKind::ClientYieldsDomain)
    {
        counted += f.objects.len() - 2 + f.unlisted;
        let Node::Domain(d) = f.objects[0] else {
            return Err(format!("{f:?} names no domain"));
        };
        let cost = (f.conditions.len(), f.evidence.len());
        for n in &f.objects[2..] {
            let Node::Machine(m) = *n else {
                return Err(format!("{n:?} is not a client"));
            };
            match reaching.get(&m) {
                Some((c, domains)) if *c == cost && domains.contains(&d) => {}
                other => {
                    return Err(format!(
                        "{m:?}: finding {d:?} at {cost:?}, its search {other:?}"
                    ));
                }
            }
        }
    }
    if counted != reaching.len() {
        return Err(format!(
            "findings count {counted} clients, searches reach from {}",
            reaching.len()
        ));
    }
    Ok(())
}

#[test]
fn conditions_are_runs_and_findings_match_searches_on_every_fixture() {
    for path in scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", stem(&path)));
        conditions_are_runs(&s).unwrap_or_else(|m| panic!("{}: {m}", stem(&path)));
        findings_match_searches(&s).unwrap_or_else(|m| panic!("{}: {m}", stem(&path)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// "X-TRANSITIVE": on generated estates, the search and the naive fixpoint agree,
    /// transitive reach holds direct reach, every condition is a run the engine
    /// decides, and the transitive findings count the clients whose searches reach.
    #[test]
    fn transitive_reach_agrees_with_a_fixpoint_on_generated_estates(g in gen_scenario()) {
        let s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        agree(&s).map_err(TestCaseError::fail)?;
        conditions_are_runs(&s).map_err(TestCaseError::fail)?;
        findings_match_searches(&s).map_err(TestCaseError::fail)?;
    }
}

/// A disabled account's password yields nothing (A10) and a locked-out account's
/// yields only under the end of its lockout (X-LOCKOUT-ENDS): no witness leaves a
/// disabled account, and every locked-out account a witness leaves is a condition of
/// it, in direct and transitive reach.
fn statuses_gate_every_witness(s: &Scenario) -> Result<(), String> {
    let x = Exposure::build(&s.estate, &s.state);
    for (start, _, _) in starts(&s.estate) {
        for reach in [Reach::Direct, Reach::Transitive] {
            for r in x.compromise(start, reach) {
                for &e in &r.witness {
                    let Node::Account(a) = x.edge_at(e).from else {
                        continue;
                    };
                    let status = s.state.status(a);
                    if !status.enabled {
                        return Err(format!(
                            "{start:?}: {:?} through disabled {a:?}",
                            r.privilege
                        ));
                    }
                    if status.locked_out && !r.conditions.contains(&Condition::LockoutEnds(a)) {
                        return Err(format!(
                            "{start:?}: {:?} through locked-out {a:?} without its condition",
                            r.privilege
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// "A10", "X-LOCKOUT-ENDS": on generated estates whose accounts get random statuses
    /// (each 0: enabled, 1: disabled, 2: locked out), no privilege is reached through a
    /// disabled account, a locked-out one's are conditions, and the search still agrees
    /// with the naive fixpoint (which gates edges the same way) and the findings with
    /// the searches.
    #[test]
    fn statuses_gate_reach_on_generated_estates(
        g in gen_scenario(),
        statuses in prop::collection::vec(0u8..3, 1..40),
    ) {
        let mut s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let accounts: Vec<AccountId> = s.estate.account_ids().collect();
        for (a, &k) in accounts.iter().zip(statuses.iter().cycle()) {
            let mut status = s.state.status(*a);
            status.enabled = k != 1;
            status.locked_out = k == 2;
            s.state.set_status(*a, status);
        }
        statuses_gate_every_witness(&s).map_err(TestCaseError::fail)?;
        agree(&s).map_err(TestCaseError::fail)?;
        findings_match_searches(&s).map_err(TestCaseError::fail)?;
    }
}

/// "X-TRANSITIVE": on a generated estate of 2,000 clients (helpdesk users logged on
/// everywhere, a domain admin logged on at one workstation, the Software Installation
/// account's programs on every client), the findings of transitive reach stay a few
/// lines: clients are grouped on the path they share, not listed one a line; the
/// standing path to CORP's Domain Admins (no condition) is one of them.
#[test]
fn transitive_findings_stay_a_few_lines_on_a_generated_estate() {
    let s = generated(2000, 3);
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let findings = x.transitive_findings(e);
    assert!(
        !findings.is_empty() && findings.len() <= 2 * e.domains().len(),
        "{} findings",
        findings.len()
    );
    let counted: usize = findings
        .iter()
        .map(|f| f.objects.len() - 2 + f.unlisted)
        .sum();
    assert!(counted > 1000, "{counted} clients counted");
    let admins = Node::Account(
        e.account_by_name("CORP\\Domain Admins")
            .unwrap_or_else(|| unreachable!()),
    );
    assert!(
        findings
            .iter()
            .any(|f| f.objects[1] == admins && f.conditions.is_empty()),
        "a standing path to CORP's Domain Admins"
    );
    // Each finding's domain is its target's, and its named clients' own searches cost
    // what its witness costs.
    for f in &findings {
        for n in &f.objects[2..] {
            let Node::Machine(m) = *n else {
                panic!("{n:?}")
            };
            let cost = nearest(&x, e, m).map(|(c, _)| c);
            assert_eq!(cost, Some((f.conditions.len(), f.evidence.len())), "{m:?}");
        }
        let domain = match f.objects[1] {
            Node::Machine(m) => e.machine(m).domain,
            Node::Account(a) => match e.account(a).store {
                Store::Domain(d) => Some(d),
                Store::Local(_) => None,
            },
            _ => None,
        };
        assert_eq!(Some(f.objects[0]), domain.map(Node::Domain), "{f:?}");
    }
}
