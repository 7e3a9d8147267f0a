//! The in-memory state API against the loader: every impossible state an invalid fixture
//! writes in its `state`, built change by change through `State`'s public mutators, is
//! refused with the loader's words, at the loader's place, with the rule it breaks; and a
//! state reached by legal changes stays legal.

use serde_json::Value;
use sms_client_accounts::model::*;
use sms_client_accounts::rules::RuleId;
use sms_client_accounts::scenario::raw::RawSession;
use sms_client_accounts::{LoadError, Scenario};

use crate::common::{json_files, root, stem};

/// Replays the `state` of `doc` on the scenario without it, through the public API, in
/// the loader's order; returns every refusal as (path, rule, message).
fn replay(doc: &Value) -> Vec<(String, RuleId, String)> {
    let mut base = doc.clone();
    base["state"] = Value::Object(Default::default());
    // The shares the connections name are made as the file names them: name them in
    // resources instead.
    let mut resources = base["resources"].as_array().cloned().unwrap_or_default();
    for (i, c) in doc["state"]["connections"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let path = c["path"].as_str().unwrap_or_default();
        if path.trim_start_matches('\\').contains('\\') {
            resources
                .push(serde_json::json!({"name": format!("replay{i}"), "path": path, "read": []}));
        }
    }
    base["resources"] = Value::Array(resources);
    let scenario = Scenario::from_json(&base.to_string()).unwrap();
    let e = &scenario.estate;
    let raw: sms_client_accounts::scenario::raw::RawState =
        serde_json::from_value(doc["state"].clone()).unwrap();
    let mut state = scenario.state.clone();
    let mut out = Vec::new();
    let field = |part: Part| match part {
        Part::Client => "client",
        Part::User => "user",
        Part::Session => "session",
        Part::Credential => "as",
        Part::Path => "path",
        Part::Drive => "drive",
        Part::Account => "account",
        Part::Domain => "domain",
    };
    let mut refused = |path: String, r: Result<(), StateError>| {
        if let Err(err) = r {
            out.push((format!("{path}.{}", field(err.part)), err.rule, err.message));
        }
    };
    for (i, logon) in raw.logons.iter().enumerate() {
        let client = e.machine_by_name(&logon.client).unwrap();
        let user = e.account_by_name(&logon.user).unwrap();
        refused(format!("state.logons[{i}]"), state.log_on(e, client, user));
    }
    for (i, c) in raw.connections.iter().enumerate() {
        let client = e.machine_by_name(&c.client).unwrap();
        let rest = c.path.strip_prefix("\\\\").unwrap();
        let (server, share) = match rest.split_once('\\') {
            Some((server, _)) => (server, e.share_by_path(&c.path)),
            None => (rest, None),
        };
        let connection = Connection {
            server: e.machine_by_name(server).unwrap(),
            share,
            device: match c.drive.as_deref() {
                None => Device::DeviceLess,
                Some(d) => Device::Drive(d.chars().next().unwrap().to_ascii_uppercase()),
            },
            credential: e.account_by_name(&c.credential).unwrap(),
        };
        let kind = match c.session {
            RawSession::Interactive => SessionKind::Interactive,
            RawSession::Service => SessionKind::Service,
        };
        refused(
            format!("state.connections[{i}]"),
            state.connect(e, client, kind, connection),
        );
    }
    for (i, s) in raw.stale_passwords.iter().enumerate() {
        let client = e.machine_by_name(&s.client).unwrap();
        let account = e.account_by_name(&s.account).unwrap();
        refused(
            format!("state.stale_passwords[{i}]"),
            state.set_stale(e, client, account, true),
        );
    }
    out.sort();
    out
}

/// The problems the loader reports for `text`, as (path, message).
fn loader_problems(text: &str) -> Option<Vec<(String, String)>> {
    match Scenario::from_json(text) {
        Err(LoadError::Invalid(problems)) => {
            let mut out: Vec<(String, String)> =
                problems.into_iter().map(|p| (p.path, p.message)).collect();
            out.sort();
            Some(out)
        }
        _ => None,
    }
}

#[test]
fn the_api_refuses_every_impossible_state_of_the_invalid_fixtures_in_the_loaders_words() {
    let mut checked = 0;
    for path in json_files(&root().join("fixtures/invalid")) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(doc) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        let Some(problems) = loader_problems(&text) else {
            continue;
        };
        // Only the fixtures whose every problem is one of the state's.
        if problems.is_empty() || !problems.iter().all(|(p, _)| p.starts_with("state.")) {
            continue;
        }
        let refused = replay(&doc);
        let without_rules: Vec<(String, String)> = refused
            .iter()
            .map(|(p, _, m)| (p.clone(), m.clone()))
            .collect();
        assert_eq!(without_rules, problems, "{}", stem(&path));
        checked += 1;
    }
    assert!(checked >= 6, "the state fixtures are there ({checked})");
}

#[test]
fn each_impossible_change_names_the_rule_it_breaks() {
    let expected = [
        ("connection-untrusted-credential", vec![RuleId::A10]),
        ("credential-conflict", vec![RuleId::D4]),
        ("impossible-drives", vec![RuleId::A7, RuleId::A7]),
        ("logon-untrusted-domain", vec![RuleId::A9]),
        ("win9x-connection-as-another-user", vec![RuleId::W9x]),
        (
            "impossible-state",
            // In path order: connections, logons, stale passwords.
            vec![
                RuleId::A11,         // an interactive connection with nobody logged on
                RuleId::W9x,         // a service session on Windows 95
                RuleId::SvcSmsapm32, // a service session on an NT machine without SMS
                RuleId::A10,         // a group as credentials
                RuleId::A10,         // a Windows 95 server
                RuleId::A10,         // a local account to another machine
                RuleId::A10,         // a group logged on
                RuleId::A10,         // a local account at another machine
                RuleId::A10,         // a domain account at a machine of no domain
                RuleId::A11,         // a second interactive user
                RuleId::A16,         // a stale password a client is never sent
            ],
        ),
    ];
    for (name, rules) in expected {
        let text =
            std::fs::read_to_string(root().join(format!("fixtures/invalid/{name}.json"))).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        let got: Vec<RuleId> = replay(&doc).into_iter().map(|(_, r, _)| r).collect();
        assert_eq!(got, rules, "{name}");
    }
}

/// The `trusts-and-lockout` estate with its state, and the ids of its names.
fn trusting_estate() -> Scenario {
    let path = root().join("fixtures/scenarios/trusts-and-lockout.json");
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn removing_a_trust_keeps_the_logons_and_connections_made_across_it() {
    let s = trusting_estate();
    let e = &s.estate;
    let mut state = s.state.clone();
    // MID trusts CORP: CORP\alice logs on at MIDWKS and connects to it.
    let (trusting, trusted) = (
        e.domain_by_name("MID").unwrap(),
        e.domain_by_name("corp").unwrap(),
    );
    assert!(state.trusts(trusting, trusted));
    let client = e.machine_by_name("MIDWKS").unwrap();
    let server = client;
    let user = e.account_by_name("CORP\\alice").unwrap();
    state.log_off(client);
    state.log_on(e, client, user).unwrap();
    let connection = Connection {
        server,
        share: None,
        device: Device::DeviceLess,
        credential: user,
    };
    state
        .connect(e, client, SessionKind::Interactive, connection)
        .unwrap();
    state.set_trust(e, trusting, trusted, false).unwrap();
    assert_eq!(state.logged_on(client), Some(user));
    assert_eq!(
        state.session(client, SessionKind::Interactive),
        vec![connection]
    );
    // The same changes are refused now that the trust is gone.
    state.log_off(client);
    let err = state.log_on(e, client, user).unwrap_err();
    assert_eq!(err.rule, RuleId::A9);
    assert_eq!(err.part, Part::User);
}

#[test]
fn a_domain_cannot_trust_itself_and_only_the_software_installation_account_is_granted() {
    let s = trusting_estate();
    let e = &s.estate;
    let mut state = s.state.clone();
    let d = e.domain_by_name(&e.domains()[0].name).unwrap();
    let err = state.set_trust(e, d, d, true).unwrap_err();
    assert_eq!(err.rule, RuleId::A9);
    assert_eq!(
        err.message,
        format!("domain `{}` cannot trust itself", e.domains()[0].name)
    );
    assert!(state.set_trust(e, d, d, false).is_ok());
    let client = e
        .machine_ids()
        .find(|&m| e.machine(m).sms_client && e.machine(m).platform.is_nt())
        .unwrap();
    let not_swia = e
        .account_ids()
        .find(|&a| Some(a) != e.site().software_installation_account)
        .unwrap();
    assert_eq!(
        state.set_grant(e, client, not_swia, true).unwrap_err().rule,
        RuleId::SwiaGrant
    );
    assert!(state.set_grant(e, client, not_swia, false).is_ok());
    if let Some(swia) = e.site().software_installation_account {
        state.set_grant(e, client, swia, true).unwrap();
        assert!(state.grants().any(|g| g == (client, swia)));
    }
}

/// One change of the public `State` API, with indices taken modulo the estate's sizes.
#[derive(Debug, Clone)]
enum Change {
    LogOn(usize, usize),
    LogOff(usize),
    Connect {
        client: usize,
        service: bool,
        share: Option<usize>,
        server: usize,
        drive: Option<u8>,
        credential: usize,
    },
    Trust(usize, usize, bool),
    Stale(usize, usize, bool),
    /// An account's status: enabled, locked out, and bad passwords if given.
    Status(usize, bool, bool, Option<u8>),
    Available(usize, bool),
    Grant(usize, usize, bool),
    Disconnect(usize, bool, usize),
}

fn change() -> impl proptest::strategy::Strategy<Value = Change> {
    use proptest::prelude::*;
    let n = 0usize..64;
    prop_oneof![
        (n.clone(), n.clone()).prop_map(|(c, u)| Change::LogOn(c, u)),
        n.clone().prop_map(Change::LogOff),
        (
            n.clone(),
            any::<bool>(),
            proptest::option::of(n.clone()),
            n.clone(),
            proptest::option::of(0u8..4),
            n.clone()
        )
            .prop_map(|(client, service, share, server, drive, credential)| {
                Change::Connect {
                    client,
                    service,
                    share,
                    server,
                    drive,
                    credential,
                }
            }),
        (n.clone(), n.clone(), any::<bool>()).prop_map(|(a, b, on)| Change::Trust(a, b, on)),
        (n.clone(), n.clone(), any::<bool>()).prop_map(|(c, a, on)| Change::Stale(c, a, on)),
        (
            n.clone(),
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(any::<u8>())
        )
            .prop_map(|(a, e, l, b)| Change::Status(a, e, l, b)),
        (n.clone(), any::<bool>()).prop_map(|(m, on)| Change::Available(m, on)),
        (n.clone(), n.clone(), any::<bool>()).prop_map(|(m, a, on)| Change::Grant(m, a, on)),
        (n.clone(), any::<bool>(), n).prop_map(|(c, s, m)| Change::Disconnect(c, s, m)),
    ]
}

/// Applies `change` through the public API; `Err` when the API refused it.
fn apply(e: &Estate, state: &mut State, change: &Change) -> Result<(), StateError> {
    let m = |i: usize| e.machine_ids().nth(i % e.machines().len()).unwrap();
    let a = |i: usize| e.account_ids().nth(i % e.accounts().len()).unwrap();
    let d = |i: usize| e.domain_ids().nth(i % e.domains().len()).unwrap();
    match *change {
        Change::LogOn(c, u) => state.log_on(e, m(c), a(u)),
        Change::LogOff(c) => {
            state.log_off(m(c));
            Ok(())
        }
        Change::Connect {
            client,
            service,
            share,
            server,
            drive,
            credential,
        } => {
            let share = share
                .filter(|_| !e.shares().is_empty())
                .map(|i| e.share_ids().nth(i % e.shares().len()).unwrap());
            let connection = Connection {
                server: share.map_or(m(server), |s| e.share(s).server),
                share,
                device: drive.map_or(Device::DeviceLess, |k| Device::Drive((b'P' + k) as char)),
                credential: a(credential),
            };
            let kind = if service {
                SessionKind::Service
            } else {
                SessionKind::Interactive
            };
            state.connect(e, m(client), kind, connection)
        }
        Change::Trust(x, y, on) => state.set_trust(e, d(x), d(y), on),
        Change::Stale(c, x, on) => state.set_stale(e, m(c), a(x), on),
        Change::Status(x, enabled, locked_out, bad) => {
            let before = state.status(a(x));
            let status = AccountStatus {
                enabled,
                locked_out,
                bad_passwords: bad.unwrap_or(before.bad_passwords),
            };
            state.set_status(a(x), status);
            Ok(())
        }
        Change::Available(x, on) => {
            state.set_available(m(x), on);
            Ok(())
        }
        Change::Grant(x, y, on) => state.set_grant(e, m(x), a(y), on),
        Change::Disconnect(c, service, server) => {
            let kind = if service {
                SessionKind::Service
            } else {
                SessionKind::Interactive
            };
            state.disconnect_where(m(c), kind, |x| x.server == m(server));
            Ok(())
        }
    }
}

/// Puts `item` in the sorted `list` or takes it out.
fn set<T: Ord + Copy>(list: &mut Vec<T>, item: T, on: bool) {
    list.retain(|x| *x != item);
    if on {
        list.push(item);
        list.sort();
    }
}

/// What a state says, read through its getters only, kept in plain collections: the
/// model the packed [`State`] must agree with.
#[derive(Debug, Clone, PartialEq)]
struct Model {
    users: Vec<Option<AccountId>>,
    sessions: Vec<[Vec<Connection>; 2]>,
    status: Vec<AccountStatus>,
    trusts: Vec<(DomainId, DomainId)>,
    stale: Vec<(MachineId, AccountId)>,
    available: Vec<bool>,
    grants: Vec<(MachineId, AccountId)>,
}

impl Model {
    fn of(e: &Estate, state: &State) -> Model {
        let kinds = [SessionKind::Interactive, SessionKind::Service];
        Model {
            users: e.machine_ids().map(|m| state.logged_on(m)).collect(),
            sessions: e
                .machine_ids()
                .map(|m| kinds.map(|k| state.session(m, k).to_vec()))
                .collect(),
            status: e.account_ids().map(|a| state.status(a)).collect(),
            trusts: e
                .domain_ids()
                .flat_map(|x| e.domain_ids().map(move |y| (x, y)))
                .filter(|&(x, y)| state.trusts(x, y))
                .collect(),
            stale: e
                .machine_ids()
                .flat_map(|m| e.account_ids().map(move |a| (m, a)))
                .filter(|&(m, a)| state.is_stale(m, a))
                .collect(),
            available: e.machine_ids().map(|m| state.is_available(m)).collect(),
            grants: state.grants().collect(),
        }
    }

    /// The change as the model makes it, had the API accepted it.
    fn apply(&mut self, e: &Estate, change: &Change) {
        let m = |i: usize| i % e.machines().len();
        let a = |i: usize| e.account_ids().nth(i % e.accounts().len()).unwrap();
        let d = |i: usize| e.domain_ids().nth(i % e.domains().len()).unwrap();
        match *change {
            Change::LogOn(c, u) => {
                self.users[m(c)] = Some(a(u));
                self.sessions[m(c)][0].clear();
            }
            Change::LogOff(c) => {
                self.users[m(c)] = None;
                self.sessions[m(c)][0].clear();
            }
            Change::Connect {
                client,
                service,
                share,
                server,
                drive,
                credential,
            } => {
                let share = share
                    .filter(|_| !e.shares().is_empty())
                    .map(|i| e.share_ids().nth(i % e.shares().len()).unwrap());
                let server = e.machine_ids().nth(m(server)).unwrap();
                self.sessions[m(client)][usize::from(service)].push(Connection {
                    server: share.map_or(server, |s| e.share(s).server),
                    share,
                    device: drive.map_or(Device::DeviceLess, |k| Device::Drive((b'P' + k) as char)),
                    credential: a(credential),
                });
            }
            Change::Trust(x, y, on) => set(&mut self.trusts, (d(x), d(y)), on),
            Change::Stale(c, x, on) => {
                let c = e.machine_ids().nth(m(c)).unwrap();
                set(&mut self.stale, (c, a(x)), on)
            }
            Change::Status(x, enabled, locked_out, bad) => {
                let s = &mut self.status[a(x).index()];
                s.enabled = enabled;
                s.locked_out = locked_out;
                if let Some(bad) = bad {
                    s.bad_passwords = bad;
                }
            }
            Change::Available(x, on) => self.available[m(x)] = on,
            Change::Grant(x, y, on) => {
                let x = e.machine_ids().nth(m(x)).unwrap();
                set(&mut self.grants, (x, a(y)), on)
            }
            Change::Disconnect(c, service, server) => {
                let server = e.machine_ids().nth(m(server)).unwrap();
                self.sessions[m(c)][usize::from(service)].retain(|x| x.server != server);
            }
        }
    }
}

/// The scenario fixture at `n` (modulo their count), loaded.
fn nth_fixture(n: usize) -> Scenario {
    let files = crate::common::scenario_files();
    let path = &files[n % files.len()];
    Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// Fail closed over every state the in-memory API can build: from each fixture's
    /// state, any sequence of changes (the refused ones change nothing), then every
    /// advertisement on every target has one outcome step, the last, naming its rule.
    #[test]
    fn every_state_the_api_builds_resolves_closed(
        fixture in 0usize..64,
        changes in proptest::collection::vec(change(), 0..24),
    ) {
        let s = nth_fixture(fixture);
        let e = &s.estate;
        let mut state = s.state.clone();
        for c in &changes {
            let before = state.clone();
            if apply(e, &mut state, c).is_err() {
                proptest::prop_assert_eq!(&state, &before, "a refused change changed the state");
            }
        }
        let bound = sms_client_accounts::engine::Bound::new(e, &state).unwrap();
        for r in bound.resolve_all() {
            crate::engine::assert_closed(&r);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, ..Default::default() })]

    /// The state is packed (a word or half a word for each machine and account, a bit
    /// for each trust, sessions only where there are connections): after any sequence
    /// of changes the API accepts, every getter says what a model in plain collections
    /// says; a state rebuilt from the model's logons and connections in another order
    /// is equal to it; and equality sees every difference the getters see.
    #[test]
    fn the_packed_state_agrees_with_a_model_of_its_changes(
        fixture in 0usize..64,
        changes in proptest::collection::vec(change(), 0..32),
    ) {
        let s = nth_fixture(fixture);
        let e = &s.estate;
        let mut state = s.state.clone();
        let mut model = Model::of(e, &state);
        for c in &changes {
            let before = state.clone();
            if apply(e, &mut state, c).is_ok() {
                model.apply(e, c);
            }
            proptest::prop_assert_eq!(&Model::of(e, &state), &model, "after {:?}", c);
            proptest::prop_assert_eq!(&state.trust_pairs().collect::<Vec<_>>(), &model.trusts);
            proptest::prop_assert_eq!(&state.stale_pairs().collect::<Vec<_>>(), &model.stale);
            proptest::prop_assert_eq!(
                state == before,
                Model::of(e, &before) == model,
                "equality disagrees with the getters after {:?}", c
            );
        }
        // The same state made afresh from the model, the connections client by client
        // from the last machine back (so its sessions are kept in another order): equal,
        // when every change of the remaking is accepted (a logon across a trust removed
        // since is not, and rightly).
        let mut fresh = State::new(e);
        let machines: Vec<MachineId> = e.machine_ids().collect();
        let mut accepted = true;
        let mut take = |r: Result<(), StateError>| accepted &= r.is_ok();
        for &(x, y) in &model.trusts {
            take(fresh.set_trust(e, x, y, true));
        }
        for (a, &status) in e.account_ids().zip(&model.status) {
            fresh.set_status(a, status);
        }
        for (i, &m) in machines.iter().enumerate() {
            if let Some(u) = model.users[i] {
                take(fresh.log_on(e, m, u));
            }
            fresh.set_available(m, model.available[i]);
        }
        for &(m, a) in &model.stale {
            take(fresh.set_stale(e, m, a, true));
        }
        for &(m, a) in &model.grants {
            take(fresh.set_grant(e, m, a, true));
        }
        for (i, &m) in machines.iter().enumerate().rev() {
            for (k, kind) in [SessionKind::Interactive, SessionKind::Service].into_iter().enumerate() {
                for &c in &model.sessions[i][k] {
                    take(fresh.connect(e, m, kind, c));
                }
            }
        }
        if accepted {
            proptest::prop_assert_eq!(&Model::of(e, &fresh), &model);
            proptest::prop_assert_eq!(&fresh, &state, "a state is its contents, not where they are kept");
        }
    }
}

#[test]
fn a_state_pairs_with_its_estate_and_not_with_another() {
    use sms_client_accounts::engine::Bound;
    let load = |name: &str| {
        let path = root().join(format!("fixtures/scenarios/{name}.json"));
        Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let (a, b) = (load("demo"), load("exposure-estate"));
    assert!(Bound::new(&a.estate, &a.state).is_ok());
    // Loaded twice, an estate is the same; one with other assumptions keeps its pairing.
    assert!(Bound::new(&load("demo").estate, &a.state).is_ok());
    // Two fixtures that differ in their assumptions only describe one estate.
    let (t, s) = (
        load("administrators-membership-transient"),
        load("administrators-membership-access"),
    );
    assert!(Bound::new(&t.estate, &s.state).is_ok());
    let derived = a.estate.with_assumptions(Default::default());
    assert!(Bound::new(&derived, &a.state).is_ok());
    let err = Bound::new(&b.estate, &a.state).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the state was made for another estate: it expects ")
    );
    assert_ne!(err.expected, err.found, "{err}");
    // The handle answers as the free functions do.
    let bound = Bound::new(&a.estate, &a.state).unwrap();
    assert_eq!(
        bound.resolve_all(),
        sms_client_accounts::engine::resolve_all(&a.estate, &a.state)
    );
}

/// Trusts are bits packed 32 to a word: with eight domains (64 pairs, two words) every
/// pair is its own bit, set and cleared alone, and `trust_pairs` lists exactly the pairs
/// set, in (trusting, trusted) order.
#[test]
fn every_trust_pair_is_its_own_bit_past_the_first_word() {
    let domains: Vec<serde_json::Value> = (0..8)
        .map(|i| serde_json::json!({"name": format!("D{i}"), "users": [format!("u{i}")]}))
        .collect();
    let doc = serde_json::json!({
        "schema_version": 1,
        "domains": domains,
        "machines": [{"name": "SMS1", "platform": "nt4_server", "domain": "D0", "sms_client": false}],
        "site": {"code": "ABC", "domain": "D0", "distribution_points": ["\\\\SMS1\\PKG"]},
    });
    let s = Scenario::from_json(&doc.to_string()).unwrap();
    let e = &s.estate;
    let ids: Vec<DomainId> = e.domain_ids().collect();
    let mut state = s.state.clone();
    let mut on: Vec<(DomainId, DomainId)> = Vec::new();
    // Every third pair of distinct domains, then each of them off and on again alone.
    for (k, (&x, &y)) in ids
        .iter()
        .flat_map(|x| ids.iter().map(move |y| (x, y)))
        .filter(|(x, y)| x != y)
        .enumerate()
    {
        if k % 3 == 0 {
            state.set_trust(e, x, y, true).unwrap();
            on.push((x, y));
        }
    }
    assert_eq!(state.trust_pairs().collect::<Vec<_>>(), on);
    for &(x, y) in &on {
        state.set_trust(e, x, y, false).unwrap();
        let others: Vec<_> = on.iter().copied().filter(|&p| p != (x, y)).collect();
        assert_eq!(
            state.trust_pairs().collect::<Vec<_>>(),
            others,
            "{x:?} {y:?} off"
        );
        for &x2 in &ids {
            for &y2 in &ids {
                assert_eq!(state.trusts(x2, y2), others.contains(&(x2, y2)));
            }
        }
        state.set_trust(e, x, y, true).unwrap();
    }
    assert!(
        on.iter().any(|&(x, y)| x.index() * 8 + y.index() >= 32),
        "the second word is used"
    );
    // The trusts' bits are apart from the accounts' statuses.
    for a in e.account_ids() {
        assert_eq!(state.status(a), AccountStatus::default(), "{a:?}");
    }
}

/// Statuses are half-words packed two to a word: each account's is set and replaced
/// alone, every field of it, whatever its neighbour's.
#[test]
fn each_account_status_is_set_and_replaced_alone() {
    let path = root().join("fixtures/scenarios/demo.json");
    let s = Scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let e = &s.estate;
    let mut state = s.state.clone();
    let odd = AccountStatus {
        enabled: false,
        locked_out: true,
        bad_passwords: 201,
    };
    let accounts: Vec<AccountId> = e.account_ids().collect();
    for (i, &a) in accounts.iter().enumerate() {
        let before: Vec<AccountStatus> = accounts.iter().map(|&b| state.status(b)).collect();
        let mine = AccountStatus {
            bad_passwords: i as u8,
            ..odd
        };
        state.set_status(a, mine);
        assert_eq!(state.status(a), mine);
        state.set_status(a, AccountStatus::default());
        assert_eq!(
            state.status(a),
            AccountStatus::default(),
            "replaced, not merged"
        );
        state.set_status(a, mine);
        for (j, &b) in accounts.iter().enumerate() {
            if j != i {
                assert_eq!(state.status(b), before[j], "{b:?} unchanged by {a:?}'s");
            }
        }
    }
}
