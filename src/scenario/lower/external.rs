//! The ids other tools give the estate's objects (`external_ids`), checked against the
//! finished estate: each names an object once, is well formed (a SID, a domain's SID, a
//! DNS name, a device id), is unique, and an object of a domain with a SID has a SID under
//! it. They go to the estate's side table ([`ExternalIds`]).

use std::collections::HashMap;

use super::*;
use crate::model::{
    DomainIds, ExternalIds, MachineIds, dns_name_problem, domain_sid_problem, is_under, sid_problem,
};
use crate::scenario::raw::RawExternalIds;
use crate::scenario::resolve::Resolver;

/// Lowers `external_ids`; problems go to `problems`.
pub(super) fn external(raw: &RawExternalIds, e: &Estate, problems: &mut Problems) -> ExternalIds {
    let mut l = Ids {
        e,
        problems,
        out: ExternalIds::default(),
        seen: HashMap::new(),
    };
    l.domains(raw);
    l.accounts(raw);
    l.machines(raw);
    l.out
}

struct Ids<'a> {
    e: &'a Estate,
    problems: &'a mut Problems,
    out: ExternalIds,
    /// Every SID, DNS name and device id given so far (upper case), with its place.
    seen: HashMap<String, String>,
}

impl Ids<'_> {
    fn problem(&mut self, path: String, message: String) {
        self.problems.push((path, message));
    }

    /// Records the id of `object`; a second object with it is a problem.
    fn unique(&mut self, id: &str, object: &str, path: String) -> bool {
        match self.seen.get(&id.to_uppercase()) {
            Some(first) => {
                let message = format!("`{id}` is already the id of {first}; ids are unique");
                self.problem(path, message);
                false
            }
            None => {
                self.seen
                    .insert(id.to_uppercase(), format!("`{object}` ({path})"));
                true
            }
        }
    }

    fn domains(&mut self, raw: &RawExternalIds) {
        for (i, d) in raw.domains.iter().enumerate() {
            let path = format!("external_ids.domains[{i}]");
            let id = match Resolver(self.e).domain(&d.name) {
                Ok(id) => id,
                Err(why) => {
                    self.problem(format!("{path}.name"), why);
                    continue;
                }
            };
            if self.out.domains.contains_key(&id) {
                self.problem(
                    format!("{path}.name"),
                    format!("domain `{}` is listed twice", d.name),
                );
                continue;
            }
            let mut ids = DomainIds::default();
            if let Some(sid) = &d.sid {
                match domain_sid_problem(sid) {
                    Some(why) => self.problem(format!("{path}.sid"), why),
                    None if self.unique(sid, &d.name, format!("{path}.sid")) => {
                        ids.sid = Some(sid.clone())
                    }
                    None => {}
                }
            }
            if let Some(dns) = &d.dns_name {
                match dns_name_problem(dns) {
                    Some(why) => self.problem(format!("{path}.dns_name"), why),
                    None if self.unique(dns, &d.name, format!("{path}.dns_name")) => {
                        ids.dns_name = Some(dns.clone());
                    }
                    None => {}
                }
            }
            self.out.domains.insert(id, ids);
        }
    }

    /// A SID that must be under the SID of `domain`, when that domain has one.
    fn under_domain(
        &mut self,
        sid: &str,
        domain: Option<DomainId>,
        path: &str,
        what: &str,
    ) -> bool {
        let Some(d) = domain else { return true };
        let Some(dsid) = self.out.domain(d).and_then(|i| i.sid.clone()) else {
            return true;
        };
        if is_under(sid, &dsid) {
            return true;
        }
        let message = format!(
            "`{sid}` is not under the SID of domain `{}` (`{dsid}`), as {what} of that domain must be",
            self.e.domain(d).name
        );
        self.problem(path.to_string(), message);
        false
    }

    fn accounts(&mut self, raw: &RawExternalIds) {
        for (i, a) in raw.accounts.iter().enumerate() {
            let path = format!("external_ids.accounts[{i}]");
            let id = match Resolver(self.e).account(&a.name) {
                Ok(id) => id,
                Err(why) => {
                    self.problem(format!("{path}.name"), why);
                    continue;
                }
            };
            let account = self.e.account(id);
            if account.role == Some(SmsRole::ComputerAccount) {
                let message = format!(
                    "`{}` is a computer account: it takes its machine's SID; give it under `external_ids.machines`",
                    a.name
                );
                self.problem(format!("{path}.name"), message);
                continue;
            }
            if self.out.accounts.contains_key(&id) {
                self.problem(
                    format!("{path}.name"),
                    format!("`{}` is listed twice", a.name),
                );
                continue;
            }
            let spath = format!("{path}.sid");
            if let Some(why) = sid_problem(&a.sid) {
                self.problem(spath, why);
                continue;
            }
            // A domain's own accounts are under its SID; the built-in local groups of
            // its database (Administrators, S-1-5-32-544) are not.
            let builtin = account.kind == AccountKind::LocalGroup && a.sid.starts_with("S-1-5-32-");
            let domain = match account.store {
                Store::Domain(d) if !builtin => Some(d),
                _ => None,
            };
            if self.under_domain(&a.sid, domain, &spath, "an account")
                && self.unique(&a.sid, &a.name, spath)
            {
                self.out.accounts.insert(id, a.sid.clone());
            }
        }
    }

    fn machines(&mut self, raw: &RawExternalIds) {
        for (i, m) in raw.machines.iter().enumerate() {
            let path = format!("external_ids.machines[{i}]");
            let id = match Resolver(self.e).machine(&m.name) {
                Ok(id) => id,
                Err(why) => {
                    self.problem(format!("{path}.name"), why);
                    continue;
                }
            };
            if self.out.machines.contains_key(&id) {
                self.problem(
                    format!("{path}.name"),
                    format!("machine `{}` is listed twice", m.name),
                );
                continue;
            }
            let machine = self.e.machine(id);
            let mut ids = MachineIds::default();
            if let Some(sid) = &m.sid {
                let spath = format!("{path}.sid");
                match sid_problem(sid) {
                    Some(why) => self.problem(spath, why),
                    None if self.under_domain(sid, machine.domain, &spath, "a machine")
                        && self.unique(sid, &m.name, spath.clone()) =>
                    {
                        ids.sid = Some(sid.clone());
                    }
                    None => {}
                }
            }
            if let Some(device) = &m.device_id {
                let dpath = format!("{path}.device_id");
                if !machine.sms_client {
                    let message = format!(
                        "`{}` is not an SMS client: only a client has a device id",
                        m.name
                    );
                    self.problem(dpath, message);
                } else if device.is_empty() || device.chars().any(char::is_whitespace) {
                    let message = format!(
                        "`{device}` is not a device id; expected ConfigManBearPig's, `GUID:...` or `SID@SITE`, without spaces"
                    );
                    self.problem(dpath, message);
                } else if self.unique(device, &m.name, dpath) {
                    ids.device_id = Some(device.clone());
                }
            }
            self.out.machines.insert(id, ids);
        }
    }
}
