//! The estate's frame: the domains and their trusts, the machines (platform, domain,
//! PDC, which may hold accounts), and every share the file names.

use super::*;

impl Lowerer {
    /// Interns every share the file names, in a canonical order (server, then share
    /// name), so that share ids do not depend on where in the file a path first appears.
    /// Problems with these paths are reported where each is used.
    pub(super) fn shares(&mut self, raw: &RawScenario) {
        let paths = raw
            .site
            .cap
            .iter()
            .chain(&raw.site.distribution_points)
            .chain(raw.resources.iter().map(|r| &r.path))
            .chain(
                raw.packages
                    .iter()
                    .flat_map(|p| p.copies.iter().map(|c| &c.distribution_point)),
            )
            .chain(raw.state.connections.iter().map(|c| &c.path));
        let mut found = BTreeSet::new();
        for path in paths {
            if let Some((server, Some(share))) = parse_unc(path)
                && let Some(m) = self.find_machine(server)
                && !self.machines[m.index()].platform.is_win9x()
            {
                found.insert((m, key(share), share.to_string()));
            }
        }
        for (m, k, name) in found {
            if let std::collections::hash_map::Entry::Vacant(slot) = self.share_ids.entry((m, k)) {
                slot.insert(ShareId::from_index(self.shares.len()));
                self.shares.push(Share { server: m, name });
            }
        }
    }

    pub(super) fn domains(&mut self, raw: &RawScenario) {
        for i in by_name(&raw.domains, |d| &d.name) {
            let d = &raw.domains[i];
            let path = format!("domains[{i}].name");
            if d.name.is_empty() || d.name.contains(['\\', ' ']) {
                self.problem(path, format!("`{}` is not a NetBIOS domain name", d.name));
                continue;
            }
            if self.domain_ids.contains(&d.name) {
                self.problem(path, format!("domain `{}` is declared twice", d.name));
                continue;
            }
            self.domain_ids
                .insert(&d.name, DomainId::from_index(self.domains.len()));
            let configmgr = self.product == Product::ConfigMgr;
            for (field, given) in [
                ("forest", d.forest.is_some()),
                ("machine_account_quota", d.machine_account_quota.is_some()),
                ("add_workstations", d.add_workstations.is_some()),
            ] {
                if given && !configmgr {
                    self.problem(
                        format!("domains[{i}].{field}"),
                        format!("`{field}` describes an Active Directory domain, which only a site of `product` `configmgr` has (X-PRODUCT)"),
                    );
                }
            }
            self.domains.push(Domain {
                name: d.name.clone(),
                administrators: AccountId::from_index(0),
                rights: Vec::new(),
                controllers: Vec::new(),
                token_account: None,
                forest: configmgr.then(|| d.forest.clone().unwrap_or_else(|| d.name.clone())),
                machine_account_quota: d.machine_account_quota,
                add_workstations: None,
            });
        }
        // X-CM-AD: the domains of one forest trust each other both ways.
        for a in 0..self.domains.len() {
            for b in 0..self.domains.len() {
                let (fa, fb) = (&self.domains[a].forest, &self.domains[b].forest);
                if a != b && fa.is_some() && fa.as_deref().map(key) == fb.as_deref().map(key) {
                    self.trusts
                        .insert((DomainId::from_index(a), DomainId::from_index(b)));
                }
            }
        }
        for (i, d) in raw.domains.iter().enumerate() {
            for (j, t) in d.trusts.iter().enumerate() {
                let path = format!("domains[{i}].trusts[{j}]");
                let trusted = self.domain_ref(t, &path);
                if trusted.is_some() && key(t) == key(&d.name) {
                    self.problem(path, format!("domain `{t}` cannot trust itself"));
                } else if let (Some(b), Some(&a)) = (trusted, self.domain_ids.get(&d.name)) {
                    self.trusts.insert((a, b));
                }
            }
        }
    }

    pub(super) fn machines(&mut self, raw: &RawScenario) {
        self.machines.reserve(raw.machines.len());
        let machines = &self.machines;
        self.machine_ids
            .reserve(raw.machines.len(), |i| &machines[i].name);
        self.machine_of_raw = vec![None; raw.machines.len()];
        for i in by_name(&raw.machines, |m| &m.name) {
            let m = &raw.machines[i];
            let path = || format!("machines[{i}]");
            if m.name.is_empty() || m.name.contains(['\\', ' ']) {
                self.problem(
                    format!("{}.name", path()),
                    format!("`{}` is not a NetBIOS computer name", m.name),
                );
                continue;
            }
            // In name order: a namesake already made is the one made last.
            if self
                .machines
                .last()
                .is_some_and(|p| p.name.eq_ignore_ascii_case(&m.name))
            {
                self.problem(
                    format!("{}.name", path()),
                    format!("machine `{}` is declared twice", m.name),
                );
                continue;
            }
            if self.domain_ids.contains(&m.name) {
                self.problem(
                    format!("{}.name", path()),
                    format!("`{}` is already a domain name; NetBIOS names of domains and computers are one namespace", m.name),
                );
                continue;
            }
            let platform = match m.platform {
                RawPlatform::Windows95 => Platform::Windows95,
                RawPlatform::Windows98 => Platform::Windows98,
                RawPlatform::Nt4Workstation => Platform::NtWorkstation,
                RawPlatform::Nt4Server => Platform::NtServer,
                RawPlatform::Nt4Pdc => Platform::NtDomainController(DcRole::Pdc),
                RawPlatform::Nt4Bdc => Platform::NtDomainController(DcRole::Bdc),
                RawPlatform::WindowsClient => Platform::WindowsClient,
                RawPlatform::WindowsServer => Platform::WindowsServer,
                RawPlatform::WindowsServerDc => Platform::WindowsDomainController,
            };
            match (self.product, platform.is_current_windows()) {
                (Product::Sms2, true) => self.problem(
                    format!("{}.platform", path()),
                    format!("`{}` is a current Windows, which only a site of `product` `configmgr` manages (X-PRODUCT)", platform.as_str()),
                ),
                (Product::ConfigMgr, false) => self.problem(
                    format!("{}.platform", path()),
                    format!("`{}` is an SMS 2.0 platform; a Configuration Manager estate has `windows_client`, `windows_server` or `windows_server_dc` (X-CM-WINDOWS)", platform.as_str()),
                ),
                _ => {}
            }
            let domain = match &m.domain {
                Some(d) => match self.domain_ids.get(d) {
                    Some(&id) => Some(id),
                    None => self.domain_ref(d, &format!("{}.domain", path())),
                },
                None => None,
            };
            if platform.is_dc() && m.domain.is_none() {
                self.problem(
                    format!("{}.domain", path()),
                    format!("domain controller `{}` must name its domain", m.name),
                );
            }
            let id = MachineId::from_index(self.machines.len());
            if let (Platform::NtDomainController(role), Some(d)) = (platform, domain) {
                let dom = &mut self.domains[d.index()];
                if role == DcRole::Pdc {
                    let pdc = dom.controllers.iter().find(|c| {
                        self.machines[c.index()].platform
                            == Platform::NtDomainController(DcRole::Pdc)
                    });
                    if let Some(other) = pdc {
                        let (other, dname) =
                            (self.machines[other.index()].name.clone(), dom.name.clone());
                        self.problem(
                            format!("{}.platform", path()),
                            format!(
                                "domain `{dname}` already has PDC `{other}`; a domain has one PDC"
                            ),
                        );
                    }
                }
                self.domains[d.index()].controllers.push(id);
            }
            let own_sam = matches!(
                platform,
                Platform::NtWorkstation
                    | Platform::NtServer
                    | Platform::WindowsClient
                    | Platform::WindowsServer
            );
            if !own_sam {
                let why = if platform.is_dc() {
                    "a domain controller keeps its accounts in its domain's database; declare them in the domain"
                } else {
                    "Windows 95/98 have no account database"
                };
                for (field, n) in [
                    ("users", m.users.len()),
                    ("local_groups", m.local_groups.len()),
                    ("rights", m.rights.len()),
                ] {
                    if n > 0 {
                        self.problem(
                            format!("{}.{field}", path()),
                            format!("`{}` cannot hold {field}: {why}", m.name),
                        );
                    }
                }
            }
            self.machine_of_raw[i] = Some(id);
            self.machines.push(Machine {
                name: m.name.clone(),
                platform,
                domain,
                sms_client: m.sms_client,
                administrators: own_sam.then(|| AccountId::from_index(0)),
                rights: Vec::new(),
                token_account: None,
                service_account: None,
                computer_account: None,
            });
            let machines = &self.machines;
            self.machine_ids
                .insert_new(id.index(), |i| &machines[i].name);
        }
    }
}
