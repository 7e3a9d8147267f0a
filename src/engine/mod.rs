//! The decision engine: for one advertisement on one client, which launcher, which
//! security context and account, which token, and which credentials reach the
//! distribution point, in the order of Q224286 and the domain notes.
//!
//! [`resolve`] is a pure function of the estate, the state and the question. It writes
//! typed [`Step`]s only: names and text are rendered later, on demand
//! ([`crate::trace`]). [`resolve_into`] reuses the caller's step buffer, so a batch
//! allocates nothing per decision.
//!
//! The order of a resolution:
//!
//! 1. the platform (`W9X-USER`, `NT-CONTEXTS`) and the program's properties;
//! 2. who is logged on, and whether an administrator (A1);
//! 3. the context, from the table at the head of the notes' section 3 (A2, A8, A11);
//! 4. the launcher, the account and its token (`USER-*`, `SVC-*`, `SWIA-LOGON`);
//! 5. the distribution point (`X-DP-ORDER`) and the NAL order (module `nal`);
//! 6. the non-SMS resources the program needs;
//! 7. the Software Installation account's grant and its removal (`SWIA-GRANT`,
//!    `SWIA-REVOKE`);
//! 8. the outcome, as the last step, with the rule that decided it.
//!
//! A failure stops the resolution where it happens and never tries another context (A12).
//!
//! At a Configuration Manager site the resolution takes its own stages (module
//! `configmgr`): the user or Local System, and the content as the client's computer
//! account, site token, network access accounts or anonymously.

mod batch;
mod bound;
mod configmgr;
mod nal;
pub mod push;
mod why;

#[cfg(feature = "parallel")]
pub use batch::for_each_decision_parallel;
pub use batch::{Batch, Entry, batch_order, for_each_decision};
pub use bound::{Bound, PairingError};
pub use why::{Change, Effect, WhyNot, why_not};

pub use crate::decision::*;
use crate::model::*;
use crate::rules::RuleId;
pub use crate::trace::Resolution;
use crate::trace::{Fact, Step, Trace};

/// Resolves `advertisement` on `client`.
pub fn resolve(
    estate: &Estate,
    state: &State,
    advertisement: AdvertisementId,
    client: MachineId,
) -> Resolution {
    // The steps are written into a buffer this thread reuses, and the trace keeps an
    // exact copy: one allocation of the trace's size a decision, and none of the
    // buffer's spare room.
    thread_local! {
        static STEPS: std::cell::RefCell<Vec<Step>> = std::cell::RefCell::new(Vec::with_capacity(32));
    }
    let (decision, steps) = STEPS.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => {
            let decision = resolve_into(estate, state, advertisement, client, &mut buffer);
            (decision, buffer.as_slice().to_vec())
        }
        // Only a resolution nested inside another on this thread finds the buffer
        // taken (none does today); it gets a buffer of its own.
        Err(_) => {
            let mut steps = Vec::with_capacity(16);
            let decision = resolve_into(estate, state, advertisement, client, &mut steps);
            (decision, steps)
        }
    });
    Resolution {
        client,
        advertisement,
        decision,
        trace: Trace { steps },
    }
}

/// Resolves `advertisement` on `client`, writing the trace into `steps` (cleared first).
/// With a reused buffer this allocates nothing.
pub fn resolve_into(
    estate: &Estate,
    state: &State,
    advertisement: AdvertisementId,
    client: MachineId,
    steps: &mut Vec<Step>,
) -> Decision {
    steps.clear();
    resolve_append(estate, state, advertisement, client, steps)
}

/// [`resolve_into`] without clearing `steps` first: the decision's steps go after those
/// already there (the batch writes each decision's straight into its flat buffer).
fn resolve_append(
    estate: &Estate,
    state: &State,
    advertisement: AdvertisementId,
    client: MachineId,
    steps: &mut Vec<Step>,
) -> Decision {
    let program_id = estate.advertisement(advertisement).program;
    let mut r = Resolver {
        estate,
        state,
        client,
        machine: estate.machine(client),
        program: estate.program(program_id),
        steps,
        decision: Partial::default(),
    };
    if estate.site.product == Product::ConfigMgr {
        return r.resolve_configmgr(program_id);
    }
    let platform_rule = if r.machine.platform.is_win9x() {
        RuleId::W9x
    } else {
        RuleId::NtContexts
    };
    r.push(
        platform_rule,
        Fact::Client {
            client,
            platform: r.machine.platform,
        },
    );
    let p = r.program;
    let program_rule = if p.use_software_installation_account {
        RuleId::SwiaPerProgram
    } else {
        RuleId::A11
    };
    r.push(
        program_rule,
        Fact::Program {
            program: program_id,
            run_mode: p.run_mode,
            can_run: p.can_run,
            software_installation_account: p.use_software_installation_account,
        },
    );
    let end = match r.run() {
        Ok(end) | Err(end) => end,
    };
    r.conclude(end)
}

/// Resolves every (advertisement, target client) pair of a scenario, advertisements in
/// id order and targets in id order.
pub fn resolve_all(estate: &Estate, state: &State) -> Vec<Resolution> {
    let mut out = Vec::new();
    for ad in estate.advertisement_ids() {
        for &client in &estate.advertisement(ad).targets {
            out.push(resolve(estate, state, ad, client));
        }
    }
    out
}

pub(super) struct Resolver<'a, 's> {
    estate: &'a Estate,
    state: &'a State,
    client: MachineId,
    machine: &'a Machine,
    program: &'a Program,
    steps: &'s mut Vec<Step>,
    /// What the resolution has settled so far. It has no outcome: only an [`End`] has.
    decision: Partial,
}

/// How a resolution ends: its outcome and the rule that decided it. Every stage of a
/// resolution either goes on with a value (`Ok`) or ends it with an `End` (`Err`), so
/// there is no default outcome that a missed branch could leave in place: the decision
/// is made from the `End` the stages return, and nothing else (fail closed, A12).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct End {
    outcome: Outcome,
    rule: RuleId,
}

/// A stage of a resolution: it goes on with `T`, or ends the resolution.
type Stage<T> = Result<T, End>;

/// The parts of a [`Decision`] the stages fill in as they go; the outcome is not one.
#[derive(Debug, Clone, Copy, Default)]
struct Partial {
    launcher: Option<Launcher>,
    context: Option<Context>,
    account: Option<AccountId>,
    token: Option<Token>,
    dp: Option<DpConnection>,
    grant: Option<Grant>,
    assumptions: AssumptionSet,
}

impl<'a> Resolver<'a, '_> {
    fn push(&mut self, rule: RuleId, fact: Fact) {
        self.steps.push(Step { rule, fact });
    }

    fn consult(&mut self, assumption: Assumption) {
        self.decision.assumptions.insert(assumption);
    }

    /// Ends the resolution with `outcome`, decided by `rule`.
    fn end(outcome: Outcome, rule: RuleId) -> End {
        End { outcome, rule }
    }

    /// Ends the resolution with a failure (A12: never a fall-back to another context).
    fn fail(reason: FailReason, status: Option<u16>, error: Option<u32>, rule: RuleId) -> End {
        let failure = Failure {
            reason,
            status,
            error,
        };
        Self::end(Outcome::Fail(failure), rule)
    }

    /// The decision, from the `End` the stages returned: the outcome step is the last
    /// of the trace, preceded by where a failure's Windows error comes from when no KB
    /// article names it (`X-WINERROR`).
    // Inlined into both of its callers (the SMS 2.0 path and `resolve_configmgr`): a
    // call of its own costs the hot path about 60 instructions a decision (callgrind).
    #[inline(always)]
    fn conclude(mut self, end: End) -> Decision {
        if let Outcome::Fail(failure) = end.outcome {
            self.consult(Assumption::A12);
            if let Some(error) = failure
                .error
                .filter(|&e| winerror::name(e).is_some_and(|(_, kb)| kb.is_none()))
            {
                self.push(RuleId::XWinError, Fact::WindowsError { error });
            }
        }
        self.push(
            end.rule,
            Fact::Outcome {
                outcome: end.outcome,
            },
        );
        let p = self.decision;
        Decision {
            outcome: end.outcome,
            decided_by: end.rule,
            launcher: p.launcher,
            context: p.context,
            account: p.account,
            token: p.token,
            dp: p.dp,
            grant: p.grant,
            assumptions: p.assumptions,
        }
    }

    /// The stages in order; each ends the resolution or hands the next what it needs.
    fn run(&mut self) -> Stage<End> {
        let (context, rule) = self.choose_context()?;
        self.decision.context = Some(context);
        self.push(rule, Fact::Context { context });
        let current = self.enter(context)?;
        self.connect_dp(context, current)?;
        if context == Context::SoftwareInstallation {
            self.grant()?;
        }
        self.resources(context);
        self.revoke();
        Ok(Self::end(Outcome::Run, rule))
    }

    /// Steps 2 and 3: the logged-on state and the context table; the resolution ends
    /// here when the program waits, never runs or fails.
    fn choose_context(&mut self) -> Stage<(Context, RuleId)> {
        let user = self.state.logged_on(self.client);
        let p = self.program;
        let admin_program = p.run_mode == RunMode::AdministrativeRights;
        let swia = p.use_software_installation_account && admin_program;
        self.consult(Assumption::A11);
        if self.machine.platform.is_win9x() {
            self.push(
                RuleId::A11,
                Fact::LoggedOn {
                    user,
                    administrator: None,
                },
            );
            if p.can_run == CanRun::OnlyWhenNoUserLoggedOn {
                // Nothing runs on Windows 95/98 without a user, so this never runs.
                return Err(Self::end(Outcome::Never, RuleId::W9x));
            }
            if user.is_none() {
                return Err(Self::end(Outcome::Wait(Wait::ForLogon), RuleId::A11));
            }
            if p.use_software_installation_account {
                self.consult(Assumption::A8);
                return Err(Self::fail(
                    FailReason::SoftwareInstallationOnWin9x,
                    Some(winerror::STATUS_PREPARE_FAILED),
                    Some(winerror::NO_SUCH_USER),
                    RuleId::A8,
                ));
            }
            if admin_program {
                // A8: an administrative-rights program runs as the user on Windows 9x.
                self.consult(Assumption::A8);
            }
            return Ok((Context::User, RuleId::W9x));
        }
        let needs_admin_check = admin_program && !swia && user.is_some();
        let administrator = match user {
            Some(u) if needs_admin_check => {
                self.consult(Assumption::A1);
                Some(self.is_administrator(u))
            }
            _ => None,
        };
        let logged_on_rule = if administrator.is_some() {
            RuleId::A1
        } else {
            RuleId::A11
        };
        self.push(
            logged_on_rule,
            Fact::LoggedOn {
                user,
                administrator,
            },
        );
        match (admin_program, swia, user) {
            (false, _, None) => Err(Self::end(Outcome::Wait(Wait::ForLogon), RuleId::A11)),
            (false, _, Some(_)) => Ok((Context::User, RuleId::NtUserFirst)),
            (true, false, None) => {
                if p.can_run == CanRun::OnlyWhenUserLoggedOn {
                    Err(Self::end(Outcome::Wait(Wait::ForLogon), RuleId::A11))
                } else {
                    // The context table: nobody is logged on, so the service context.
                    Ok((Context::Service, RuleId::A11))
                }
            }
            (true, _, Some(_)) if p.can_run == CanRun::OnlyWhenNoUserLoggedOn => {
                Err(Self::end(Outcome::Wait(Wait::ForNoUser), RuleId::A11))
            }
            (true, false, Some(_)) => {
                self.consult(Assumption::A2);
                match self.estate.assumptions.admin_rights_policy {
                    AdminRightsPolicy::AlwaysService => Ok((Context::Service, RuleId::A2)),
                    AdminRightsPolicy::ServiceIfUserLacksRights => {
                        if administrator == Some(true) {
                            Ok((Context::User, RuleId::NtUserFirst))
                        } else {
                            Ok((Context::Service, RuleId::NtServiceFallback))
                        }
                    }
                }
            }
            (true, true, _) => Ok((Context::SoftwareInstallation, RuleId::SwiaPerProgram)),
        }
    }

    /// A1: the user is in the client's Administrators group, directly or through a
    /// global group (the domain's Administrators on a DC).
    fn is_administrator(&self, user: AccountId) -> bool {
        self.estate
            .administrators_of(self.client)
            .is_some_and(|g| self.estate.is_in(user, g))
    }

    /// Step 4: launcher, account and token. Returns the account whose credentials the
    /// current-context step of NAL carries, and the session it connects from.
    fn enter(&mut self, context: Context) -> Stage<(AccountId, nal::Session)> {
        match context {
            // Only a Configuration Manager client runs as Local System
            // (`resolve_configmgr`), and it never enters here.
            Context::LocalSystem => Err(Self::end(Outcome::Never, RuleId::XCmLocalSystem)),
            Context::User => {
                // The context table chose the user because one is logged on.
                let Some(user) = self.state.logged_on(self.client) else {
                    return Err(Self::end(Outcome::Wait(Wait::ForLogon), RuleId::A11));
                };
                self.launch(Launcher::Pea32, RuleId::UserPea32);
                self.run_as_user(user, RuleId::UserPea32, RuleId::UserNoExtra);
                Ok((user, nal::Session::Interactive))
            }
            Context::Service => {
                self.launch(Launcher::Smsapm32, RuleId::SvcSmsapm32);
                let token_account = self.machine.token_account;
                self.decision.account = token_account;
                if let Some(account) = token_account {
                    self.push(RuleId::SvcToken, Fact::Account { account, context });
                }
                let token_account = self.token_account()?;
                let on_dc = self.machine.platform.is_dc();
                let scope_rule = if on_dc {
                    RuleId::SvcTokenDc
                } else {
                    RuleId::SvcTokenLocal
                };
                self.push(
                    scope_rule,
                    Fact::TokenAccountScope {
                        account: token_account,
                        shared_by_dcs: on_dc,
                    },
                );
                self.consult(Assumption::A3);
                let transient = !on_dc
                    && self.estate.assumptions.token_admin_membership
                        == TokenAdminMembership::TransientOnMemberClients;
                let token = Token {
                    administrators: if transient {
                        Membership::AddedForRun
                    } else {
                        Membership::Standing
                    },
                    rule_rights: RightSet::of(Right::Tcb),
                    added_rights: RightSet::EMPTY,
                };
                self.decision.token = Some(token);
                let rule = if transient {
                    RuleId::A3
                } else {
                    RuleId::SvcTokenRights
                };
                self.push(
                    rule,
                    Fact::Token {
                        account: token_account,
                        token,
                    },
                );
                Ok((token_account, nal::Session::Service))
            }
            Context::SoftwareInstallation => {
                // Smsapm32 itself runs as the client token account (SVC-TOKEN), which must
                // be usable before it can log the Software Installation account on.
                self.launch(Launcher::Smsapm32, RuleId::SvcSmsapm32);
                // The loader refuses a program that asks for the account when the site
                // names none; LogonUser of no account would fail as this does.
                let Some(swia) = self.estate.site.software_installation_account else {
                    let failure = AuthFailure::UnknownAccount;
                    return Err(Self::fail(
                        FailReason::LogonFailed(failure),
                        Some(winerror::STATUS_PREPARE_FAILED),
                        Some(failure.error()),
                        RuleId::SwiaLogon,
                    ));
                };
                self.decision.account = Some(swia);
                self.push(
                    RuleId::SwiaPerProgram,
                    Fact::Account {
                        account: swia,
                        context,
                    },
                );
                let token_account = self.token_account()?;
                self.consult(Assumption::A9);
                self.consult(Assumption::A16);
                let result = self.logon_user(swia);
                self.push(
                    RuleId::SwiaLogon,
                    Fact::Logon {
                        account: swia,
                        result,
                    },
                );
                if let Err(failure) = result {
                    return Err(Self::fail(
                        FailReason::LogonFailed(failure),
                        Some(winerror::STATUS_PREPARE_FAILED),
                        Some(failure.error()),
                        RuleId::SwiaLogon,
                    ));
                }
                self.consult(Assumption::A4);
                Ok(match self.estate.assumptions.swia_dp_context {
                    SwiaDpContext::ClientTokenAccount => (token_account, nal::Session::Service),
                    SwiaDpContext::SoftwareInstallationAccount => (swia, nal::Session::New),
                })
            }
        }
    }

    /// The program runs as the logged-on `user` with the user's token unchanged: its
    /// account step under `account_rule`, its token step under `token_rule`.
    fn run_as_user(&mut self, user: AccountId, account_rule: RuleId, token_rule: RuleId) {
        self.decision.account = Some(user);
        self.push(
            account_rule,
            Fact::Account {
                account: user,
                context: Context::User,
            },
        );
        let token = Token {
            administrators: if self.is_administrator(user) {
                Membership::Standing
            } else {
                Membership::None
            },
            rule_rights: RightSet::EMPTY,
            added_rights: RightSet::EMPTY,
        };
        self.decision.token = Some(token);
        self.push(
            token_rule,
            Fact::Token {
                account: user,
                token,
            },
        );
    }

    fn launch(&mut self, launcher: Launcher, rule: RuleId) {
        self.decision.launcher = Some(launcher);
        self.push(rule, Fact::Launcher { launcher });
    }

    /// The client token account Smsapm32 runs as (`SVC-TOKEN`), if it can run: a
    /// disabled or locked-out one stops the run (`X-TOKEN-UNUSABLE`, A12).
    fn token_account(&mut self) -> Stage<AccountId> {
        let token_account = self.machine.token_account;
        let failure = match token_account.map(|t| (t, self.state.status(t))) {
            None => AuthFailure::UnknownAccount,
            Some((_, status)) if !status.enabled => AuthFailure::Disabled,
            Some((_, status)) if status.locked_out => AuthFailure::LockedOut,
            Some((account, _)) => return Ok(account),
        };
        let error = (failure != AuthFailure::UnknownAccount).then(|| failure.error());
        Err(Self::fail(
            FailReason::TokenAccountUnusable(failure),
            Some(winerror::STATUS_PREPARE_FAILED),
            error,
            RuleId::XTokenUnusable,
        ))
    }

    /// LogonUser of a domain account at this client (`SWIA-LOGON`, A9, A16).
    fn logon_user(&self, account: AccountId) -> Result<(), AuthFailure> {
        let Store::Domain(home) = self.estate.account(account).store else {
            return Err(AuthFailure::UnknownAccount);
        };
        let accepted = self
            .machine
            .domain
            .is_some_and(|d| d == home || self.state.trusts(d, home));
        if !accepted {
            return Err(AuthFailure::UntrustedDomain);
        }
        nal::account_usable(self.state, self.client, account)
    }

    /// Whether `account` is granted by `acl`, counting the Administrators membership
    /// the rules give it: the client token account's standing one (`SVC-TOKEN-RIGHTS`,
    /// the domain's Administrators for the DC token: `EXPO-DC-TOKEN`), and, while the
    /// program runs (`running`), the membership added for the run (A3 transient,
    /// `SWIA-GRANT`).
    pub(super) fn granted(&self, account: AccountId, acl: &[AccountId], running: bool) -> bool {
        if self.estate.is_granted(account, acl) {
            return true;
        }
        let group = match self.estate.account(account).role {
            Some(SmsRole::ClientToken) => match self.estate.account(account).store {
                Store::Domain(d) => Some(self.estate.domain(d).administrators),
                Store::Local(m) => {
                    let standing = self.estate.assumptions.token_admin_membership
                        == TokenAdminMembership::Standing;
                    (standing || running)
                        .then(|| self.estate.administrators_of(m))
                        .flatten()
                }
            },
            _ if running && self.decision.grant.is_some_and(|g| g.account == account) => {
                self.decision.grant.and_then(|g| g.group)
            }
            _ => None,
        };
        group.is_some_and(|g| acl.contains(&g))
    }

    /// Step 5: the distribution point and the NAL order; the run fails here when no
    /// step reaches the package.
    fn connect_dp(
        &mut self,
        context: Context,
        (current, session): (AccountId, nal::Session),
    ) -> Stage<()> {
        let copy = self.choose_copy()?;
        let intro = match context {
            Context::User => RuleId::UserNal,
            Context::Service => RuleId::SvcToken,
            Context::SoftwareInstallation => RuleId::SwiaNal,
            // Only a Configuration Manager client runs as Local System, and it does not
            // connect through NAL.
            Context::LocalSystem => RuleId::CmContentAgent,
        };
        self.push(
            intro,
            Fact::NalContext {
                account: current,
                context,
            },
        );
        match nal::connect(self, copy, current, session) {
            Ok(dp) => {
                self.decision.dp = Some(dp);
                Ok(())
            }
            Err((reason, error, rule)) => Err(Self::fail(reason, None, Some(error), rule)),
        }
    }

    /// The package's first copy on a distribution point whose server answers
    /// (`X-DP-ORDER`); the run fails here when none does.
    #[inline(always)]
    fn choose_copy(&mut self) -> Stage<&'a PackageCopy> {
        let package = self.estate.package(self.program.package);
        let mut skipped = 0u8;
        let mut chosen = None;
        for copy in &package.copies {
            if self
                .state
                .is_available(self.estate.share(copy.share).server)
            {
                chosen = Some(copy);
                break;
            }
            skipped = skipped.saturating_add(1);
        }
        let Some(copy) = chosen else {
            self.push(
                RuleId::XDpOrder,
                Fact::NoDistributionPoint {
                    unavailable: skipped,
                },
            );
            return Err(Self::fail(
                FailReason::NoDistributionPoint,
                None,
                Some(winerror::BAD_NETPATH),
                RuleId::XDpOrder,
            ));
        };
        self.push(
            RuleId::XDpOrder,
            Fact::DistributionPoint {
                share: copy.share,
                skipped,
            },
        );
        Ok(copy)
    }

    /// Step 6: the Software Installation account's grant, just before the program
    /// starts, and its token; the run fails here when the grant fails (A14).
    fn grant(&mut self) -> Stage<()> {
        let (Some(account), Some(group)) = (
            self.decision.account,
            self.estate.administrators_of(self.client),
        ) else {
            // Every NT client the loader makes has an Administrators group, and the
            // context stage set the account: an estate without them cannot grant.
            return Err(Self::fail(
                FailReason::GrantFailed,
                Some(winerror::STATUS_PREPARE_FAILED),
                None,
                RuleId::SwiaGrant,
            ));
        };
        let rights = self.estate.site.software_installation_rights;
        self.consult(Assumption::A13);
        self.consult(Assumption::A14);
        // X-SWIA-STANDING: a standing member gains nothing from the grant, and the
        // removal after the run takes away only what the grant added.
        let standing = self.estate.is_in(account, group);
        let grant = Grant {
            account,
            group: if standing { None } else { Some(group) },
            rights,
        };
        let bdc = self.machine.platform == Platform::NtDomainController(DcRole::Bdc);
        if !standing && bdc && self.estate.assumptions.service_pack == ServicePack::RtmSp1 {
            self.push(
                RuleId::A14,
                Fact::Grant {
                    grant,
                    error: Some(winerror::NOT_PRIMARY),
                },
            );
            return Err(Self::fail(
                FailReason::GrantFailed,
                Some(winerror::STATUS_PREPARE_FAILED),
                Some(winerror::NOT_PRIMARY),
                RuleId::A14,
            ));
        }
        self.decision.grant = Some(grant);
        self.push(
            if standing {
                RuleId::XSwiaStanding
            } else {
                RuleId::SwiaGrant
            },
            Fact::Grant { grant, error: None },
        );
        let token = Token {
            administrators: if standing {
                Membership::Standing
            } else {
                Membership::AddedForRun
            },
            rule_rights: RightSet::EMPTY,
            added_rights: rights,
        };
        self.decision.token = Some(token);
        self.push(RuleId::SwiaGrant, Fact::Token { account, token });
        Ok(())
    }

    /// Step 7: the non-SMS resources the running program reaches with its own token, or
    /// with the credentials of a connection its session already has to that server
    /// (`NAL-SERVER-SESSION`); a local token account reaches nothing (A10, D6).
    fn resources(&mut self, context: Context) {
        let Some(account) = self.decision.account else {
            return;
        };
        let session = match context {
            Context::User => nal::Session::Interactive,
            Context::Service => nal::Session::Service,
            // The program runs in the account's own logon session, made by LogonUser.
            Context::SoftwareInstallation => nal::Session::New,
            // Not reached: a Configuration Manager program needs no resource here.
            Context::LocalSystem => nal::Session::Service,
        };
        for &resource in &self.program.resources {
            let r = self.estate.resource(resource);
            let server = self.estate.share(r.share).server;
            let lent = nal::visible(self.estate, self.state, self.client, session)
                .find(|c| c.server == server && self.machine.platform.is_nt())
                .copied();
            let (credential, access) = match lent {
                Some(c) => (
                    c.credential,
                    if self.granted(c.credential, &r.read, true) {
                        Access::Read
                    } else {
                        Access::Denied
                    },
                ),
                None => (
                    account,
                    match nal::authenticate(self.estate, self.state, self.client, account, server) {
                        Err(failure) => Access::NotAuthenticated(failure),
                        Ok(()) if self.granted(account, &r.read, true) => Access::Read,
                        Ok(()) => Access::Denied,
                    },
                ),
            };
            let local_token = context == Context::Service && !self.machine.platform.is_dc();
            let rule = if lent.is_some() {
                RuleId::NalServerSession
            } else if local_token {
                RuleId::D6
            } else if context == Context::SoftwareInstallation {
                RuleId::SwiaRequirements
            } else {
                RuleId::A10
            };
            self.consult(Assumption::A10);
            self.push(
                rule,
                Fact::Resource {
                    resource,
                    account: credential,
                    access,
                },
            );
        }
    }

    /// The end of a run: the grant's removal, then the outcome.
    fn revoke(&mut self) {
        if let Some(grant) = self.decision.grant {
            self.push(RuleId::SwiaRevoke, Fact::Revoke { grant });
        }
    }
}
