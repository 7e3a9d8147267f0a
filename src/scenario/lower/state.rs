//! The state a scenario starts in: trusts, logons, connections, account status, stale
//! passwords and servers that are down, checked against the finished estate.

use super::*;
use crate::scenario::resolve::{self, Resolver, parse_drive};

/// The initial state. Needs the finished estate; problems go to `problems`.
pub(super) fn state(raw: &RawScenario, estate: &Estate, problems: &mut Problems) -> State {
    let mut l = StateLowerer {
        estate,
        state: State::new(estate),
        problems,
        next_machine: 0,
    };
    l.trusts(raw);
    l.logons(raw);
    for (i, c) in raw.state.connections.iter().enumerate() {
        l.connection(i, c);
    }
    l.statuses(raw);
    l.stale_passwords(raw);
    l.unavailable_servers(raw);
    l.state
}

/// The state as it is built, change by change, each checked against the estate and the
/// changes before it.
struct StateLowerer<'a> {
    estate: &'a Estate,
    state: State,
    problems: &'a mut Problems,
    /// The machine after the last one a name resolved to: the few from there are tried
    /// before the name table (`names::near`).
    next_machine: usize,
}

impl StateLowerer<'_> {
    fn problem(&mut self, path: String, message: String) {
        self.problems.push((path, message));
    }

    /// Reports a change the state refuses, at the field of `path` that gives the part
    /// at fault.
    fn refused(&mut self, path: String, e: StateError) {
        let field = match e.part {
            Part::Client => "client",
            Part::User => "user",
            Part::Session => "session",
            Part::Credential => "as",
            Part::Path => "path",
            Part::Drive => "drive",
            Part::Account => "account",
            Part::Domain => "domain",
        };
        self.problem(format!("{path}.{field}"), e.message);
    }

    /// An account by its qualified name.
    fn account(&mut self, text: &str, path: impl FnOnce() -> String) -> Option<AccountId> {
        let found = Resolver(self.estate).account(text);
        found.map_err(|message| self.problem(path(), message)).ok()
    }

    /// A machine by name.
    fn machine(&mut self, name: &str, path: impl FnOnce() -> String) -> Option<MachineId> {
        let next = self.next_machine;
        let found = match super::names::near(self.estate.machines(), next, name) {
            Some(m) => Ok(m),
            None => Resolver(self.estate).machine(name),
        };
        if let Ok(m) = found {
            self.next_machine = m.index() + 1;
        }
        found.map_err(|message| self.problem(path(), message)).ok()
    }

    /// The trusts the domains declare (each checked while the estate was built).
    fn trusts(&mut self, raw: &RawScenario) {
        let estate = self.estate;
        // X-CM-AD: the domains of one Active Directory forest trust each other both ways.
        for a in estate.domain_ids() {
            for b in estate.domain_ids() {
                let (fa, fb) = (&estate.domain(a).forest, &estate.domain(b).forest);
                if a != b
                    && fa.is_some()
                    && fa.as_deref().map(str::to_ascii_uppercase)
                        == fb.as_deref().map(str::to_ascii_uppercase)
                {
                    let _ = self.state.set_trust(estate, a, b, true);
                }
            }
        }
        for d in &raw.domains {
            for t in &d.trusts {
                if let (Some(a), Some(b)) =
                    (estate.domain_by_name(&d.name), estate.domain_by_name(t))
                    && a != b
                {
                    // A domain that trusts itself was reported with the domains.
                    let _ = self.state.set_trust(estate, a, b, true);
                }
            }
        }
    }

    fn logons(&mut self, raw: &RawScenario) {
        let estate = self.estate;
        for (i, logon) in raw.state.logons.iter().enumerate() {
            let path = || format!("state.logons[{i}]");
            let client = self.machine(&logon.client, || format!("{}.client", path()));
            let user = self.account(&logon.user, || format!("{}.user", path()));
            let (Some(client), Some(user)) = (client, user) else {
                continue;
            };
            if let Err(e) = self.state.log_on(estate, client, user) {
                self.refused(path(), e);
            }
        }
    }

    /// The `i`th connection of the file: its names resolved, then the connection checked
    /// and made.
    fn connection(&mut self, i: usize, c: &RawConnection) {
        let estate = self.estate;
        let path = || format!("state.connections[{i}]");
        let client = self.machine(&c.client, || format!("{}.client", path()));
        let credential = self.account(&c.credential, || format!("{}.as", path()));
        let target = match Resolver(estate).path(&c.path) {
            Ok(target) => Some(target),
            Err(message) => {
                self.problem(format!("{}.path", path()), message);
                None
            }
        };
        let device = match &c.drive {
            None => Some(Device::DeviceLess),
            Some(d) => {
                let device = parse_drive(d);
                if device.is_none() {
                    self.problem(format!("{}.drive", path()), resolve::not_a_drive(d));
                }
                device
            }
        };
        let (Some(client), Some(credential), Some((server, share)), Some(device)) =
            (client, credential, target, device)
        else {
            return;
        };
        let kind = match c.session {
            RawSession::Interactive => SessionKind::Interactive,
            RawSession::Service => SessionKind::Service,
        };
        let connection = Connection {
            server,
            share,
            device,
            credential,
        };
        if let Err(e) = self.state.connect(estate, client, kind, connection) {
            self.refused(path(), e);
        }
    }

    /// The accounts disabled and locked out.
    fn statuses(&mut self, raw: &RawScenario) {
        for (field, names) in [
            ("disabled", &raw.state.disabled),
            ("locked_out", &raw.state.locked_out),
        ] {
            for (i, name) in names.iter().enumerate() {
                if let Some(a) = self.account(name, || format!("state.{field}[{i}]")) {
                    let mut status = self.state.status(a);
                    if field == "disabled" {
                        status.enabled = false;
                    } else {
                        status.locked_out = true;
                    }
                    self.state.set_status(a, status);
                }
            }
        }
    }

    fn stale_passwords(&mut self, raw: &RawScenario) {
        let estate = self.estate;
        for (i, s) in raw.state.stale_passwords.iter().enumerate() {
            let path = || format!("state.stale_passwords[{i}]");
            let client = self.machine(&s.client, || format!("{}.client", path()));
            let a = self.account(&s.account, || format!("{}.account", path()));
            let (Some(client), Some(a)) = (client, a) else {
                continue;
            };
            if let Err(e) = self.state.set_stale(estate, client, a, true) {
                self.refused(path(), e);
            }
        }
    }

    fn unavailable_servers(&mut self, raw: &RawScenario) {
        for (i, name) in raw.state.unavailable_servers.iter().enumerate() {
            if let Some(m) = self.machine(name, || format!("state.unavailable_servers[{i}]")) {
                self.state.set_available(m, false);
            }
        }
    }
}
