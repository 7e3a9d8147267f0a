//! The defences a finding names, as properties over generated Configuration Manager
//! estates (issue 22): for every finding of a technique, its path holds without the
//! defences (its source reaches the account it exposes along an edge of its rule), and
//! each defence of its `prevented_by` (PREVENT-3 no network access accounts, PREVENT-8
//! PKI client authentication, PREVENT-16 MachineAccountQuota 0, PREVENT-15 the old
//! accounts gone), applied to the scenario, cuts it: no finding of that rule stays with
//! that source, and the source no longer reaches the account along an edge of the rule.

use proptest::prelude::*;
use sms_client_accounts::exposure::{EdgeKind, Evidence, Exposure, Finding, Node};
use sms_client_accounts::model::*;
use sms_client_accounts::rules::RuleId;

use crate::configmgr::{Gen, gen_estate, load_gen};

/// The scenario with one defence applied.
fn defended(g: &Gen, defence: &str) -> Gen {
    let mut g = g.clone();
    match defence {
        "PREVENT-3" => g.naas.clear(),
        "PREVENT-8" => g.transport = 3,
        "PREVENT-16" => g.quota = Some(0),
        "PREVENT-15" => g.previous = false,
        other => panic!("a defence the generator cannot apply: {other}"),
    }
    g
}

/// A finding's source (the start of its first `obtains` or `stores` edge, by name) and
/// the accounts it exposes (its `reveals` edges' ends, by name).
fn path_of(e: &Estate, x: &Exposure, f: &Finding) -> Option<(String, Vec<String>)> {
    let edges: Vec<_> = f
        .evidence
        .iter()
        .filter_map(|ev| match ev {
            Evidence::Edge(id) => Some(x.edge_at(*id)),
            Evidence::Decision { .. } => None,
        })
        .collect();
    let source = edges
        .iter()
        .find(|edge| {
            edge.rule == f.rule && matches!(edge.kind, EdgeKind::Obtains | EdgeKind::Stores)
        })
        .map(|edge| name(e, edge.from))?;
    let targets = edges
        .iter()
        .filter(|edge| edge.kind == EdgeKind::Reveals)
        .map(|edge| name(e, edge.to))
        .collect();
    Some((source, targets))
}

fn name(e: &Estate, node: Node) -> String {
    match node {
        Node::Account(a) => e.qualified_name(a),
        Node::Machine(m) => e.machine(m).name.to_string(),
        other => format!("{other:?}"),
    }
}

/// Whether the graph holds the technique's path from `source` to `target`'s password:
/// an edge of `rule` out of the source (by name) into a secret, and that secret
/// revealing the target.
fn reaches(e: &Estate, x: &Exposure, source: &str, target: &str, rule: RuleId) -> bool {
    let edges: Vec<_> = x.edges().collect();
    edges.iter().any(|into| {
        into.rule == rule
            && matches!(into.to, Node::Secret(_))
            && name(e, into.from) == source
            && edges.iter().any(|out| {
                out.from == into.to && out.kind == EdgeKind::Reveals && name(e, out.to) == target
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// "CM-CRED-2", "CM-CRED-2-QUOTA", "X-CM-QUOTA-DEFAULT", "X-CM-ADD-WORKSTATIONS",
    /// "X-CM-APPROVE-ALL", "CM-CRED-3", "X-CM-RESIDUE", "CM-CRED-5",
    /// "X-CM-PASSIVE-SITE-SERVER": each finding's
    /// `prevented_by` cuts its path, and nothing else is needed for it to hold.
    #[test]
    fn each_defence_a_finding_names_cuts_its_path(g in gen_estate()) {
        let s = load_gen(&g);
        let (e, x) = (&s.estate, Exposure::build(&s.estate, &s.state));
        for f in x.findings(e) {
            let Some(tag) = x.finding_tag(&f) else { continue };
            let Some((source, targets)) = path_of(e, &x, &f) else { continue };
            // Without a defence, the path holds: the source reaches an exposed account.
            prop_assert!(
                targets.iter().any(|t| reaches(e, &x, &source, t, f.rule)),
                "{} from {source}: {targets:?}", f.rule
            );
            for defence in tag.prevented_by {
                let d = load_gen(&defended(&g, defence));
                let (de, dx) = (&d.estate, Exposure::build(&d.estate, &d.state));
                let stays = dx.findings(de).iter().any(|df| {
                    df.rule == f.rule
                        && path_of(de, &dx, df).is_some_and(|(src, _)| src == source)
                });
                prop_assert!(!stays, "{defence} leaves {} from {source}", f.rule);
                for t in &targets {
                    prop_assert!(
                        !reaches(de, &dx, &source, t, f.rule),
                        "{defence} leaves {source} reaching {t} along {}", f.rule
                    );
                }
            }
        }
    }
}
