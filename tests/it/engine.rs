//! Property tests of the engine over generated scenarios: the safety rules of the
//! article hold for every decision.

use proptest::prelude::*;
use sms_client_accounts::engine::{Context, Membership, Outcome, resolve, resolve_all};
use sms_client_accounts::model::SmsRole;
use sms_client_accounts::{Resolution, Scenario};
use sms_client_accounts::{
    render::{render_json, render_text},
    trace::{Access, Fact},
};

use crate::common::*;

fn load(g: &GenScenario) -> Scenario {
    let json = g.to_json();
    match Scenario::from_json(&json.to_string()) {
        Ok(s) => s,
        Err(e) => panic!("generated scenario must load: {e}\n{json:#}"),
    }
}

fn nal_attempts(r: &Resolution) -> Vec<(usize, Access)> {
    r.trace
        .steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s.fact {
            Fact::NalAttempt { access, .. } => Some((i, access)),
            Fact::NalExisting {
                access: Some(access),
                ..
            } => Some((i, access)),
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// USER-NO-EXTRA: the user context never adds a group or a right.
    #[test]
    fn the_user_context_never_adds_a_group_or_right(g in gen_scenario()) {
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            if r.decision.context == Some(Context::User) {
                let token = r.decision.token;
                prop_assert!(token.is_some_and(|t| t.added_rights.is_empty() && t.rule_rights.is_empty() && t.administrators != Membership::AddedForRun));
                prop_assert!(r.decision.grant.is_none());
                prop_assert_eq!(r.decision.account, s.state.logged_on(r.client));
            }
        }
    }

    /// ACCT-CONN-NO-RIGHTS: a connection account never becomes a program's token.
    #[test]
    fn a_connection_account_never_appears_in_a_client_token(g in gen_scenario()) {
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            if let Some(a) = r.decision.account {
                prop_assert_ne!(s.estate.account(a).role, Some(SmsRole::ConnectionAccount));
            }
            if let Some(grant) = r.decision.grant {
                prop_assert_ne!(s.estate.account(grant.account).role, Some(SmsRole::ConnectionAccount));
            }
        }
    }

    /// W9X-USER: Windows 95/98 run only as the logged-on user.
    #[test]
    fn windows_9x_never_runs_as_anyone_but_the_logged_on_user(g in gen_scenario()) {
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            if s.estate.machine(r.client).platform.is_win9x() {
                prop_assert!(matches!(r.decision.context, None | Some(Context::User)));
                if r.decision.outcome == Outcome::Run {
                    prop_assert_eq!(r.decision.account, s.state.logged_on(r.client));
                }
                prop_assert!(r.decision.grant.is_none());
            }
        }
    }

    /// NAL order: nothing after a step that read; nothing after an existing connection
    /// that could not read.
    #[test]
    fn nal_stops_at_the_first_read_and_after_an_existing_connection_that_cannot_read(g in gen_scenario()) {
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            let attempts = nal_attempts(&r);
            if let Some(pos) = attempts.iter().position(|(_, a)| *a == Access::Read) {
                prop_assert_eq!(pos, attempts.len() - 1, "a NAL step came after one that read");
                prop_assert!(r.decision.dp.is_some());
            } else {
                prop_assert!(r.decision.dp.is_none());
            }
            let existing_denied = r.trace.steps.iter().any(|s| matches!(s.fact, Fact::NalExisting { access: Some(Access::Denied), .. }));
            if existing_denied {
                prop_assert_eq!(attempts.len(), 1, "NAL tried something after a reused connection could not read");
                prop_assert!(matches!(r.decision.outcome, Outcome::Fail(_)));
            }
        }
    }

    /// A12: a failure names the one context chosen, no other.
    #[test]
    fn a_failure_never_falls_back_to_another_context(g in gen_scenario()) {
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            let contexts: Vec<Context> = r.trace.steps.iter().filter_map(|s| match s.fact { Fact::Context { context } => Some(context), _ => None }).collect();
            prop_assert!(contexts.len() <= 1);
            prop_assert_eq!(contexts.first().copied(), r.decision.context);
            let accounts = r.trace.steps.iter().filter(|s| matches!(s.fact, Fact::Account { .. })).count();
            prop_assert!(accounts <= 1);
        }
    }

    /// The trace ends in the step that decided, and resolving is deterministic to the
    /// byte.
    #[test]
    fn traces_end_in_their_outcome_and_renderings_are_stable(g in gen_scenario()) {
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            let last = r.trace.steps.last().copied();
            let expected = Fact::Outcome { outcome: r.decision.outcome };
            prop_assert!(last.is_some_and(|l| l.rule == r.decision.decided_by && l.fact == expected), "the last step is the outcome");
            let again = resolve(&s.estate, &s.state, r.advertisement, r.client);
            prop_assert_eq!(&again, &r);
            prop_assert_eq!(render_text(&s.estate, &again), render_text(&s.estate, &r));
            prop_assert_eq!(render_json(&s.estate, &again).to_string(), render_json(&s.estate, &r).to_string());
        }
    }

    /// SVC-TOKEN-DC / SVC-TOKEN-LOCAL: a DC never uses a local token account, a member
    /// never the domain's.
    #[test]
    fn token_accounts_are_domain_on_dcs_and_local_elsewhere(g in gen_scenario()) {
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            if r.decision.context == Some(Context::Service) {
                let Some(account) = r.decision.account else {
                    return Err(TestCaseError::fail("a service context has an account"));
                };
                let a = s.estate.account(account);
                let dc = s.estate.machine(r.client).platform.is_dc();
                prop_assert_eq!(a.role, Some(SmsRole::ClientToken));
                prop_assert_eq!(matches!(a.store, sms_client_accounts::model::Store::Domain(_)), dc);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// "X-TOKEN-UNUSABLE": a locked-out token account stops every service-context run of
    /// its client with status 10003, and never falls back (A12).
    #[test]
    fn a_locked_token_account_stops_the_service_context(g in gen_scenario()) {
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            let token = s.estate.machine(r.client).token_account;
            let locked = token.is_some_and(|t| s.state.status(t).locked_out);
            if r.decision.context == Some(Context::Service) {
                let failed = matches!(r.decision.outcome, Outcome::Fail(f) if f.status == Some(10003) && f.error == Some(1909));
                prop_assert_eq!(locked, failed);
                prop_assert_eq!(locked, r.decision.decided_by == sms_client_accounts::rules::RuleId::XTokenUnusable);
            }
        }
    }

    /// "ACCT-CONN-NO-RIGHTS", "SWIA-NO-STANDING-RIGHTS", "SWIA-REQUIREMENTS": the loader
    /// warns exactly when the article's should-never configurations are there.
    #[test]
    fn should_never_configurations_are_warned_with_their_rule(g in gen_scenario()) {
        use sms_client_accounts::rules::RuleId;
        let s = load(&g);
        let warned = |rule: RuleId| s.warnings.iter().any(|w| w.rule == rule);
        let first_in_corp = g.connection_accounts.first().is_some_and(|c| !c.2);
        prop_assert_eq!(warned(RuleId::AcctConnNoRights), g.misconfig[0] && first_in_corp);
        prop_assert_eq!(warned(RuleId::SwiaNoStandingRights), g.misconfig[1] && g.swia_domain_trusted);
        // The generator's untrusted account (FAR) is also the one without read on the
        // package: either is a SWIA-REQUIREMENTS warning for every program that uses it.
        let advertised = s.estate.advertisements().iter().any(|a| s.estate.program(a.program).use_software_installation_account);
        prop_assert_eq!(warned(RuleId::SwiaRequirements), advertised && !g.swia_domain_trusted);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// "X-SWIA-STANDING": a Software Installation account that is already a member of the
    /// client's Administrators keeps that standing membership; the grant adds no group
    /// and the removal takes none away. Any other run adds the membership for the run.
    #[test]
    fn a_standing_software_installation_account_gains_and_loses_no_group(g in gen_scenario()) {
        use sms_client_accounts::trace::Fact;
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            let Some(grant) = r.decision.grant else { continue };
            let admins = s.estate.administrators_of(r.client);
            let standing = admins.is_some_and(|a| s.estate.is_in(grant.account, a));
            prop_assert_eq!(grant.group.is_none(), standing);
            let token = r.decision.token.map(|t| t.administrators);
            prop_assert_eq!(token, Some(if standing { Membership::Standing } else { Membership::AddedForRun }));
            let revoked = r.trace.steps.iter().find_map(|st| match st.fact { Fact::Revoke { grant } => Some(grant), _ => None });
            prop_assert_eq!(revoked, Some(grant));
        }
    }
}

/// Fail closed by construction: a resolution has exactly one outcome step, the last,
/// naming the rule that decided; a run has chosen a context with that same rule, a
/// launcher, an account, a token and a DP connection, and its trace holds no failure.
pub fn assert_closed(r: &Resolution) {
    use sms_client_accounts::rules::RuleId;
    let steps = &r.trace.steps;
    let outcomes: Vec<usize> = (0..steps.len())
        .filter(|&i| matches!(steps[i].fact, Fact::Outcome { .. }))
        .collect();
    assert_eq!(
        outcomes,
        vec![steps.len() - 1],
        "one outcome step, the last: {r:?}"
    );
    let last = steps[steps.len() - 1];
    assert_eq!(
        last.fact,
        Fact::Outcome {
            outcome: r.decision.outcome
        }
    );
    assert_eq!(last.rule, r.decision.decided_by, "{r:?}");
    if r.decision.outcome == Outcome::Run {
        let context_rules = [
            RuleId::NtUserFirst,
            RuleId::NtServiceFallback,
            RuleId::A2,
            RuleId::A11,
            RuleId::W9x,
            RuleId::SwiaPerProgram,
            RuleId::CmUser,
            RuleId::XCmLocalSystem,
        ];
        assert!(context_rules.contains(&last.rule), "{r:?}");
        let context_step = steps
            .iter()
            .find(|s| matches!(s.fact, Fact::Context { .. }))
            .expect("a run chose a context");
        assert_eq!(context_step.rule, last.rule);
        assert_eq!(
            context_step.fact,
            Fact::Context {
                context: r.decision.context.expect("a run has a context")
            }
        );
        let d = &r.decision;
        // Local System is no account of the estate (X-CM-LOCAL-SYSTEM).
        assert!(
            d.launcher.is_some()
                && (d.account.is_some() || d.context == Some(Context::LocalSystem))
                && d.token.is_some(),
            "{r:?}"
        );
        assert!(
            d.dp.is_some(),
            "a run reached the distribution point: {r:?}"
        );
        assert!(
            !steps
                .iter()
                .any(|s| matches!(s.fact, Fact::WindowsError { .. })),
            "{r:?}"
        );
    }
}

#[test]
fn every_row_of_the_decision_table_is_closed() {
    let mut runs = 0;
    let rows = sms_client_accounts::table::for_each_row(|_, _, _, r| {
        assert_closed(r);
        runs += usize::from(r.decision.outcome == Outcome::Run);
    });
    // Both kinds are there: the check sees runs and non-runs.
    assert!(runs > 0 && runs < rows, "{runs} of {rows}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Fail closed over generated scenarios.
    #[test]
    fn every_generated_resolution_is_closed(g in gen_scenario()) {
        let s = load(&g);
        for r in resolve_all(&s.estate, &s.state) {
            assert_closed(&r);
        }
    }
}

/// The decision's vocabulary prints in the words of the text trace (its `Display`):
/// the words a reader of the article finds there.
#[test]
fn the_decisions_words_are_the_text_traces() {
    use sms_client_accounts::decision::{AuthFailure, Launcher, Via};
    assert_eq!(Launcher::Pea32.to_string(), "Pea32.exe");
    assert_eq!(Launcher::Smsapm32.to_string(), "Smsapm32.exe");
    assert_eq!(Context::Service.to_string(), "service context");
    assert_eq!(
        Via::ConnectionAccount(1).to_string(),
        "connection account #2"
    );
    assert_eq!(Membership::AddedForRun.to_string(), "added for this run");
    for failure in [
        AuthFailure::UnknownAccount,
        AuthFailure::UntrustedDomain,
        AuthFailure::Disabled,
        AuthFailure::LockedOut,
        AuthFailure::StalePassword,
        AuthFailure::ServerDown,
        AuthFailure::LocalAccount {
            bad_password_at_server: true,
        },
    ] {
        assert_eq!(failure.to_string(), failure.describe());
        assert!(!failure.to_string().is_empty());
    }
    assert_eq!(AuthFailure::Disabled.to_string(), "the account is disabled");
    // Every word printed for a demo decision is the Display of its part.
    let s = Scenario::from_json(sms_client_accounts::scenario::DEMO).unwrap();
    for r in resolve_all(&s.estate, &s.state) {
        let text = render_text(&s.estate, &r);
        assert!(text.contains(&format!("outcome: {}", r.decision.outcome)));
        if let Some(l) = r.decision.launcher {
            assert!(text.contains(&format!("launcher: {l}")));
        }
        if let Some(c) = r.decision.context {
            assert!(text.contains(&format!("context: {c}")));
        }
    }
    use sms_client_accounts::exposure::{Exposure, FindingKind, Severity};
    assert_eq!(Severity::High.to_string(), "high");
    assert_eq!(
        FindingKind::DcTokenAccountShared.to_string(),
        "dc-token-account-shared"
    );
    let x = Exposure::build(&s.estate, &s.state);
    let text =
        sms_client_accounts::exposure::export::findings_text(&s.estate, &x, &x.findings(&s.estate));
    for f in x.findings(&s.estate) {
        assert!(text.contains(&format!("[{}] {} ({})", f.severity, f.kind, f.rule)));
    }
}
