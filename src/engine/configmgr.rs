//! The decision of a Configuration Manager (current branch) client, on the same
//! [`Resolver`] as SMS 2.0's: the context from the program's run mode (`CM-CONTEXTS`,
//! `CM-USER`, `X-CM-LOCAL-SYSTEM`), the SMS Agent Host as launcher (`X-CM-LAUNCHER`), and
//! the content, which the client downloads itself whatever the program's context
//! (`CM-CONTENT-AGENT`), in the order of `X-CM-CONTENT-ORDER`:
//!
//! 1. its computer account (`CM-COMPUTER-FIRST`); a workgroup client has none
//!    (`X-CM-WORKGROUP`), and one of a domain the DP's does not trust is not accepted
//!    (`X-CM-AD`);
//! 2. the site token, when the site uses HTTPS or Enhanced HTTP (`CM-ENHANCED-HTTP`),
//!    which reads every package (`X-CM-TOKEN-READS`);
//! 3. each network access account in the site's order (`CM-NAA-FALLBACK`,
//!    `X-CM-NAA-ORDER`);
//! 4. an anonymous connection, where the distribution point allows one
//!    (`X-CM-ANONYMOUS`).
//!
//! A network access account is never the program's account (`CM-NAA-NEVER-RUNS`): it
//! appears only in the content's steps. Nothing here consults the SMS 2.0 assumptions
//! (A1 to A16) but fail-closed (A12), which every failure consults.

use super::*;

impl Resolver<'_, '_> {
    /// Resolves a Configuration Manager client's decision, from its first step.
    pub(super) fn resolve_configmgr(mut self, program_id: ProgramId) -> Decision {
        self.push(
            RuleId::CmContexts,
            Fact::Client {
                client: self.client,
                platform: self.machine.platform,
            },
        );
        let p = self.program;
        self.push(
            RuleId::CmContexts,
            Fact::Program {
                program: program_id,
                run_mode: p.run_mode,
                can_run: p.can_run,
                software_installation_account: false,
            },
        );
        let end = match self.run_configmgr() {
            Ok(end) | Err(end) => end,
        };
        self.conclude(end)
    }

    fn run_configmgr(&mut self) -> Stage<End> {
        let (context, rule, user) = self.configmgr_context()?;
        self.decision.context = Some(context);
        self.push(rule, Fact::Context { context });
        self.consult(Assumption::CmLauncher);
        self.launch(Launcher::CcmExec, RuleId::XCmLauncher);
        match user {
            Some(user) => self.run_as_user(user, RuleId::CmUser, RuleId::CmUser),
            None => {
                // Local System: an administrator of the client with every privilege;
                // the token names no account of the estate.
                self.decision.token = Some(Token {
                    administrators: Membership::Standing,
                    rule_rights: RightSet::of(Right::Tcb),
                    added_rights: RightSet::EMPTY,
                });
                self.push(
                    RuleId::XCmLocalSystem,
                    Fact::LocalSystem {
                        interact: self.program.allow_user_interaction,
                    },
                );
            }
        }
        let naas = &self.estate.site.configmgr.network_access_accounts;
        if !naas.is_empty() {
            self.push(
                RuleId::CmNaaNeverRuns,
                Fact::NetworkAccessNotContext {
                    count: naas.len().min(255) as u8,
                },
            );
        }
        let copy = self.choose_copy()?;
        self.content(copy)?;
        Ok(Self::end(Outcome::Run, rule))
    }

    /// The context from the run mode, "program can run" and who is logged on, with the
    /// user the program runs as in the user's context (`None`: Local System).
    fn configmgr_context(&mut self) -> Stage<(Context, RuleId, Option<AccountId>)> {
        let user = self.state.logged_on(self.client);
        let p = self.program;
        self.push(
            RuleId::CmContexts,
            Fact::LoggedOn {
                user,
                administrator: None,
            },
        );
        match (p.run_mode, p.can_run, user) {
            (RunMode::UserRights, _, None) => {
                Err(Self::end(Outcome::Wait(Wait::ForLogon), RuleId::CmUser))
            }
            (RunMode::UserRights, _, Some(u)) => Ok((Context::User, RuleId::CmUser, Some(u))),
            (RunMode::AdministrativeRights, CanRun::OnlyWhenUserLoggedOn, None) => {
                Err(Self::end(Outcome::Wait(Wait::ForLogon), RuleId::CmContexts))
            }
            (RunMode::AdministrativeRights, CanRun::OnlyWhenNoUserLoggedOn, Some(_)) => Err(
                Self::end(Outcome::Wait(Wait::ForNoUser), RuleId::CmContexts),
            ),
            (RunMode::AdministrativeRights, _, _) => {
                Ok((Context::LocalSystem, RuleId::XCmLocalSystem, None))
            }
        }
    }

    /// What `account` achieves at the DP `server` for `copy`, and the account when it
    /// reads only through the DP's default (`CM-DP-USERS`).
    fn content_access(
        &self,
        copy: &PackageCopy,
        server: MachineId,
        account: AccountId,
    ) -> (Access, Option<AccountId>) {
        let (estate, state) = (self.estate, self.state);
        match nal::authenticate(estate, state, self.client, account, server) {
            Err(failure) => (Access::NotAuthenticated(failure), None),
            Ok(()) if estate.is_network_logon_denied(server, account) => (
                Access::NotAuthenticated(AuthFailure::NetworkLogonDenied),
                None,
            ),
            Ok(()) if self.granted(account, &copy.read, false) => (Access::Read, None),
            // CM-DP-USERS: no read list of its own, so the DP's local Users read it, and
            // an account that authenticates there is one (X-CM-DP-USERS).
            Ok(()) if copy.users_by_default => (Access::Read, Some(account)),
            Ok(()) => (Access::Denied, None),
        }
    }

    /// The rule of a content attempt: the way's own, unless the credential was not
    /// accepted for a reason with a rule of its own.
    fn attempt_rule(
        &mut self,
        server: MachineId,
        via: Via,
        credential: Option<AccountId>,
        access: Access,
        rule: RuleId,
    ) -> RuleId {
        let naa = matches!(via, Via::NetworkAccessAccount(_));
        match access {
            // X-CM-NAA-UNTRUSTED: a network access account of a domain the DP's does not
            // trust is not accepted, and the trace names the trust missing.
            Access::NotAuthenticated(AuthFailure::UntrustedDomain) if naa => {
                self.consult(Assumption::CmNaaUntrusted);
                let trusted = credential.and_then(|a| match self.estate.account(a).store {
                    Store::Domain(d) => Some(d),
                    Store::Local(_) => None,
                });
                if let (Some(trusting), Some(trusted)) =
                    (self.estate.machine(server).domain, trusted)
                {
                    self.push(
                        RuleId::XCmNaaUntrusted,
                        Fact::MissingTrust { trusting, trusted },
                    );
                }
                RuleId::XCmNaaUntrusted
            }
            // X-CM-AD: a computer account of a domain the DP's does not trust (another
            // forest) is not accepted.
            Access::NotAuthenticated(AuthFailure::UntrustedDomain) => {
                self.consult(Assumption::CmAd);
                RuleId::XCmAd
            }
            // CM-NAA-NETWORK-RIGHT: the network access account needs the right at the
            // DP; any other account denied it fails there too (X-CM-DENY-NETWORK-LOGON).
            Access::NotAuthenticated(AuthFailure::NetworkLogonDenied) if naa => {
                RuleId::CmNaaNetworkRight
            }
            Access::NotAuthenticated(AuthFailure::NetworkLogonDenied) => {
                self.consult(Assumption::CmDenyNetworkLogon);
                RuleId::XCmDenyNetworkLogon
            }
            _ => rule,
        }
    }

    /// The content, in the order of `X-CM-CONTENT-ORDER`; the run fails here when no
    /// way reaches it.
    fn content(&mut self, copy: &PackageCopy) -> Stage<()> {
        let estate = self.estate;
        let share = copy.share;
        let server = estate.share(share).server;
        let site = &estate.site.configmgr;
        let computer = self.machine.computer_account;
        self.push(
            RuleId::CmContentAgent,
            Fact::ContentAgent {
                computer_account: computer,
            },
        );
        self.consult(Assumption::CmContentOrder);
        let mut last = winerror::ACCESS_DENIED;
        let mut attempt = |r: &mut Self, via: Via, credential: Option<AccountId>, rule| {
            let (access, by_default) = match credential {
                Some(account) => r.content_access(copy, server, account),
                // The site token and an anonymous connection are tried only where the
                // site or the DP offers them, and then they read.
                None => (Access::Read, None),
            };
            let rule = r.attempt_rule(server, via, credential, access, rule);
            if let Some(account) = by_default {
                r.consult(Assumption::CmDpUsers);
                r.push(RuleId::CmDpUsers, Fact::DefaultRead { share, account });
            }
            match rule {
                RuleId::XCmTokenReads => r.consult(Assumption::CmTokenReads),
                RuleId::XCmAnonymous => r.consult(Assumption::CmAnonymous),
                _ => {}
            }
            r.push(
                rule,
                Fact::ContentAttempt {
                    via,
                    credential,
                    access,
                },
            );
            if access == Access::Read {
                r.decision.dp = Some(DpConnection {
                    share,
                    credential,
                    via,
                });
                return true;
            }
            last = access.error();
            false
        };
        match computer {
            Some(account) => {
                if attempt(
                    self,
                    Via::ComputerAccount,
                    Some(account),
                    RuleId::CmComputerFirst,
                ) {
                    return Ok(());
                }
            }
            None => {
                self.consult(Assumption::CmWorkgroup);
                self.push(RuleId::XCmWorkgroup, Fact::NoComputerAccount);
            }
        }
        if site.enhanced_http || site.https_only {
            self.push(
                RuleId::CmEnhancedHttp,
                Fact::SiteToken {
                    https: site.https_only,
                },
            );
            if attempt(self, Via::SiteToken, None, RuleId::XCmTokenReads) {
                return Ok(());
            }
        }
        if !site.network_access_accounts.is_empty() {
            let count = site.network_access_accounts.len();
            let rule = if count > 1 {
                self.consult(Assumption::CmNaaOrder);
                RuleId::XCmNaaOrder
            } else {
                RuleId::CmNaaFallback
            };
            self.push(
                rule,
                Fact::NetworkAccessAccounts {
                    count: count.min(255) as u8,
                },
            );
            for (i, &naa) in site.network_access_accounts.iter().enumerate() {
                let via = Via::NetworkAccessAccount(i.min(255) as u8);
                if attempt(self, via, Some(naa), RuleId::CmNaaFallback) {
                    return Ok(());
                }
            }
        }
        if site.anonymous_distribution_points.contains(&share)
            && attempt(self, Via::Anonymous, None, RuleId::XCmAnonymous)
        {
            return Ok(());
        }
        Err(Self::fail(
            FailReason::NoContentAccess,
            None,
            Some(last),
            RuleId::XCmContentOrder,
        ))
    }
}
