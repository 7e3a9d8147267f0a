//! The state a scenario starts in: trusts, logons, connections, account status, stale
//! passwords and servers that are down, checked against the finished estate.

use super::*;

/// The initial state. Needs the finished estate; problems go to `problems`.
pub(super) fn state(raw: &RawScenario, estate: &Estate, problems: &mut Problems) -> State {
    let mut l = StateLowerer {
        estate,
        state: State::new(estate),
        problems,
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
}

impl StateLowerer<'_> {
    fn problem(&mut self, path: String, message: String) {
        self.problems.push((path, message));
    }

    /// An account by its qualified name.
    fn account(&mut self, text: &str, path: impl FnOnce() -> String) -> Option<AccountId> {
        let found = self.estate.account_by_name(text);
        if found.is_none() {
            self.problem(
                path(),
                format!(
                    "unknown account `{text}`; expected `DOMAIN\\name` or `MACHINE\\name` of a declared account"
                ),
            );
        }
        found
    }

    /// A machine by name.
    fn machine(&mut self, name: &str, path: impl FnOnce() -> String) -> Option<MachineId> {
        let found = self.estate.machine_by_name(name);
        if found.is_none() {
            let known = list(self.estate.machines().iter().map(|m| &m.name));
            self.problem(
                path(),
                format!("unknown machine `{name}`; known machines are {known}"),
            );
        }
        found
    }

    /// The trusts the domains declare (each checked while the estate was built).
    fn trusts(&mut self, raw: &RawScenario) {
        let estate = self.estate;
        for d in &raw.domains {
            for t in &d.trusts {
                if let (Some(a), Some(b)) =
                    (estate.domain_by_name(&d.name), estate.domain_by_name(t))
                    && a != b
                {
                    self.state.set_trust(a, b, true);
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
            let a = estate.account(user);
            let m = estate.machine(client);
            let local_ok = a.store == Store::Local(client);
            if a.kind != AccountKind::User {
                self.problem(
                    format!("{}.user", path()),
                    format!("`{}` is a group; only a user logs on", logon.user),
                );
            } else if !matches!(a.store, Store::Domain(_)) && !local_ok {
                let why = if m.platform.is_win9x() {
                    "Windows 95/98 users log on with domain accounts"
                } else {
                    "a local account logs on only at its own machine"
                };
                self.problem(
                    format!("{}.user", path()),
                    format!("`{}` cannot log on at `{}`: {why}", logon.user, m.name),
                );
            } else if let (Store::Domain(home), Some(d)) = (a.store, m.domain)
                && home != d
                && !self.state.trusts(d, home)
            {
                let (hn, dn) = (&estate.domain(home).name, &estate.domain(d).name);
                self.problem(
                    format!("{}.user", path()),
                    format!(
                        "`{}` cannot log on at `{}`: domain `{dn}` does not trust `{hn}` (A9)",
                        logon.user, m.name
                    ),
                );
            } else if let (Store::Domain(_), None) = (a.store, m.domain) {
                self.problem(
                    format!("{}.user", path()),
                    format!(
                        "`{}` cannot log on at `{}`: the machine belongs to no domain",
                        logon.user, m.name
                    ),
                );
            } else if self.state.logged_on(client).is_some() {
                self.problem(
                    format!("{}.client", path()),
                    format!(
                        "a user is already logged on at `{}`; one interactive user per client",
                        m.name
                    ),
                );
            } else {
                self.state.log_on(client, user);
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
        let target = parse_unc(&c.path);
        if target.is_none() {
            self.problem(
                format!("{}.path", path()),
                format!(
                    "`{}` is not a network path; expected `\\\\server` or `\\\\server\\share`",
                    c.path
                ),
            );
        }
        let server = target.and_then(|(s, _)| self.machine(s, || format!("{}.path", path())));
        let device = match &c.drive {
            None => Some(Device::DeviceLess),
            Some(d) => match d.as_bytes() {
                [letter, b':'] if letter.is_ascii_alphabetic() => {
                    Some(Device::Drive(letter.to_ascii_uppercase() as char))
                }
                _ => {
                    self.problem(
                        format!("{}.drive", path()),
                        format!(
                            "`{d}` is not a drive letter; expected a letter and a colon, such as `S:`"
                        ),
                    );
                    None
                }
            },
        };
        let (Some(client), Some(credential), Some(server), Some(device)) =
            (client, credential, server, device)
        else {
            return;
        };
        let share = target.and_then(|(_, share)| share).map(|name| {
            estate
                .shares()
                .iter()
                .position(|s| s.server == server && s.name.eq_ignore_ascii_case(name))
                .map(ShareId::from_index)
        });
        // Every share a connection names was interned while lowering the estate.
        let share = share.flatten();
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
        match self.connection_problem(c, client, kind, &connection) {
            Some((field, message)) => self.problem(format!("{}.{field}", path()), message),
            None => self.state.connect(client, kind, connection),
        }
    }

    /// What makes `connection` impossible in this state, if anything: the field of the
    /// file at fault and the message.
    fn connection_problem(
        &self,
        c: &RawConnection,
        client: MachineId,
        kind: SessionKind,
        connection: &Connection,
    ) -> Option<(&'static str, String)> {
        let (estate, state) = (self.estate, &self.state);
        let Connection {
            server,
            share,
            device,
            credential,
        } = *connection;
        let cm = estate.machine(client);
        let ca = estate.account(credential);
        match kind {
            SessionKind::Interactive if state.logged_on(client).is_none() => {
                return Some((
                    "session",
                    format!(
                        "nobody is logged on at `{}`; add a logon or use the `service` session",
                        cm.name
                    ),
                ));
            }
            SessionKind::Service if !cm.platform.is_nt() || !cm.sms_client => {
                return Some((
                    "session",
                    format!(
                        "`{}` has no SMS client service session: it is not an NT SMS client",
                        cm.name
                    ),
                ));
            }
            _ => {}
        }
        if ca.kind != AccountKind::User {
            return Some((
                "as",
                format!(
                    "`{}` is a group; a connection is made with a user's credentials",
                    c.credential
                ),
            ));
        }
        if estate.machine(server).platform.is_win9x() {
            return Some((
                "path",
                format!(
                    "`{}` runs Windows 95/98; servers of the model are NT 4.0 machines",
                    estate.machine(server).name
                ),
            ));
        }
        // A10: the credentials must have authenticated at the server to make it.
        let accepted = match ca.store {
            Store::Local(home) => home == server,
            Store::Domain(d) => estate
                .machine(server)
                .domain
                .is_some_and(|sd| sd == d || state.trusts(sd, d)),
        };
        if !accepted {
            return Some((
                "as",
                format!(
                    "`{}` cannot have made a connection to `{}`: it does not authenticate there (A10)",
                    c.credential,
                    estate.machine(server).name
                ),
            ));
        }
        if cm.platform.is_win9x() && state.logged_on(client) != Some(credential) {
            return Some((
                "as",
                format!(
                    "Windows 95/98 connect as the logged-on user only; `{}` is not logged on at `{}`",
                    c.credential, cm.name
                ),
            ));
        }
        if let Device::Drive(letter) = device {
            let ipc = share.is_some_and(|sh| estate.share(sh).name.eq_ignore_ascii_case("IPC$"));
            if share.is_none() || ipc {
                return Some((
                    "drive",
                    format!("a drive letter maps a disk share; `{}` is not one", c.path),
                ));
            }
            let taken = [SessionKind::Interactive, SessionKind::Service]
                .iter()
                .any(|&k| {
                    state
                        .session(client, k)
                        .connections
                        .iter()
                        .any(|o| o.device == device)
                });
            if taken {
                return Some((
                    "drive",
                    format!("drive `{letter}:` is already mapped on `{}`", cm.name),
                ));
            }
        }
        let other = state
            .session(client, kind)
            .connections
            .iter()
            .find(|o| o.server == server && o.credential != credential)?;
        Some((
            "as",
            format!(
                "this session already connects to `{}` as `{}`; NT keeps one credential set per server in a logon session, so a second set fails with error 1219 (D4)",
                estate.machine(server).name,
                estate.qualified_name(other.credential)
            ),
        ))
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
            if !matches!(
                estate.account(a).role,
                Some(SmsRole::ConnectionAccount | SmsRole::SoftwareInstallation)
            ) {
                self.problem(
                    format!("{}.account", path()),
                    format!(
                        "`{}` is not a connection account or the Software Installation account, the only passwords a client is sent (A15, A16)",
                        s.account
                    ),
                );
                continue;
            }
            self.state.set_stale(client, a, true);
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
