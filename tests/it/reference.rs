//! A second, deliberately naive transcription of the rules, written from Q224286 and the
//! domain notes without the engine: one straight-line function over the public model.
//! The differential tests (`table`, and the property test below) check that the engine
//! and this reference agree on the outcome, launcher, context, account and DP credential.

use proptest::prelude::*;
use sms_client_accounts::Scenario;
use sms_client_accounts::engine::{Context, Launcher, Outcome, Resolution, resolve_all};
use sms_client_accounts::model::*;

use crate::common::*;

/// What the reference decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefOutcome {
    Run,
    WaitForLogon,
    WaitForNoUser,
    Never,
    Fail(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefDecision {
    pub outcome: RefOutcome,
    pub launcher: Option<Launcher>,
    pub context: Option<Context>,
    pub account: Option<AccountId>,
    pub dp_credential: Option<AccountId>,
}

impl RefDecision {
    /// The engine's decision, in the reference's terms.
    pub fn of(r: &Resolution) -> RefDecision {
        use sms_client_accounts::engine::Wait;
        RefDecision {
            outcome: match r.decision.outcome {
                Outcome::Run => RefOutcome::Run,
                Outcome::Wait(Wait::ForLogon) => RefOutcome::WaitForLogon,
                Outcome::Wait(Wait::ForNoUser) => RefOutcome::WaitForNoUser,
                Outcome::Never => RefOutcome::Never,
                Outcome::Fail(f) => RefOutcome::Fail(f.error.unwrap_or(0)),
            },
            launcher: r.decision.launcher,
            context: r.decision.context,
            account: r.decision.account,
            dp_credential: r.decision.dp.and_then(|d| d.credential),
        }
    }
}

fn done(outcome: RefOutcome) -> RefDecision {
    RefDecision {
        outcome,
        launcher: None,
        context: None,
        account: None,
        dp_credential: None,
    }
}

/// `who` is `group`, or in it, or in a global group in it (naively, by names' ids).
fn member(e: &Estate, who: AccountId, group: AccountId) -> bool {
    if who == group {
        return true;
    }
    let g = e.account(group);
    g.members.iter().any(|&m| {
        m == who
            || (e.account(m).kind == AccountKind::GlobalGroup
                && e.account(m).members.contains(&who))
    })
}

/// Read on an access list, counting the client token account's standing
/// Administrators membership (SVC-TOKEN-RIGHTS; the domain's group for the DC token).
fn can_read(e: &Estate, who: AccountId, acl: &[AccountId]) -> bool {
    let a = e.account(who);
    let by_rule = match (a.role, a.store) {
        (Some(SmsRole::ClientToken), Store::Domain(d)) => Some(e.domain(d).administrators),
        (Some(SmsRole::ClientToken), Store::Local(m))
            if e.assumptions().token_admin_membership == TokenAdminMembership::Standing =>
        {
            e.machine(m).administrators
        }
        _ => None,
    };
    acl.iter().any(|&g| member(e, who, g) || by_rule == Some(g))
}

/// A10 with A9 and A16: the Windows error when `who`, sent from `client`, does not log on
/// at `server`; 0 when it does.
fn logon_error(e: &Estate, s: &State, client: MachineId, who: AccountId, server: MachineId) -> u32 {
    let accepted = match e.account(who).store {
        Store::Local(home) => home == server,
        Store::Domain(d) => match e.machine(server).domain {
            Some(sd) => sd == d || s.trusts(sd, d),
            None => false,
        },
    };
    let st = s.status(who);
    if !accepted {
        1326
    } else if !st.enabled {
        1331
    } else if st.locked_out {
        1909
    } else if s.is_stale(client, who) {
        1326
    } else {
        0
    }
}

/// The reference of a Configuration Manager client, written from the sources the `CM-`
/// rules cite, as naively: the run mode and "program can run" give the user or Local
/// System (packages-and-programs.md, the 2007 flowchart); the content comes as the
/// computer account, then the site token, then each network access account, then
/// anonymously (accounts.md, enhanced-http.md, `X-CM-CONTENT-ORDER`).
fn configmgr_reference(
    e: &Estate,
    s: &State,
    ad: AdvertisementId,
    client: MachineId,
) -> RefDecision {
    let m = e.machine(client);
    let p = e.program(e.advertisement(ad).program);
    let user = s.logged_on(client);
    let context = match (p.run_mode, p.can_run, user) {
        (RunMode::UserRights, _, None) => return done(RefOutcome::WaitForLogon),
        (RunMode::UserRights, _, Some(_)) => Context::User,
        (_, CanRun::OnlyWhenUserLoggedOn, None) => return done(RefOutcome::WaitForLogon),
        (_, CanRun::OnlyWhenNoUserLoggedOn, Some(_)) => return done(RefOutcome::WaitForNoUser),
        _ => Context::LocalSystem,
    };
    let mut d = RefDecision {
        outcome: RefOutcome::Run,
        launcher: Some(Launcher::CcmExec),
        context: Some(context),
        // A network access account is never the program's account.
        account: if context == Context::User { user } else { None },
        dp_credential: None,
    };
    let package = e.package(e.program(e.advertisement(ad).program).package);
    let Some(copy) = package
        .copies
        .iter()
        .find(|c| s.is_available(e.share(c.share).server))
    else {
        d.outcome = RefOutcome::Fail(53);
        return d;
    };
    let server = e.share(copy.share).server;
    let cm = &e.site().configmgr;
    let mut last = 5;
    // accounts.md: an account the DP denies "Access this computer from the network"
    // does not connect (1385); a copy with no read list of its own is read by the DP's
    // local Users, everyone who logs on there ("Package access account").
    let denied = |who: AccountId| e.network_logon_denied(server).any(|g| member(e, who, g));
    let mut reads = |who: AccountId| {
        let error = logon_error(e, s, client, who, server);
        last = if error != 0 {
            error
        } else if denied(who) {
            1385
        } else if copy.users_by_default || copy.read.iter().any(|&g| member(e, who, g)) {
            return true;
        } else {
            5
        };
        false
    };
    if let Some(computer) = m.computer_account
        && reads(computer)
    {
        d.dp_credential = Some(computer);
        return d;
    }
    if cm.enhanced_http || cm.https_only {
        return d;
    }
    for &naa in &cm.network_access_accounts {
        if reads(naa) {
            d.dp_credential = Some(naa);
            return d;
        }
    }
    if !cm.anonymous_distribution_points.contains(&copy.share) {
        d.outcome = RefOutcome::Fail(last);
    }
    d
}

/// The reference decision for `ad` on `client`.
pub fn reference(e: &Estate, s: &State, ad: AdvertisementId, client: MachineId) -> RefDecision {
    if e.site().product == Product::ConfigMgr {
        return configmgr_reference(e, s, ad, client);
    }
    let m = e.machine(client);
    let p = e.program(e.advertisement(ad).program);
    let a = e.assumptions();
    let user = s.logged_on(client);
    let admin_program = p.run_mode == RunMode::AdministrativeRights;
    let swia_program = p.use_software_installation_account;

    // The context table (domain notes section 3), row by row.
    let context = if m.platform.is_win9x() {
        if p.can_run == CanRun::OnlyWhenNoUserLoggedOn {
            return done(RefOutcome::Never);
        }
        if user.is_none() {
            return done(RefOutcome::WaitForLogon);
        }
        if swia_program {
            return done(RefOutcome::Fail(1317));
        }
        Context::User
    } else if !admin_program {
        if user.is_none() {
            return done(RefOutcome::WaitForLogon);
        }
        Context::User
    } else if user.is_none() {
        if p.can_run == CanRun::OnlyWhenUserLoggedOn {
            return done(RefOutcome::WaitForLogon);
        }
        if swia_program {
            Context::SoftwareInstallation
        } else {
            Context::Service
        }
    } else if p.can_run == CanRun::OnlyWhenNoUserLoggedOn {
        return done(RefOutcome::WaitForNoUser);
    } else if swia_program {
        Context::SoftwareInstallation
    } else if a.admin_rights_policy == AdminRightsPolicy::AlwaysService {
        Context::Service
    } else {
        let admins = if m.platform.is_dc() {
            m.domain.map(|d| e.domain(d).administrators)
        } else {
            m.administrators
        };
        let is_admin = match (user, admins) {
            (Some(u), Some(g)) => member(e, u, g),
            _ => false,
        };
        if is_admin {
            Context::User
        } else {
            Context::Service
        }
    };

    let launcher = if context == Context::User {
        Launcher::Pea32
    } else {
        Launcher::Smsapm32
    };
    let account = match context {
        Context::User => user,
        Context::Service => m.token_account,
        Context::SoftwareInstallation => e.site().software_installation_account,
        // The SMS 2.0 reference never chooses it (see `configmgr_reference`).
        Context::LocalSystem => None,
    };
    let mut d = RefDecision {
        outcome: RefOutcome::Run,
        launcher: Some(launcher),
        context: Some(context),
        account,
        dp_credential: None,
    };
    let fail = |mut d: RefDecision, error: u32| {
        d.outcome = RefOutcome::Fail(error);
        d
    };
    let Some(account) = account else {
        return fail(d, 0);
    };

    // Smsapm32 runs as the token account in both of its contexts.
    if context != Context::User {
        let Some(token) = m.token_account else {
            return fail(d, 0);
        };
        let st = s.status(token);
        if !st.enabled {
            return fail(d, 1331);
        }
        if st.locked_out {
            return fail(d, 1909);
        }
    }
    if context == Context::SoftwareInstallation {
        // LogonUser at the client: its domain or a domain it trusts directly.
        let Store::Domain(home) = e.account(account).store else {
            return fail(d, 1326);
        };
        let trusted = m.domain.is_some_and(|cd| cd == home || s.trusts(cd, home));
        let st = s.status(account);
        let error = if !trusted {
            1326
        } else if !st.enabled {
            1331
        } else if st.locked_out {
            1909
        } else if s.is_stale(client, account) {
            1326
        } else {
            0
        };
        if error != 0 {
            return fail(d, error);
        }
    }

    // The distribution point: the first copy whose server answers.
    let package = e.package(p.package);
    let Some(copy) = package
        .copies
        .iter()
        .find(|c| s.is_available(e.share(c.share).server))
    else {
        return fail(d, 53);
    };
    let server = e.share(copy.share).server;

    // Whose token the current-context step carries, and from which session.
    let (current, session) = match context {
        Context::User => (account, Some(SessionKind::Interactive)),
        Context::Service => (account, Some(SessionKind::Service)),
        Context::SoftwareInstallation => match a.swia_dp_context {
            SwiaDpContext::ClientTokenAccount => match m.token_account {
                Some(t) => (t, Some(SessionKind::Service)),
                None => return fail(d, 0),
            },
            SwiaDpContext::SoftwareInstallationAccount => (account, None),
        },
        Context::LocalSystem => return fail(d, 0),
    };
    let mut visible: Vec<Connection> = Vec::new();
    if a.connection_scope == ConnectionScope::Machine {
        visible.extend(s.session(client, SessionKind::Interactive).iter().copied());
        visible.extend(s.session(client, SessionKind::Service).iter().copied());
    } else if let Some(kind) = session {
        visible.extend(s.session(client, kind).iter().copied());
    }

    match nal(e, s, client, m, copy, server, current, &visible) {
        Ok(credential) => d.dp_credential = Some(credential),
        Err(error) => return fail(d, error),
    }
    // SWIA-GRANT, A14: the grant on a BDC before SP2 fails after the DP was reached.
    // X-SWIA-STANDING: a standing member needs no change to Administrators.
    let standing = m
        .domain
        .is_some_and(|dom| member(e, account, e.domain(dom).administrators));
    if context == Context::SoftwareInstallation
        && m.platform == Platform::NtDomainController(DcRole::Bdc)
        && a.service_pack == ServicePack::RtmSp1
        && !standing
    {
        return fail(d, 2226);
    }
    d
}

/// The NAL order: the credential that reads the package, or the last error.
#[allow(
    clippy::too_many_arguments,
    reason = "a naive transcription, on purpose"
)]
fn nal(
    e: &Estate,
    s: &State,
    client: MachineId,
    m: &Machine,
    copy: &PackageCopy,
    server: MachineId,
    current: AccountId,
    visible: &[Connection],
) -> Result<AccountId, u32> {
    // NAL-EXISTING: device-less connections to the share.
    if let Some(c) = visible
        .iter()
        .find(|c| c.device == Device::DeviceLess && c.share == Some(copy.share))
    {
        return if can_read(e, c.credential, &copy.read) {
            Ok(c.credential)
        } else {
            Err(5)
        };
    }
    // NAL-SERVER-SESSION (NT) or NAL-CURRENT.
    let mut owner = None;
    let mut error;
    let lent = if m.platform.is_nt() {
        visible.iter().find(|c| c.server == server)
    } else {
        None
    };
    if let Some(c) = lent {
        if can_read(e, c.credential, &copy.read) {
            return Ok(c.credential);
        }
        owner = Some(c.credential);
        error = 5;
    } else {
        error = logon_error(e, s, client, current, server);
        if error == 0 {
            if can_read(e, current, &copy.read) {
                return Ok(current);
            }
            error = 5;
        }
    }
    // NAL-CONNECTION-ACCOUNTS.
    if m.platform.is_win9x()
        && e.assumptions().win9x_connection_accounts == Win9xConnectionAccounts::NotUsed
    {
        return Err(error);
    }
    for &ca in &e.site().connection_accounts {
        if owner.is_some_and(|o| o != ca) {
            error = 1219;
            continue;
        }
        error = logon_error(e, s, client, ca, server);
        if error == 0 {
            if can_read(e, ca, &copy.read) {
                return Ok(ca);
            }
            error = 5;
        }
    }
    Err(error)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// The engine and the reference agree on every decision of generated scenarios.
    #[test]
    fn engine_and_reference_agree_on_generated_scenarios(g in gen_scenario()) {
        let json = g.to_json();
        let s = Scenario::from_json(&json.to_string()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        for r in resolve_all(&s.estate, &s.state) {
            let expected = reference(&s.estate, &s.state, r.advertisement, r.client);
            prop_assert_eq!(RefDecision::of(&r), expected, "{}", sms_client_accounts::render::render_text(&s.estate, &r));
        }
    }
}

#[test]
fn engine_and_reference_agree_on_every_fixture() {
    for path in scenario_files() {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let s = Scenario::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for r in resolve_all(&s.estate, &s.state) {
            assert_eq!(
                RefDecision::of(&r),
                reference(&s.estate, &s.state, r.advertisement, r.client),
                "{}",
                path.display()
            );
        }
    }
}
