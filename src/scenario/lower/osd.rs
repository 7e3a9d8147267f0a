//! The secrets a Configuration Manager site puts in policy beyond the network access
//! accounts (`site.task_sequences`, `site.deployments`, `site.pxe`, a collection's
//! `variables`, `new_registrations` and `unknown_computers`), checked and resolved:
//! Configuration Manager settings only (`X-PRODUCT`), names unique, accounts and
//! machines known, a domain join account a domain user, the joined computers domain
//! members, unknown-computer collections without members, PXE on the site's
//! distribution points with at least one network segment.

use super::*;
use crate::model::osd::{
    CollectionPolicy, Deployment, Osd, Pxe, PxePassword, TaskSequence, Variable,
};
use crate::rules::RuleId;

/// The built-in collection new registrations fall into (`X-CM-NEW-REGISTRATIONS`).
const ALL_SYSTEMS: &str = "All Systems";
/// The built-in collection of computers the site does not manage.
const ALL_UNKNOWN: &str = "All Unknown Computers";

impl Lowerer {
    /// Lowers what the site puts in policy beyond its network access accounts, given the
    /// collections (by id) and the site's distribution point shares.
    pub(super) fn osd(
        &mut self,
        raw: &RawScenario,
        collections: &[Collection],
        ids: &Map<String, CollectionId>,
        dps: &[ShareId],
    ) -> Osd {
        if self.product != Product::ConfigMgr {
            for (i, c) in raw.collections.iter().enumerate() {
                let cm =
                    c.new_registrations.is_some() || c.unknown_computers || !c.variables.is_empty();
                if cm {
                    self.problem(
                        format!("collections[{i}]"),
                        "`new_registrations`, `unknown_computers` and `variables` are Configuration Manager settings; they need `site.product` `configmgr` (X-PRODUCT)",
                    );
                }
            }
            return Osd::default();
        }
        let mut osd = Osd {
            collections: vec![CollectionPolicy::default(); collections.len()],
            ..Osd::default()
        };
        for (i, c) in raw.collections.iter().enumerate() {
            let Some(&id) = ids.get(&key(&c.name)) else {
                continue;
            };
            let path = format!("collections[{i}]");
            let unknown = c.unknown_computers || c.name.eq_ignore_ascii_case(ALL_UNKNOWN);
            if unknown && !c.members.is_empty() {
                self.problem(
                    format!("{path}.members"),
                    format!("`{}` holds unknown computers, which are no clients of the site: it has no members", c.name),
                );
            }
            let (new_registrations, rule) = match c.new_registrations {
                Some(v) => (v, RuleId::XConfigured),
                None => (
                    c.name.eq_ignore_ascii_case(ALL_SYSTEMS),
                    RuleId::XCmNewRegistrations,
                ),
            };
            osd.collections[id.index()] = CollectionPolicy {
                new_registrations,
                new_registrations_rule: Some(rule),
                unknown_computers: unknown,
                variables: self.variables(&c.variables, &format!("{path}.variables")),
            };
        }
        let mut ts_ids: Map<String, usize> = Map::default();
        let mut joined_given: Vec<bool> = Vec::new();
        for (i, t) in raw.site.task_sequences.iter().enumerate() {
            let path = format!("site.task_sequences[{i}]");
            if ts_ids.contains_key(&key(&t.name)) || t.name.is_empty() {
                self.problem(
                    format!("{path}.name"),
                    format!(
                        "task sequence `{}` is declared twice or has no name",
                        t.name
                    ),
                );
                continue;
            }
            ts_ids.insert(key(&t.name), osd.task_sequences.len());
            joined_given.push(t.joined.is_some());
            let ts = self.task_sequence(t, &path);
            osd.task_sequences.push(ts);
        }
        for (i, d) in raw.site.deployments.iter().enumerate() {
            let path = format!("site.deployments[{i}]");
            let ts = ts_ids.get(&key(&d.task_sequence)).copied();
            if ts.is_none() {
                let known = raw.site.task_sequences.iter().map(|t| &t.name);
                self.problem(
                    format!("{path}.task_sequence"),
                    crate::scenario::resolve::unknown(
                        "task sequence",
                        "task sequences",
                        &d.task_sequence,
                        known,
                    ),
                );
            }
            let c = ids.get(&key(&d.collection)).copied();
            if c.is_none() {
                let known = raw.collections.iter().map(|c| &c.name);
                self.problem(
                    format!("{path}.collection"),
                    crate::scenario::resolve::unknown(
                        "collection",
                        "collections",
                        &d.collection,
                        known,
                    ),
                );
            }
            let (Some(task_sequence), Some(collection)) = (ts, c) else {
                continue;
            };
            if osd
                .deployments
                .iter()
                .any(|x| x.task_sequence == task_sequence && x.collection == collection)
            {
                self.problem(
                    path,
                    format!(
                        "`{}` is deployed to `{}` twice",
                        d.task_sequence, d.collection
                    ),
                );
                continue;
            }
            if d.removed && d.pending {
                self.problem(
                    path,
                    "a deployment is `removed` (made, then removed) or `pending` (made later by a timeline), not both",
                );
                continue;
            }
            osd.deployments.push(Deployment {
                task_sequence,
                collection,
                removed: d.removed,
                pending: d.pending,
            });
        }
        // X-CM-DJOIN-JOINED: a domain join account joined the members of the
        // collections its task sequence is deployed to, where the file lists none.
        for (t, &given) in joined_given.iter().enumerate() {
            if given || osd.task_sequences[t].domain_join.is_none() {
                continue;
            }
            let mut joined: Vec<MachineId> = osd
                .deployments
                .iter()
                .filter(|d| d.task_sequence == t && !d.removed && !d.pending)
                .flat_map(|d| collections[d.collection.index()].members.iter().copied())
                .filter(|&m| self.machines[m.index()].domain.is_some())
                .collect();
            joined.sort_unstable();
            joined.dedup();
            osd.task_sequences[t].joined = joined;
        }
        self.pxe(raw, dps, &mut osd);
        osd
    }

    /// A task sequence's accounts, variables and joined computers.
    fn task_sequence(&mut self, t: &RawTaskSequence, path: &str) -> TaskSequence {
        let mut run_as = Vec::new();
        for (i, n) in t.run_as.iter().enumerate() {
            let p = format!("{path}.run_as[{i}]");
            let Some(a) = self.account_ref(n, None, &p) else {
                continue;
            };
            if self.accounts[a.index()].kind != AccountKind::User {
                self.problem(
                    p,
                    format!("`{n}` is a group; a step runs as a user account (CM-TS-RUNAS-RIGHTS)"),
                );
            } else if run_as.contains(&a) {
                self.problem(p, format!("`{n}` is listed twice"));
            } else {
                run_as.push(a);
            }
        }
        let domain_join = t.domain_join_account.as_ref().and_then(|n| {
            let p = format!("{path}.domain_join_account");
            let a = self.account_ref(n, None, &p)?;
            let account = &self.accounts[a.index()];
            if account.kind != AccountKind::User || !matches!(account.store, Store::Domain(_)) {
                self.problem(p, format!("`{n}` is no domain user: the domain join account is one, with the right to join computers to the domain (CM-DJOIN-OWNER)"));
                return None;
            }
            Some(a)
        });
        let mut joined = Vec::new();
        for (i, n) in t.joined.iter().flatten().enumerate() {
            let p = format!("{path}.joined[{i}]");
            let Some(m) = self.machine_ref(n, &p) else {
                continue;
            };
            if self.machines[m.index()].domain.is_none() {
                self.problem(
                    p,
                    format!("`{n}` is in a workgroup: no task sequence joined it to a domain"),
                );
            } else if joined.contains(&m) {
                self.problem(p, format!("`{n}` is listed twice"));
            } else {
                joined.push(m);
            }
        }
        if t.joined.is_some() && domain_join.is_none() && t.domain_join_account.is_none() {
            self.problem(
                format!("{path}.joined"),
                "a task sequence joins computers with its `domain_join_account`, which is not given",
            );
        }
        joined.sort_unstable();
        TaskSequence {
            name: t.name.to_string(),
            run_as,
            domain_join,
            variables: self.variables(&t.variables, &format!("{path}.variables")),
            joined,
            joined_rule: if t.joined.is_some() {
                RuleId::XConfigured
            } else {
                RuleId::XCmDjoinJoined
            },
            ownership_reassigned: t.ownership_reassigned,
        }
    }

    /// Variables named once each, their accounts known.
    fn variables(&mut self, raw: &[RawVariable], field: &str) -> Vec<Variable> {
        let mut out: Vec<Variable> = Vec::new();
        for (i, v) in raw.iter().enumerate() {
            let path = format!("{field}[{i}]");
            if v.name.is_empty() || out.iter().any(|o| o.name.eq_ignore_ascii_case(&v.name)) {
                self.problem(
                    format!("{path}.name"),
                    format!("variable `{}` is declared twice or has no name", v.name),
                );
                continue;
            }
            let account = match &v.account {
                None => None,
                Some(n) => match self.account_ref(n, None, &format!("{path}.account")) {
                    None => continue,
                    Some(a) if self.accounts[a.index()].kind != AccountKind::User => {
                        self.problem(
                            format!("{path}.account"),
                            format!("`{n}` is a group; a variable holds a user account's password"),
                        );
                        continue;
                    }
                    Some(a) => Some(a),
                },
            };
            if v.removed && v.pending {
                self.problem(
                    path,
                    "a variable is `removed` (set, then removed) or `pending` (set later by a timeline), not both",
                );
                continue;
            }
            out.push(Variable {
                name: v.name.to_string(),
                account,
                secret: v.secret,
                removed: v.removed,
                pending: v.pending,
            });
        }
        out
    }

    /// The PXE-enabled distribution points, each once, and the segments they answer.
    fn pxe(&mut self, raw: &RawScenario, dps: &[ShareId], osd: &mut Osd) {
        for (i, p) in raw.site.pxe.iter().enumerate() {
            let path = format!("site.pxe[{i}]");
            let server = self.pxe_server(
                &p.distribution_point,
                dps,
                &format!("{path}.distribution_point"),
            );
            if p.segments.is_empty() {
                self.problem(
                    format!("{path}.segments"),
                    "a PXE distribution point answers on at least one network segment",
                );
            }
            let mut segments = Vec::new();
            for (j, name) in p.segments.iter().enumerate() {
                if name.is_empty() {
                    self.problem(format!("{path}.segments[{j}]"), "a segment needs a name");
                    continue;
                }
                let index = match osd
                    .segments
                    .iter()
                    .position(|s| s.eq_ignore_ascii_case(name))
                {
                    Some(k) => k,
                    None => {
                        osd.segments.push(name.to_string());
                        osd.segments.len() - 1
                    }
                };
                if segments.contains(&index) {
                    self.problem(
                        format!("{path}.segments[{j}]"),
                        format!("`{name}` is listed twice"),
                    );
                } else {
                    segments.push(index);
                }
            }
            let Some(server) = server else { continue };
            if osd.pxe.iter().any(|x| x.server == server) {
                self.problem(
                    format!("{path}.distribution_point"),
                    format!("`{}` is listed twice", p.distribution_point),
                );
                continue;
            }
            segments.sort_unstable();
            osd.pxe.push(Pxe {
                server,
                password: match p.password {
                    RawPxePassword::None => PxePassword::None,
                    RawPxePassword::Set => PxePassword::Set,
                    RawPxePassword::Weak => PxePassword::Weak,
                },
                unknown_computers: p.unknown_computers,
                segments,
            });
        }
        osd.pxe.sort_by_key(|p| p.server);
    }

    /// The server of a distribution point named by its server or its share.
    fn pxe_server(&mut self, text: &str, dps: &[ShareId], path: &str) -> Option<MachineId> {
        let server = if text.starts_with('\\') {
            self.share_ref(text, path, true)
                .and_then(|(m, share)| share.filter(|s| dps.contains(s)).map(|_| m))
        } else {
            self.machine_ref(text, path)
                .filter(|&m| dps.iter().any(|&s| self.shares[s.index()].server == m))
        };
        if server.is_none() && !self.problems.iter().any(|(p, _)| p == path) {
            self.problem(
                path,
                format!(
                    "`{text}` is not one of `site.distribution_points` (by its server or its share)"
                ),
            );
        }
        server
    }
}
