//! The "should never" rules, computed once: the loader's warnings and the exposure
//! findings name the same clients, on the rule's reading (no right and no local group on
//! any client, a DC's domain local groups included).

use serde_json::json;
use sms_client_accounts::Scenario;
use sms_client_accounts::advice::{Advice, advice, standing_advice};
use sms_client_accounts::exposure::{Exposure, FindingKind, Node};
use sms_client_accounts::rules::RuleId;

/// A connection account and the Software Installation account in groups that are not
/// `Administrators`: a domain local group (so on the DC client) and, for the Software
/// Installation account, a workstation's local group; and the connection account in the
/// Administrators of a server that is no SMS client, which the rules do not count.
fn scenario() -> Scenario {
    let doc = json!({
        "schema_version": 1,
        "domains": [{
            "name": "CORP",
            "users": ["alice", "SMSClient_ABC", "SMSInstall"],
            "local_groups": [{"name": "Server Operators", "members": ["SMSClient_ABC", "SMSInstall"]}]
        }],
        "machines": [
            {"name": "DC1", "platform": "nt4_pdc", "domain": "CORP"},
            // Not an SMS client: the rules are about clients, so this membership breaks none.
            {"name": "SMS1", "platform": "nt4_server", "domain": "CORP", "sms_client": false,
             "local_groups": [{"name": "Administrators", "members": ["CORP\\SMSClient_ABC"]}]},
            {"name": "WKS1", "platform": "nt4_workstation", "domain": "CORP",
             "local_groups": [{"name": "Backup Operators", "members": ["CORP\\SMSInstall"]}]}
        ],
        "site": {
            "code": "ABC", "domain": "CORP",
            "software_installation_account": "CORP\\SMSInstall",
            "distribution_points": ["\\\\SMS1\\SMSPKGC$"]
        },
        "packages": [{"id": "ABC00001", "copies": [{"distribution_point": "\\\\SMS1\\SMSPKGC$",
            "read": ["CORP\\alice", "CORP\\SMSInstall"]}]}],
        "programs": [{"name": "Setup", "package": "ABC00001", "run_mode": "administrative_rights",
            "can_run": "whether_or_not_user_logged_on", "use_software_installation_account": true}],
        "advertisements": [{"name": "ABC20001", "program": "Setup", "targets": ["WKS1", "DC1"]}]
    });
    Scenario::from_json(&doc.to_string()).unwrap()
}

#[test]
fn a_group_other_than_administrators_on_any_client_breaks_the_standing_rules_everywhere() {
    let s = scenario();
    let e = &s.estate;
    let name = |m| e.machine(m).name.to_string();
    let clients_of = |rule: RuleId| -> Vec<String> {
        standing_advice(e)
            .iter()
            .filter_map(|a| match a {
                Advice::Standing {
                    rule: r, client, ..
                } if *r == rule => Some(name(*client)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(clients_of(RuleId::AcctConnNoRights), ["DC1"]);
    assert_eq!(clients_of(RuleId::SwiaNoStandingRights), ["DC1", "WKS1"]);
    // The whole advice holds the standing part, and the loader warns of each.
    let all = advice(e, &s.state);
    assert!(standing_advice(e).iter().all(|a| all.contains(a)));
    let warned: Vec<(RuleId, String)> = s
        .warnings
        .iter()
        .map(|w| (w.rule, w.message.clone()))
        .collect();
    assert!(warned.contains(&(
        RuleId::AcctConnNoRights,
        "client network connection account `CORP\\SMSClient_ABC` is member of `CORP\\Server Operators` on client `DC1`".to_string()
    )), "{warned:?}");
    assert!(warned.contains(&(
        RuleId::SwiaNoStandingRights,
        "Software Installation account `CORP\\SMSInstall` is member of `WKS1\\Backup Operators` on client `WKS1`".to_string()
    )), "{warned:?}");
    // The findings name the same clients.
    let x = Exposure::build(e, &s.state);
    let findings = x.findings(e);
    let machines_of = |kind: FindingKind| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.kind == kind)
            .flat_map(|f| f.objects.iter())
            .filter_map(|n| match n {
                Node::Machine(m) => Some(name(*m)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        machines_of(FindingKind::ConnectionAccountPrivileged),
        ["DC1"]
    );
    assert_eq!(
        machines_of(FindingKind::SoftwareInstallationStandingRights),
        ["DC1", "WKS1"]
    );
}
