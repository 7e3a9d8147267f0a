//! Software distribution objects: non-SMS resources, packages and their copies on
//! distribution points (with their access lists), programs (the console's rules),
//! collections and advertisements.

use std::collections::HashMap;

use super::*;

impl Lowerer {
    /// An access list on a share of `server`: every entry resolved, and accepted by the
    /// server's account database.
    pub(super) fn grants(
        &mut self,
        names: &[Text],
        path: &str,
        server: MachineId,
    ) -> Vec<AccountId> {
        let mut out = Vec::new();
        for (i, n) in names.iter().enumerate() {
            let entry = format!("{path}[{i}]");
            let Some(a) = self.account_ref(n, None, &entry) else {
                continue;
            };
            match self.directory().access_refusal(server, a, n) {
                Some(why) => self.problem(entry, why),
                None => out.push(a),
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    pub(super) fn resources(&mut self, raw: &RawScenario) -> Vec<(String, Resource)> {
        let mut out: Vec<(String, Resource)> = Vec::new();
        for i in by_name(&raw.resources, |r| &r.name) {
            let r = &raw.resources[i];
            if out.iter().any(|(k, _)| *k == key(&r.name)) {
                self.problem(
                    format!("resources[{i}].name"),
                    format!("resource `{}` is declared twice", r.name),
                );
                continue;
            }
            let share = self.share_ref(&r.path, &format!("resources[{i}].path"), true);
            if let Some((server, Some(share))) = share {
                let read = self.grants(&r.read, &format!("resources[{i}].read"), server);
                out.push((
                    key(&r.name),
                    Resource {
                        name: r.name.to_string(),
                        share,
                        read,
                    },
                ));
            }
        }
        out
    }

    pub(super) fn packages(
        &mut self,
        raw: &RawScenario,
        site: Option<&Site>,
    ) -> (Vec<Package>, HashMap<String, PackageId>) {
        let mut packages = Vec::new();
        let mut ids = HashMap::new();
        for i in by_name(&raw.packages, |p| &p.id) {
            let p = &raw.packages[i];
            if ids.contains_key(&key(&p.id)) {
                self.problem(
                    format!("packages[{i}].id"),
                    format!("package `{}` is declared twice", p.id),
                );
                continue;
            }
            if p.copies.is_empty() {
                self.problem(
                    format!("packages[{i}].copies"),
                    format!(
                        "package `{}` needs a copy on at least one distribution point",
                        p.id
                    ),
                );
            }
            let mut copies: Vec<PackageCopy> = Vec::new();
            for (j, c) in p.copies.iter().enumerate() {
                let path = format!("packages[{i}].copies[{j}].distribution_point");
                let Some((server, Some(share))) =
                    self.share_ref(&c.distribution_point, &path, true)
                else {
                    continue;
                };
                let reported = raw
                    .site
                    .distribution_points
                    .iter()
                    .any(|d| d.eq_ignore_ascii_case(&c.distribution_point));
                if let Some(site) = site
                    && !site.distribution_points.contains(&share)
                    && !reported
                {
                    let known = list(site.distribution_points.iter().map(|s| {
                        let sh = &self.shares[s.index()];
                        format!("\\\\{}\\{}", self.machines[sh.server.index()].name, sh.name)
                    }));
                    self.problem(path, format!("`{}` is not a distribution point of the site; its distribution points are {known}", c.distribution_point));
                    continue;
                }
                if copies.iter().any(|k| k.share == share) {
                    self.problem(path, format!("`{}` is listed twice", c.distribution_point));
                    continue;
                }
                let path = format!("packages[{i}].copies[{j}].read");
                let read = self.grants(c.read.as_deref().unwrap_or_default(), &path, server);
                // CM-DP-USERS: at a Configuration Manager site a copy without a read list
                // keeps the distribution point's default, Read for its local Users.
                let users_by_default = c.read.is_none() && self.product == Product::ConfigMgr;
                copies.push(PackageCopy {
                    share,
                    read,
                    users_by_default,
                });
            }
            ids.insert(key(&p.id), PackageId::from_index(packages.len()));
            packages.push(Package {
                id: p.id.to_string(),
                copies,
            });
        }
        (packages, ids)
    }

    pub(super) fn programs(
        &mut self,
        raw: &RawScenario,
        packages: &HashMap<String, PackageId>,
        resources: &[(String, Resource)],
        site: Option<&Site>,
    ) -> (Vec<Program>, HashMap<String, ProgramId>) {
        let mut programs = Vec::new();
        let mut ids = HashMap::new();
        for i in by_name(&raw.programs, |p| &p.name) {
            let p = &raw.programs[i];
            let path = format!("programs[{i}]");
            if ids.contains_key(&key(&p.name)) {
                self.problem(
                    format!("{path}.name"),
                    format!("program `{}` is declared twice", p.name),
                );
                continue;
            }
            let package = packages.get(&key(&p.package)).copied();
            if package.is_none() {
                let mut known: Vec<&Text> = raw.packages.iter().map(|p| &p.id).collect();
                known.sort();
                self.problem(
                    format!("{path}.package"),
                    format!(
                        "unknown package `{}`; known packages are {}",
                        p.package,
                        list(known)
                    ),
                );
            }
            let run_mode = match p.run_mode {
                RawRunMode::UserRights => RunMode::UserRights,
                RawRunMode::AdministrativeRights => RunMode::AdministrativeRights,
            };
            let can_run = match p.can_run {
                RawCanRun::OnlyWhenUserLoggedOn => CanRun::OnlyWhenUserLoggedOn,
                RawCanRun::WhetherOrNotUserLoggedOn => CanRun::WhetherOrNotUserLoggedOn,
                RawCanRun::OnlyWhenNoUserLoggedOn => CanRun::OnlyWhenNoUserLoggedOn,
            };
            for (field, problem) in program_settings_problems(
                self.product,
                run_mode,
                can_run,
                (
                    p.use_software_installation_account,
                    p.allow_user_interaction,
                ),
                site.map(|s| s.software_installation_account.is_some()),
            ) {
                self.problem(format!("{path}.{field}"), problem);
            }
            let mut needs = Vec::new();
            for (j, r) in p.resources.iter().enumerate() {
                match resources.iter().position(|(k, _)| *k == key(r)) {
                    Some(k) if !needs.contains(&ResourceId::from_index(k)) => {
                        needs.push(ResourceId::from_index(k))
                    }
                    Some(_) => self.problem(
                        format!("{path}.resources[{j}]"),
                        format!("`{r}` is listed twice"),
                    ),
                    None => {
                        let known = list(resources.iter().map(|(_, r)| &r.name));
                        self.problem(
                            format!("{path}.resources[{j}]"),
                            format!("unknown resource `{r}`; known resources are {known}"),
                        );
                    }
                }
            }
            needs.sort_unstable();
            ids.insert(key(&p.name), ProgramId::from_index(programs.len()));
            programs.push(Program {
                name: p.name.to_string(),
                package: package.unwrap_or(PackageId::from_index(0)),
                run_mode,
                can_run,
                use_software_installation_account: p.use_software_installation_account,
                allow_user_interaction: p.allow_user_interaction,
                resources: needs,
            });
        }
        (programs, ids)
    }

    /// The clients `names` lists at `path`: each an SMS client, listed once; in id order.
    pub(super) fn client_list(&mut self, names: &[Text], path: &str) -> Vec<MachineId> {
        let mut clients = Vec::with_capacity(names.len());
        // One flag a machine: far cheaper than a hash set at a million clients.
        let mut seen = vec![false; self.machines.len()];
        // The machines just after the last one found are tried first (`names::near`).
        let mut next = 0usize;
        for (j, t) in names.iter().enumerate() {
            let found = match super::names::near(&self.machines, next, t) {
                Some(m) => Some(m),
                None => match self.find_machine(t) {
                    Some(m) => Some(m),
                    None => self.machine_ref(t, &format!("{path}[{j}]")),
                },
            };
            if let Some(m) = found {
                next = m.index() + 1;
            }
            let Some(m) = found else {
                continue;
            };
            if !self.machines[m.index()].sms_client {
                self.problem(
                    format!("{path}[{j}]"),
                    format!("`{t}` is not an SMS client (`sms_client` is false)"),
                );
            } else if std::mem::replace(&mut seen[m.index()], true) {
                self.problem(format!("{path}[{j}]"), format!("`{t}` is listed twice"));
            } else {
                clients.push(m);
            }
        }
        clients.sort_unstable();
        clients
    }

    pub(super) fn collections(
        &mut self,
        raw: &RawScenario,
    ) -> (Vec<Collection>, Map<String, CollectionId>) {
        let mut out = Vec::new();
        let mut ids = Map::default();
        for i in by_name(&raw.collections, |c| &c.name) {
            let c = &raw.collections[i];
            let path = format!("collections[{i}]");
            if c.name.is_empty() {
                self.problem(format!("{path}.name"), "a collection needs a name");
                continue;
            }
            if ids.contains_key(&key(&c.name)) {
                self.problem(
                    format!("{path}.name"),
                    format!("collection `{}` is declared twice", c.name),
                );
                continue;
            }
            let members = self.client_list(&c.members, &format!("{path}.members"));
            ids.insert(key(&c.name), CollectionId::from_index(out.len()));
            out.push(Collection {
                name: c.name.to_string(),
                members,
            });
        }
        (out, ids)
    }

    pub(super) fn advertisements(
        &mut self,
        raw: &RawScenario,
        programs: &HashMap<String, ProgramId>,
        collections: &[Collection],
        collection_ids: &Map<String, CollectionId>,
    ) -> Vec<Advertisement> {
        let mut out: Vec<Advertisement> = Vec::new();
        let mut previous: Option<&str> = None;
        for i in by_name(&raw.advertisements, |a| &a.name) {
            let a = &raw.advertisements[i];
            let path = format!("advertisements[{i}]");
            // Sorted by name: a name declared twice follows its first declaration.
            if previous.is_some_and(|p| p.eq_ignore_ascii_case(&a.name)) {
                self.problem(
                    format!("{path}.name"),
                    format!("advertisement `{}` is declared twice", a.name),
                );
                continue;
            }
            previous = Some(&a.name);
            let program = programs.get(&key(&a.program)).copied();
            if program.is_none() {
                let mut known: Vec<&Text> = raw.programs.iter().map(|p| &p.name).collect();
                known.sort();
                self.problem(
                    format!("{path}.program"),
                    format!(
                        "unknown program `{}`; known programs are {}",
                        a.program,
                        list(known)
                    ),
                );
            }
            let (collection, targets) = match (&a.collection, &a.targets) {
                (Some(_), Some(_)) => {
                    self.problem(
                        format!("{path}.targets"),
                        "an advertisement names a collection or lists its targets, not both",
                    );
                    continue;
                }
                (None, None) => {
                    self.problem(
                        path,
                        "an advertisement needs `collection` (a collection's name) or `targets` (a list of clients)",
                    );
                    continue;
                }
                (Some(name), None) => match collection_ids.get(&key(name)) {
                    Some(&c) => (Some(c), collections[c.index()].members.clone()),
                    None => {
                        let mut known: Vec<&Text> =
                            raw.collections.iter().map(|c| &c.name).collect();
                        known.sort();
                        self.problem(
                            format!("{path}.collection"),
                            format!(
                                "unknown collection `{name}`; known collections are {}",
                                list(known)
                            ),
                        );
                        continue;
                    }
                },
                (None, Some(names)) => (None, self.client_list(names, &format!("{path}.targets"))),
            };
            if let Some(program) = program {
                out.push(Advertisement {
                    name: a.name.to_string(),
                    program,
                    collection,
                    targets,
                });
            }
        }
        out
    }
}
