//! The exposure analysis: the article's security claims checked on a hand-made estate
//! and as property tests over generated ones; witnesses made of edges that exist;
//! exports that are well formed and the same bytes from run to run.

use std::collections::BTreeSet;

use proptest::prelude::*;
use serde_json::Value;
use sms_client_accounts::Scenario;
use sms_client_accounts::exposure::export::{compromise_text, findings_text, to_dot, to_opengraph};
use sms_client_accounts::exposure::output::to_json;
use sms_client_accounts::exposure::{
    Condition, EdgeKind, Exposure, FindingKind, Gate, Node, Privilege, Reach, Reached, Run, Start,
};
use sms_client_accounts::model::*;

use crate::common::*;

fn load(name: &str) -> Scenario {
    let text = std::fs::read_to_string(root().join(format!("fixtures/scenarios/{name}.json")))
        .unwrap_or_default();
    Scenario::from_json(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn administered(reached: &[Reached]) -> BTreeSet<MachineId> {
    reached
        .iter()
        .filter_map(|r| match r.privilege {
            Privilege::Administrator(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn machines(e: &Estate, names: &[&str]) -> BTreeSet<MachineId> {
    names.iter().filter_map(|n| e.machine_by_name(n)).collect()
}

/// Every witness is a chain of edges that exist, from the start to the privilege.
fn check_witnesses(x: &Exposure, start: Start, reached: &[Reached]) -> Result<(), String> {
    let root = match start {
        Start::Credential(a) => Node::Account(a),
        Start::Client(m) => Node::Machine(m),
        Start::Segment(k) => Node::Segment(k),
    };
    for r in reached {
        let mut at = root;
        for &e in &r.witness {
            let edge = x.edge_at(e);
            if edge.from != at || !x.has_edge(edge.from, edge.to, edge.kind) {
                return Err(format!("broken witness for {:?}", r.privilege));
            }
            at = edge.to;
        }
        // The conditions are, in path order, the lockout of every locked-out account
        // an edge leaves (X-LOCKOUT-ENDS), and the runs of the conditional edges the
        // path enters through: every one but a last edge that is itself the privilege.
        let through = r.witness.len().saturating_sub(1);
        let mut runs: Vec<Condition> = Vec::new();
        for (i, &e) in r.witness.iter().enumerate() {
            let edge = x.edge_at(e);
            if let Node::Account(a) = edge.from
                && x.gate(a) == Gate::LockedOut
            {
                runs.push(Condition::LockoutEnds(a));
            }
            if let (EdgeKind::AdminWhileRuns(run), true) = (edge.kind, i < through) {
                runs.push(Condition::Runs(run));
            }
        }
        if runs != r.conditions {
            return Err(format!(
                "conditions {:?} for {:?}, path needs {runs:?}",
                r.conditions, r.privilege
            ));
        }
    }
    Ok(())
}

#[test]
fn the_articles_claims_hold_on_the_exposure_estate() {
    let s = load("exposure-estate");
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let account = |n: &str| e.account_by_name(n).unwrap_or_else(|| panic!("{n}"));
    let machine = |n: &str| e.machine_by_name(n).unwrap_or_else(|| panic!("{n}"));

    // SVC-TOKEN-LOCAL, EXPO-ISOLATION: a member's token account administers its client only.
    for client in ["RESWKS1", "RESWKS2", "WKS1", "SRV1", "LABWKS"] {
        let token = account(&format!("{client}\\SMSCliToknAcct&"));
        let reached = x.compromise(Start::Credential(token), Reach::Direct);
        assert_eq!(
            administered(&reached),
            machines(e, &[client]),
            "{client}'s token account"
        );
    }
    // EXPO-DC-TOKEN: a DC's token account administers exactly every DC of its domain.
    let corp = x.compromise(
        Start::Credential(account("CORP\\SMSCliToknAcct&")),
        Reach::Direct,
    );
    assert_eq!(administered(&corp), machines(e, &["DC1", "DC2"]));
    let res = x.compromise(
        Start::Credential(account("RES\\SMSCliToknAcct&")),
        Reach::Direct,
    );
    assert_eq!(administered(&res), machines(e, &["RESDC"]));
    // ACCT-CONN-NO-RIGHTS: the connection account reads the DP shares and has nothing on a client.
    let conn = x.compromise(
        Start::Credential(account("CORP\\SMSClient_ABC")),
        Reach::Direct,
    );
    assert!(administered(&conn).is_empty());
    assert!(!conn.iter().any(|r| matches!(
        r.privilege,
        Privilege::Right(..) | Privilege::AdministratorWhileRuns(..)
    )));
    let reads: BTreeSet<String> = conn
        .iter()
        .filter_map(|r| match r.privilege {
            Privilege::Read(sh) => Some(e.share_path(sh)),
            _ => None,
        })
        .collect();
    assert_eq!(
        reads,
        BTreeSet::from([
            "\\\\SMS1\\SMSPKGC$".to_string(),
            "\\\\SRV1\\SMSPKGD$".to_string()
        ])
    );
    // D9: one NT client's secrets give the Software Installation account, and so
    // administrator rights on every client while its program runs.
    let client = x.compromise(
        Start::Client(
            e.machine_by_name("RESWKS2")
                .unwrap_or_else(|| unreachable!()),
        ),
        Reach::Direct,
    );
    let while_runs: BTreeSet<MachineId> = client
        .iter()
        .filter_map(|r| match r.privilege {
            Privilege::AdministratorWhileRuns(m, _) => Some(m),
            _ => None,
        })
        .collect();
    // D2: Mail runs on DC2, where the grant is into CORP's Administrators, so DC1 too.
    assert_eq!(while_runs, machines(e, &["WKS1", "RESWKS1", "DC1", "DC2"]));
    // The findings, checked by hand against the article.
    let findings = x.findings(e);
    let kinds: Vec<FindingKind> = findings.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        vec![
            FindingKind::DcTokenAccountShared,
            FindingKind::DcTokenAccountShared,
            FindingKind::SoftwareInstallationAdministersClients,
            FindingKind::SoftwareInstallationPasswordOnClients,
            FindingKind::ClientYieldsDomain,
            FindingKind::SoftwareInstallationNotTrusted,
            FindingKind::LocalTokenBadPasswords,
        ]
    );
    // X-TRANSITIVE: the NT clients other than DCs (SRV1, WKS1, RESWKS1, RESWKS2, LABWKS)
    // store the site data, so control of any yields the SWIA and, once Mail runs on DC2,
    // CORP: five clients, one finding.
    let yields = &findings[4];
    assert_eq!(
        yields.objects[0],
        Node::Domain(e.domain_by_name("CORP").unwrap_or_else(|| unreachable!()))
    );
    assert_eq!(yields.objects.len() - 2 + yields.unlisted, 5);
    assert_eq!(yields.conditions.len(), 1);
    assert!(matches!(yields.conditions[0], Condition::Runs(run) if run.client == machine("DC2")));
    // D2 and X-TRANSITIVE on RESWKS2: directly, DC1 while Mail runs on DC2 but no
    // Domain Admins; transitively, Domain Admins once Mail runs on DC2, through DC2's
    // copy of CORP's account database.
    let reswks2 = Start::Client(machine("RESWKS2"));
    let admins = account("CORP\\Domain Admins");
    let direct = x.compromise(reswks2, Reach::Direct);
    assert!(direct.iter().any(|r| matches!(r.privilege, Privilege::AdministratorWhileRuns(m, run) if m == machine("DC1") && run.client == machine("DC2"))));
    assert!(
        !direct
            .iter()
            .any(|r| r.privilege == Privilege::Member(admins))
    );
    assert!(direct.iter().all(|r| r.conditions.is_empty()));
    let transitive = x.compromise(reswks2, Reach::Transitive);
    check_witnesses(&x, reswks2, &transitive).unwrap_or_else(|m| panic!("{m}"));
    let da = transitive
        .iter()
        .find(|r| r.privilege == Privilege::Member(admins))
        .unwrap_or_else(|| panic!("Domain Admins not reached"));
    assert_eq!(
        da.conditions
            .iter()
            .map(|c| match c {
                Condition::Runs(run) => Some(run.client),
                Condition::LockoutEnds(_) => None,
            })
            .collect::<Vec<_>>(),
        vec![Some(machine("DC2"))]
    );
    let via_database = da.witness.iter().any(|&w| {
        let edge = x.edge_at(w);
        edge.from == Node::Machine(machine("DC2"))
            && edge.to
                == Node::Secret(sms_client_accounts::exposure::Secret::DomainDatabase(
                    e.domain_by_name("CORP").unwrap_or_else(|| unreachable!()),
                ))
    });
    assert!(
        via_database,
        "the witness goes through DC2's account database"
    );
    let mut text = findings_text(e, &x, &findings);
    for (name, start) in [
        (
            "RESWKS1\\SMSCliToknAcct&",
            Start::Credential(account("RESWKS1\\SMSCliToknAcct&")),
        ),
        (
            "CORP\\SMSCliToknAcct&",
            Start::Credential(account("CORP\\SMSCliToknAcct&")),
        ),
        (
            "CORP\\SMSClient_ABC",
            Start::Credential(account("CORP\\SMSClient_ABC")),
        ),
        (
            "client RESWKS2",
            Start::Client(
                e.machine_by_name("RESWKS2")
                    .unwrap_or_else(|| unreachable!()),
            ),
        ),
    ] {
        let reached = x.compromise(start, Reach::Direct);
        check_witnesses(&x, start, &reached).unwrap_or_else(|m| panic!("{m}"));
        text.push_str(&format!(
            "\ncompromise of {name}:\n{}",
            compromise_text(e, &x, &reached)
        ));
    }
    text.push_str(&format!(
        "\ntransitive compromise of client RESWKS2:\n{}",
        compromise_text(e, &x, &transitive)
    ));
    insta::with_settings!({snapshot_path => "snapshots/exposure", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("exposure-estate.findings", text);
        insta::assert_snapshot!("exposure-estate.dot", to_dot(e, &x));
        insta::assert_snapshot!("exposure-estate.json", serde_json::to_string_pretty(&to_json(e, &x, &findings)).unwrap_or_default());
    });
}

#[test]
fn the_opengraph_export_is_well_formed() {
    for path in scenario_files() {
        let s = Scenario::from_json(&std::fs::read_to_string(&path).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        let x = Exposure::build(&s.estate, &s.state);
        let og = to_opengraph(&s.estate, &x);
        let nodes = og["graph"]["nodes"].as_array().cloned().unwrap_or_default();
        let ids: BTreeSet<&str> = nodes.iter().filter_map(|n| n["id"].as_str()).collect();
        assert_eq!(
            ids.len(),
            nodes.len(),
            "{}: node ids are unique",
            path.display()
        );
        for edge in og["graph"]["edges"].as_array().cloned().unwrap_or_default() {
            let kind = edge["kind"].as_str().unwrap_or_default();
            assert!(!kind.contains('-') && !kind.is_empty());
            for end in ["start", "end"] {
                assert!(
                    ids.contains(edge[end]["value"].as_str().unwrap_or_default()),
                    "{kind} {end} names a node"
                );
            }
            for v in edge["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default()
                .values()
            {
                // Primitives, or homogeneous arrays of them (the OpenGraph summary).
                let primitive = |v: &Value| !matches!(v, Value::Object(_) | Value::Array(_));
                let ok = match v {
                    Value::Array(items) => items.iter().all(primitive),
                    _ => primitive(v),
                };
                assert!(ok, "properties are primitives or arrays of primitives");
            }
        }
        if path.ends_with("exposure-estate.json") {
            insta::with_settings!({snapshot_path => "snapshots/exposure", prepend_module_to_snapshot => false}, {
                insta::assert_snapshot!("exposure-estate.opengraph", serde_json::to_string_pretty(&og).unwrap_or_default());
            });
        }
    }
}

/// Whether the generated estate has none of the misconfigurations the generator can make.
fn clean(g: &GenScenario) -> bool {
    !g.misconfig[0] && !g.misconfig[1]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// "EXPO-ISOLATION", "SVC-TOKEN-LOCAL": a member client's token account password
    /// yields administrator rights on that client only. "EXPO-DC-TOKEN", "D3": a DC's
    /// yields exactly every DC of its domain.
    #[test]
    fn token_account_passwords_yield_their_own_machines_only(g in gen_scenario()) {
        prop_assume!(clean(&g));
        let s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        for m in e.machine_ids() {
            let Some(token) = e.machine(m).token_account else { continue };
            let reached = x.compromise(Start::Credential(token), Reach::Direct);
            check_witnesses(&x, Start::Credential(token), &reached).map_err(TestCaseError::fail)?;
            let expected: BTreeSet<MachineId> = match (e.machine(m).platform.is_dc(), e.machine(m).domain) {
                (true, Some(d)) => e.domain(d).controllers.iter().copied().collect(),
                _ => BTreeSet::from([m]),
            };
            prop_assert_eq!(administered(&reached), expected);
        }
    }

    /// "ACCT-CONN-NO-RIGHTS": a connection account's password yields read on the DP
    /// shares it can read, and no right, group or administrator rights on any client.
    #[test]
    fn connection_account_passwords_yield_reads_only(g in gen_scenario()) {
        prop_assume!(clean(&g));
        let s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        for &a in &e.site().connection_accounts {
            let reached = x.compromise(Start::Credential(a), Reach::Direct);
            check_witnesses(&x, Start::Credential(a), &reached).map_err(TestCaseError::fail)?;
            for r in &reached {
                match r.privilege {
                    Privilege::Administrator(_) | Privilege::AdministratorWhileRuns(..) | Privilege::Right(..) => {
                        return Err(TestCaseError::fail(format!("{:?}", r.privilege)));
                    }
                    Privilege::Member(group) => prop_assert_eq!(e.account(group).kind, AccountKind::GlobalGroup),
                    Privilege::Read(share) => prop_assert!(e.packages().iter().any(|p| p.copies.iter().any(|c| c.share == share && e.is_granted(a, &c.read)))),
                    Privilege::Credential(b) => prop_assert_eq!(a, b),
                }
            }
        }
    }

    /// "D9", "A15": the compromise of any NT client yields the Software Installation
    /// account, and so administrator rights on every client while its programs run there.
    #[test]
    fn one_nt_client_yields_the_software_installation_account_everywhere(g in gen_scenario()) {
        let s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        let Some(swia) = e.site().software_installation_account else { return Ok(()) };
        let runs: BTreeSet<(MachineId, Run)> = x
            .edges()
            .filter_map(|edge| match (edge.kind, edge.to) {
                (EdgeKind::AdminWhileRuns(p), Node::Machine(m)) if edge.from == Node::Account(swia) => Some((m, p)),
                _ => None,
            })
            .collect();
        for m in e.machine_ids().filter(|&m| e.machine(m).sms_client && e.machine(m).platform.is_nt()) {
            let reached = x.compromise(Start::Client(m), Reach::Direct);
            check_witnesses(&x, Start::Client(m), &reached).map_err(TestCaseError::fail)?;
            let knows = reached.iter().any(|r| r.privilege == Privilege::Credential(swia));
            if g.assumptions[6] {
                prop_assert!(knows, "A15: the site data on every NT client reveals the account");
                let got: BTreeSet<(MachineId, Run)> = reached
                    .iter()
                    .filter_map(|r| match r.privilege {
                        Privilege::AdministratorWhileRuns(m, p) => Some((m, p)),
                        _ => None,
                    })
                    .collect();
                prop_assert_eq!(got, runs.clone());
            }
        }
    }

    /// Findings and exports are the same bytes from run to run.
    #[test]
    fn findings_and_exports_are_deterministic(g in gen_scenario()) {
        let json = g.to_json().to_string();
        let render = || {
            let s = Scenario::from_json(&json).map_err(|e| e.to_string())?;
            let x = Exposure::build(&s.estate, &s.state);
            let f = x.findings(&s.estate);
            Ok::<_, String>((findings_text(&s.estate, &x, &f), to_json(&s.estate, &x, &f).to_string(), to_dot(&s.estate, &x)))
        };
        prop_assert_eq!(render(), render());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// "D1", "D2": the Software Installation account administers exactly the clients
    /// where one of its programs runs, through the client's Administrators (D1) or, on a
    /// DC, the domain's, and so every DC of the domain while the program runs on that
    /// one (D2).
    #[test]
    fn admin_while_runs_edges_are_the_grants_of_the_decisions(g in gen_scenario()) {
        use sms_client_accounts::engine::{Context, Outcome, resolve_all};
        use sms_client_accounts::rules::RuleId;
        let s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        let mut expected = BTreeSet::new();
        for r in resolve_all(e, &s.state) {
            if r.decision.outcome == Outcome::Run && r.decision.context == Some(Context::SoftwareInstallation) {
                let run = Run { program: e.advertisement(r.advertisement).program, client: r.client };
                match (e.machine(r.client).platform.is_dc(), e.machine(r.client).domain) {
                    (true, Some(d)) => {
                        for &dc in &e.domain(d).controllers {
                            expected.insert((dc, run, RuleId::D2));
                        }
                    }
                    _ => {
                        expected.insert((r.client, run, RuleId::D1));
                    }
                }
            }
        }
        let got: BTreeSet<(MachineId, Run, RuleId)> = x
            .edges()
            .filter_map(|edge| match (edge.kind, edge.to) {
                (EdgeKind::AdminWhileRuns(p), Node::Machine(m)) => Some((m, p, edge.rule)),
                _ => None,
            })
            .collect();
        prop_assert_eq!(got, expected);
    }

    /// "X-DC-DATABASE": control of a DC reveals every user of its domain;
    /// "X-SESSION-SECRETS": control of a client reveals who is logged on there and the
    /// credentials of its connections; "X-CLIENT-SERVICE-ACCOUNT": the client service
    /// account administers its client (every DC of its domain, for a DC's).
    #[test]
    fn controlled_machines_reveal_their_secrets(g in gen_scenario()) {
        let s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        for m in e.machine_ids() {
            let reached = x.compromise(Start::Client(m), Reach::Direct);
            let known: BTreeSet<AccountId> = reached.iter().filter_map(|r| match r.privilege { Privilege::Credential(a) => Some(a), _ => None }).collect();
            let machine = e.machine(m);
            if let (true, Some(d)) = (machine.platform.is_dc(), machine.domain) {
                for a in e.account_ids().filter(|&a| e.account(a).store == Store::Domain(d) && e.account(a).kind == AccountKind::User) {
                    prop_assert!(known.contains(&a));
                }
            }
            if let Some(u) = s.state.logged_on(m) {
                prop_assert!(known.contains(&u));
            }
            for kind in [SessionKind::Interactive, SessionKind::Service] {
                for c in s.state.session(m, kind) {
                    prop_assert!(known.contains(&c.credential));
                }
            }
            if let Some(service) = machine.service_account {
                let admin = administered(&x.compromise(Start::Credential(service), Reach::Direct));
                let expected: BTreeSet<MachineId> = match (machine.platform.is_dc(), machine.domain) {
                    (true, Some(d)) => e.domain(d).controllers.iter().copied().collect(),
                    _ => BTreeSet::from([m]),
                };
                prop_assert_eq!(admin, expected);
            }
        }
    }

    /// "X-CONFIGURED": every membership, right and read grant the scenario declares is an
    /// edge with the configured basis, and nothing else is.
    #[test]
    fn configured_edges_are_the_scenarios_declarations(g in gen_scenario()) {
        use sms_client_accounts::exposure::Basis;
        use sms_client_accounts::rules::RuleId;
        let s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        let declared: usize = e.accounts().iter().map(|a| a.members.len()).sum::<usize>()
            + e.packages().iter().flat_map(|p| &p.copies).map(|c| c.read.len()).sum::<usize>()
            + e.resources().iter().map(|r| r.read.len()).sum::<usize>()
            + s.state.trust_pairs().count()
            + e.machine_ids().map(|m| e.rights_on(m).len()).sum::<usize>();
        let configured = x.edges().filter(|edge| edge.basis == Basis::Configured).count();
        prop_assert_eq!(configured, declared);
        prop_assert!(x.edges().all(|edge| (edge.basis == Basis::Configured) == (edge.rule == RuleId::XConfigured)));
    }

    /// The compact index answers as the petgraph graph it exports: the same nodes and
    /// edges in the same order, each node's out-edges; the streamed build equals the
    /// build from a stored batch; a filtered compromise query is the full one filtered.
    #[test]
    fn the_compact_index_is_the_exported_graph(g in gen_scenario()) {
        use petgraph::visit::EdgeRef;
        use sms_client_accounts::engine::Batch;
        let s = Scenario::from_json(&g.to_json().to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let e = &s.estate;
        let x = Exposure::build(e, &s.state);
        let graph = x.to_petgraph();
        prop_assert_eq!((x.node_count(), x.edge_count()), (graph.node_count(), graph.edge_count()));
        // Each fact once: a run advertised twice to a client is one set of edges.
        let distinct: BTreeSet<_> = x.edges().collect();
        prop_assert_eq!(distinct.len(), x.edge_count());
        prop_assert_eq!(x.edge_ids().map(|id| x.edge_at(id)).collect::<Vec<_>>(), x.edges().collect::<Vec<_>>());
        let facts: BTreeSet<(Node, Node, EdgeKind)> = x.edges().map(|e| (e.from, e.to, e.kind)).collect();
        let runs: BTreeSet<EdgeKind> = x.edges().map(|e| e.kind).filter(|k| matches!(k, EdgeKind::AdminWhileRuns(_))).collect();
        for edge in x.edges() {
            prop_assert!(x.contains(edge.from) && x.contains(edge.to));
            for kind in [EdgeKind::MemberOf, EdgeKind::AdminOf, EdgeKind::Stores, EdgeKind::Reveals, EdgeKind::CanRead, EdgeKind::HasRight(Right::Tcb)].into_iter().chain(runs.iter().copied()).chain([edge.kind]) {
                prop_assert_eq!(x.has_edge(edge.from, edge.to, kind), facts.contains(&(edge.from, edge.to, kind)));
            }
        }
        prop_assert_eq!(graph.node_weights().copied().collect::<Vec<_>>(), x.nodes().collect::<Vec<_>>());
        prop_assert_eq!(graph.edge_weights().copied().collect::<Vec<_>>(), x.edges().collect::<Vec<_>>());
        for n in graph.node_indices() {
            let mut ids: Vec<usize> = graph.edges(n).map(|r| r.id().index()).collect();
            ids.sort_unstable();
            let got: Vec<usize> = x.out_edges(graph[n]).iter().map(|id| id.index()).collect();
            prop_assert_eq!(got, ids);
        }
        let mut batch = Batch::default();
        batch.fill(e, &s.state);
        let stored = Exposure::from_batch(e, &s.state, &batch);
        prop_assert_eq!(stored.edges().collect::<Vec<_>>(), x.edges().collect::<Vec<_>>());
        prop_assert_eq!(stored.findings(e), x.findings(e));
        let machines_only = |p: &Privilege| matches!(p, Privilege::Administrator(_) | Privilege::Right(..));
        for a in e.account_ids() {
            for reach in [Reach::Direct, Reach::Transitive] {
                let mut all = x.compromise(Start::Credential(a), reach);
                all.retain(|r| machines_only(&r.privilege));
                prop_assert_eq!(x.compromise_where(Start::Credential(a), reach, machines_only), all);
            }
        }
    }
}

/// A site may name its token account `SMS&_DC1`, DC1's own service account, or
/// `SMSCliSvcAcct&`, every member client's (both names are the site's choice): the one
/// account is then token and service account at once, and the graph holds each of its
/// memberships and rights once, the memberships standing (the service account's are).
#[test]
fn a_token_account_named_like_a_service_account_has_each_edge_once() {
    for (fixture, name, client) in [
        ("dc-token-account", "SMS&_DC1", "DC1"),
        ("administrators-membership-access", "SMSCliSvcAcct&", "WKS1"),
        (
            "administrators-membership-transient",
            "SMSCliSvcAcct&",
            "WKS1",
        ),
    ] {
        let s = Scenario::from_json(&with_token_named(fixture, name).to_string()).expect("loads");
        let e = &s.estate;
        let m = e.machine_by_name(client).expect("client");
        let token = e.machine(m).token_account.expect("token account");
        assert_eq!(e.machine(m).service_account, Some(token), "{fixture}");
        let x = Exposure::build(e, &s.state);
        let mut seen = BTreeSet::new();
        for edge in x.edges() {
            assert!(
                seen.insert((edge.from, edge.to, edge.kind)),
                "{fixture}: {:?} -> {:?} ({:?}) twice",
                edge.from,
                edge.to,
                edge.kind
            );
        }
        let admins = e.administrators_of(m).expect("Administrators");
        let membership = x
            .edges()
            .find(|edge| {
                edge.from == Node::Account(token)
                    && edge.to == Node::Account(admins)
                    && edge.kind == EdgeKind::MemberOf
            })
            .expect("the token account is in Administrators");
        assert_ne!(
            membership.rule,
            sms_client_accounts::rules::RuleId::A3,
            "{fixture}"
        );
        assert!(
            seen.contains(&(
                Node::Account(token),
                Node::Machine(m),
                EdgeKind::HasRight(Right::Tcb)
            )),
            "{fixture}"
        );
    }
}

/// The exposure-estate fixture as JSON, edited by `edit`, loaded.
fn edited(name: &str, edit: impl FnOnce(&mut Value)) -> Scenario {
    let text = std::fs::read_to_string(root().join(format!("fixtures/scenarios/{name}.json")))
        .unwrap_or_default();
    let mut doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    edit(&mut doc);
    Scenario::from_json(&doc.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn edge_texts(
    s: &Scenario,
    x: &Exposure,
    f: &sms_client_accounts::exposure::Finding,
) -> Vec<String> {
    use sms_client_accounts::exposure::{Evidence, export::edge_text};
    f.evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Edge(id) => Some(edge_text(&s.estate, x, *id)),
            Evidence::Decision { .. } => None,
        })
        .collect()
}

/// "ACCT-CONN-NO-RIGHTS", "SWIA-NO-STANDING-RIGHTS": on should-never-warnings, checked
/// by hand: the connection account is in WKS1's Power Users and holds
/// SeServiceLogonRight there, a medium finding (no Administrators) whose evidence is those
/// two edges and no domain group; the Software Installation account is a standing
/// member of WKS1's Administrators, a high finding with that edge and the group's
/// admin_of edge. Made a member of WKS1's Administrators, the connection account's
/// finding turns high and shows the group's admin_of edge.
#[test]
fn standing_findings_name_the_clients_groups_and_rights_the_rule_forbids() {
    let s = load("should-never-warnings");
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let findings = x.findings(e);
    let find = |kind| {
        findings
            .iter()
            .find(|f| f.kind == kind)
            .unwrap_or_else(|| panic!("{kind:?}"))
    };
    let conn = find(FindingKind::ConnectionAccountPrivileged);
    let wks1 = Node::Machine(e.machine_by_name("WKS1").unwrap_or_else(|| unreachable!()));
    assert_eq!(
        conn.objects,
        vec![
            Node::Account(
                e.account_by_name("CORP\\SMSClient_ABC")
                    .unwrap_or_else(|| unreachable!())
            ),
            wks1
        ]
    );
    assert_eq!(
        conn.severity,
        sms_client_accounts::exposure::Severity::Medium
    );
    assert_eq!(
        edge_texts(&s, &x, conn),
        vec![
            "CORP\\SMSClient_ABC -member_of-> WKS1\\Power Users [X-CONFIGURED]".to_string(),
            "CORP\\SMSClient_ABC -has_right(SeServiceLogonRight)-> WKS1 [X-CONFIGURED]".to_string(),
        ]
    );
    let swia = find(FindingKind::SoftwareInstallationStandingRights);
    assert_eq!(swia.severity, sms_client_accounts::exposure::Severity::High);
    assert_eq!(swia.objects.len(), 2);
    assert_eq!(
        edge_texts(&s, &x, swia),
        vec![
            "CORP\\SMSInstall -member_of-> WKS1\\Administrators [X-CONFIGURED]".to_string(),
            "WKS1\\Administrators -admin_of-> WKS1 [A1]".to_string(),
        ]
    );
    let s = edited("should-never-warnings", |doc| {
        for m in doc["machines"]
            .as_array_mut()
            .unwrap_or_else(|| unreachable!())
        {
            if m["name"] == "WKS1" {
                for g in m["local_groups"]
                    .as_array_mut()
                    .unwrap_or_else(|| unreachable!())
                {
                    if g["name"] == "Administrators" {
                        g["members"]
                            .as_array_mut()
                            .unwrap_or_else(|| unreachable!())
                            .push(Value::from("CORP\\SMSClient_ABC"));
                    }
                }
            }
        }
    });
    let x = Exposure::build(&s.estate, &s.state);
    let findings = x.findings(&s.estate);
    let conn = findings
        .iter()
        .find(|f| f.kind == FindingKind::ConnectionAccountPrivileged)
        .unwrap_or_else(|| unreachable!());
    assert_eq!(conn.severity, sms_client_accounts::exposure::Severity::High);
    let texts = edge_texts(&s, &x, conn);
    assert!(
        texts.contains(&"WKS1\\Administrators -admin_of-> WKS1 [A1]".to_string()),
        "{texts:?}"
    );
    assert!(
        texts.contains(
            &"CORP\\SMSClient_ABC -member_of-> WKS1\\Administrators [X-CONFIGURED]".to_string()
        ),
        "{texts:?}"
    );
}

/// "A16": a stale copy of the Software Installation account's password makes its
/// LogonUser fail, and the finding names the account and the client; "D5": a local
/// token account sent to a resource on another SMS client meets its namesake there.
#[test]
fn stale_logons_and_resource_tries_are_findings() {
    use sms_client_accounts::exposure::Evidence;
    let s = edited("exposure-estate", |doc| {
        doc["state"]["stale_passwords"] =
            serde_json::json!([{"client": "WKS1", "account": "CORP\\SMSInstall"}]);
        doc["resources"] = serde_json::json!([{"name": "tools", "path": "\\\\WKS1\\TOOLS", "read": ["CORP\\Domain Users"]}]);
        for p in doc["programs"]
            .as_array_mut()
            .unwrap_or_else(|| unreachable!())
        {
            if p["name"] == "Patch" {
                p["resources"] = serde_json::json!(["tools"]);
            }
        }
    });
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let findings = x.findings(e);
    let machine = |n: &str| e.machine_by_name(n).unwrap_or_else(|| unreachable!());
    let stale = findings
        .iter()
        .find(|f| f.kind == FindingKind::StalePasswordBadPasswords)
        .unwrap_or_else(|| panic!("no stale finding"));
    assert_eq!(
        stale.objects,
        vec![
            Node::Account(
                e.account_by_name("CORP\\SMSInstall")
                    .unwrap_or_else(|| unreachable!())
            ),
            Node::Machine(machine("WKS1"))
        ]
    );
    assert_eq!(stale.rule, sms_client_accounts::rules::RuleId::A16);
    assert_eq!(
        stale.evidence,
        vec![Evidence::Decision {
            advertisement: e
                .advertisement_by_name("ABC20002")
                .unwrap_or_else(|| unreachable!()),
            client: machine("WKS1")
        }]
    );
    // Patch runs in the service context on RESWKS1 and RESWKS2 (nobody logged on): their
    // local token accounts try WKS1, which has its own SMSCliToknAcct&.
    let at_wks1 = findings
        .iter()
        .find(|f| {
            f.kind == FindingKind::LocalTokenBadPasswords
                && f.objects[0] == Node::Machine(machine("WKS1"))
        })
        .unwrap_or_else(|| panic!("no bad-password finding at WKS1"));
    let from: Vec<String> = at_wks1.objects[1..]
        .iter()
        .map(|n| sms_client_accounts::exposure::export::node_name(e, *n))
        .collect();
    assert_eq!(
        from,
        vec![
            "RESWKS1\\SMSCliToknAcct&".to_string(),
            "RESWKS2\\SMSCliToknAcct&".to_string()
        ]
    );
    // A16 in NAL: the demo's WKS3 holds an old password of the first connection account
    // and sends it when NAL tries that account (then the second account connects).
    let demo = load("demo");
    let x = Exposure::build(&demo.estate, &demo.state);
    let stale: Vec<String> = x
        .findings(&demo.estate)
        .iter()
        .filter(|f| f.kind == FindingKind::StalePasswordBadPasswords)
        .map(|f| sms_client_accounts::exposure::export::finding_message(&demo.estate, f))
        .collect();
    assert_eq!(stale, vec!["1 client(s) still send an old password of CORP\\SMSClient_ABC: each try is a bad-password event (WKS3)".to_string()]);
}

/// The text renderings' limits, checked on constructed input: a frontier lists 20
/// facts and counts the rest; a finding names 8 objects and counts the rest; a
/// transitive finding's witness is shown whole and counts no clients it does not have;
/// other findings show 6 pieces of evidence and count the rest.
#[test]
fn text_renderings_list_up_to_their_limits_and_count_the_rest() {
    use sms_client_accounts::exposure::export::{finding_message, frontier_text};
    use sms_client_accounts::exposure::{Evidence, Finding, Missing, Severity};
    let s = load("exposure-estate");
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let fact = Missing::Trust {
        trusting: e.domain_by_name("LAB").unwrap_or_else(|| unreachable!()),
        trusted: e.domain_by_name("CORP").unwrap_or_else(|| unreachable!()),
    };
    let dc1 = Node::Machine(e.machine_by_name("DC1").unwrap_or_else(|| unreachable!()));
    assert_eq!(frontier_text(e, dc1, None), "target DC1: reached\n");
    let twenty = frontier_text(e, dc1, Some(&[fact; 20]));
    assert!(twenty.starts_with(
        "target DC1: not reached; 20 fact(s) one step from it:\n- domain LAB trusts CORP\n"
    ));
    assert_eq!(twenty.lines().count(), 21);
    let more = frontier_text(e, dc1, Some(&[fact; 21]));
    assert_eq!(more.lines().count(), 22);
    assert!(more.ends_with("- ... and 1 more\n"), "{more}");
    let machines: Vec<Node> = e.machine_ids().map(Node::Machine).collect();
    let account = Node::Account(
        e.account_by_name("CORP\\SMSClient_ABC")
            .unwrap_or_else(|| unreachable!()),
    );
    let finding = |kind, objects: Vec<Node>, evidence: Vec<Evidence>, unlisted| Finding {
        kind,
        severity: Severity::High,
        rule: sms_client_accounts::rules::RuleId::XTransitive,
        objects,
        evidence,
        conditions: Vec::new(),
        unlisted,
        statuses: Vec::new(),
    };
    let eight = finding(
        FindingKind::ConnectionAccountPrivileged,
        [vec![account], machines[..8].to_vec()].concat(),
        vec![],
        0,
    );
    assert!(
        !finding_message(e, &eight).contains("more"),
        "{}",
        finding_message(e, &eight)
    );
    let nine = finding(
        FindingKind::ConnectionAccountPrivileged,
        [vec![account], machines[..9].to_vec()].concat(),
        vec![],
        0,
    );
    assert!(
        finding_message(e, &nine).ends_with(", and 1 more"),
        "{}",
        finding_message(e, &nine)
    );
    let corp = Node::Domain(e.domain_by_name("CORP").unwrap_or_else(|| unreachable!()));
    let edges: Vec<Evidence> = x.edge_ids().take(8).map(Evidence::Edge).collect();
    let listed = finding(
        FindingKind::ClientYieldsDomain,
        vec![corp, dc1, machines[5]],
        edges.clone(),
        0,
    );
    assert!(
        !finding_message(e, &listed).contains("more"),
        "{}",
        finding_message(e, &listed)
    );
    assert!(finding_message(e, &listed).contains("any of 1 NT client(s)"));
    let counted = finding(
        FindingKind::ClientYieldsDomain,
        vec![corp, dc1, machines[5]],
        edges.clone(),
        4,
    );
    assert!(
        finding_message(e, &counted).contains("any of 5 NT client(s)")
            && finding_message(e, &counted).contains(", and 4 more)")
    );
    let whole = findings_text(e, &x, std::slice::from_ref(&listed));
    assert_eq!(
        whole.lines().filter(|l| l.starts_with("    ")).count(),
        8,
        "{whole}"
    );
    let other = finding(
        FindingKind::DcTokenAccountShared,
        vec![account, dc1],
        edges,
        0,
    );
    let cut = findings_text(e, &x, &[other]);
    assert_eq!(
        cut.lines().filter(|l| l.starts_with("    ")).count(),
        7,
        "{cut}"
    );
    assert!(cut.ends_with("    ... 2 more\n"), "{cut}");
}

/// The DOT export collapses machines with the same platform, domain and edges into one
/// node that names a few and counts them; machines that differ stay apart.
#[test]
fn the_dot_export_collapses_identical_clients() {
    let s = generated(300, 2);
    let dot = to_dot(&s.estate, &Exposure::build(&s.estate, &s.state));
    let classes: Vec<&str> = dot
        .lines()
        .filter(|l| l.trim_start().starts_with("\"class") && l.contains("shape=box3d"))
        .collect();
    assert!(!classes.is_empty(), "identical clients are collapsed");
    let counted: usize = classes
        .iter()
        .map(|l| {
            let n = l
                .split('(')
                .nth(1)
                .and_then(|r| r.split(" x ").next())
                .unwrap_or("0");
            n.parse::<usize>().unwrap_or_else(|_| panic!("{l}"))
        })
        .sum();
    assert!(
        counted > 200 && counted <= s.estate.machines().len(),
        "{counted}"
    );
    assert!(
        classes.iter().all(|l| l.contains(" x nt4_workstation")
            || l.contains(" x nt4_server")
            || l.contains(" x windows_9")),
        "{classes:?}"
    );
    // A class of more than three names three and counts the rest; its node's id is the
    // class's own, its machines' own accounts and secrets are drawn once for the class.
    for l in &classes {
        let id = l.trim_start().split('"').nth(1).unwrap_or_default();
        assert!(!id.contains(':'), "{l}");
        let n: usize = l
            .split('(')
            .nth(1)
            .and_then(|r| r.split(" x ").next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if n > 3 {
            assert!(l.contains(&format!(", +{} more", n - 3)), "{l}");
        } else {
            assert!(!l.contains("more"), "{l}");
        }
    }
    assert!(
        dot.contains("(one per machine)"),
        "a class's own accounts are drawn once"
    );
    // The small fixture has no two machines alike: nothing collapsed.
    let e = load("exposure-estate");
    let small = to_dot(&e.estate, &Exposure::build(&e.estate, &e.state));
    assert!(!small.contains("\"class"), "{small}");
}

/// "ACCT-CONN-NO-RIGHTS" on a DC: the connection account made a member of CORP's
/// Administrators (the DCs' local group) is a finding for every CORP DC, whose evidence is
/// that membership and its admin_of edges, not the global groups it is in.
#[test]
fn a_connection_account_in_the_dcs_administrators_is_a_finding_for_each_dc() {
    use sms_client_accounts::exposure::{Evidence, export::edge_text};
    let s = edited("should-never-warnings", |doc| {
        for d in doc["domains"]
            .as_array_mut()
            .unwrap_or_else(|| unreachable!())
        {
            if d["name"] == "CORP" {
                let groups = d["local_groups"]
                    .as_array_mut()
                    .unwrap_or_else(|| unreachable!());
                for g in groups {
                    if g["name"] == "Administrators" {
                        g["members"]
                            .as_array_mut()
                            .unwrap_or_else(|| unreachable!())
                            .push(Value::from("SMSClient_ABC"));
                    }
                }
            }
        }
    });
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let conn = x
        .findings(e)
        .into_iter()
        .find(|f| f.kind == FindingKind::ConnectionAccountPrivileged)
        .unwrap_or_else(|| unreachable!());
    assert!(conn.objects.contains(&Node::Machine(
        e.machine_by_name("DC1").unwrap_or_else(|| unreachable!())
    )));
    let texts: Vec<String> = conn
        .evidence
        .iter()
        .filter_map(|ev| match ev {
            Evidence::Edge(id) => Some(edge_text(e, &x, *id)),
            _ => None,
        })
        .collect();
    assert!(
        texts.contains(
            &"CORP\\SMSClient_ABC -member_of-> CORP\\Administrators [X-CONFIGURED]".to_string()
        ),
        "{texts:?}"
    );
    assert!(
        texts.iter().all(|t| !t.contains("Domain Users")),
        "{texts:?}"
    );
}

/// D1, D2 once a run: a second advertisement of Mail to WKS1 adds no edge.
#[test]
fn a_run_advertised_twice_is_one_set_of_edges() {
    let once = load("exposure-estate");
    let twice = edited("exposure-estate", |doc| {
        doc["advertisements"].as_array_mut().unwrap_or_else(|| unreachable!()).push(serde_json::json!({"name": "ABC20009", "program": "Mail", "targets": ["WKS1", "DC2"]}));
    });
    let (a, b) = (
        Exposure::build(&once.estate, &once.state),
        Exposure::build(&twice.estate, &twice.state),
    );
    assert_eq!(a.edge_count(), b.edge_count());
    assert_eq!(a.edges().collect::<Vec<_>>(), b.edges().collect::<Vec<_>>());
    // Three runs (Mail on WKS1, RESWKS1, DC2): each edge is of its own run only.
    let runs: BTreeSet<EdgeKind> = a
        .edges()
        .map(|e| e.kind)
        .filter(|k| matches!(k, EdgeKind::AdminWhileRuns(_)))
        .collect();
    assert_eq!(runs.len(), 3);
    for edge in a.edges() {
        for &kind in &runs {
            assert_eq!(
                a.has_edge(edge.from, edge.to, kind),
                kind == edge.kind
                    || a.edges()
                        .any(|o| (o.from, o.to, o.kind) == (edge.from, edge.to, kind))
            );
        }
    }
}

/// The JSON of a compromise names the DC a D2 run is on when it is another.
#[test]
fn the_compromise_json_names_where_a_d2_run_is() {
    use sms_client_accounts::exposure::output::compromise_output;
    let s = load("exposure-estate");
    let e = &s.estate;
    let x = Exposure::build(e, &s.state);
    let start = Start::Client(
        e.machine_by_name("RESWKS2")
            .unwrap_or_else(|| unreachable!()),
    );
    let reached = x.compromise(start, Reach::Direct);
    let doc = compromise_output(e, &x, start, Reach::Direct, &reached);
    let c = doc.compromise.unwrap_or_else(|| unreachable!());
    let runs_on = |object: &str| {
        c.reached
            .iter()
            .find(|r| r.kind == "administrator_while_runs" && r.object == object)
            .map(|r| r.runs_on.clone())
    };
    assert_eq!(runs_on("DC1"), Some(Some("DC2".to_string())));
    assert_eq!(runs_on("DC2"), Some(None));
}
