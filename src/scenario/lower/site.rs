//! The SMS site: its code and domain, the client network connection accounts, the
//! Software Installation account and its rights, the CAP and the distribution points,
//! and the SMS role of each of these accounts; at a Configuration Manager site, what
//! it adds (the network access accounts, its communication and approval settings, the
//! site server and database), each refused where the other product has none
//! (`X-PRODUCT`).

use super::declare::TOKEN_ACCOUNT;
use super::*;

fn role_name(role: SmsRole) -> &'static str {
    match role {
        SmsRole::ClientToken => "client token account",
        SmsRole::ClientService => "client service account",
        SmsRole::ConnectionAccount => "client network connection account",
        SmsRole::SoftwareInstallation => "Software Installation account",
        SmsRole::ComputerAccount => "computer account",
        SmsRole::NetworkAccess => "network access account",
    }
}

impl Lowerer {
    /// What a Configuration Manager site adds, and the refusals of settings one product
    /// has and the other does not.
    fn configmgr_site(&mut self, raw: &RawScenario, dps: &[ShareId]) -> ConfigMgrSite {
        let s = &raw.site;
        let cm = self.product == Product::ConfigMgr;
        let cm_fields = [
            (
                "network_access_accounts",
                !s.network_access_accounts.is_empty(),
            ),
            (
                "previous_network_access_accounts",
                !s.previous_network_access_accounts.is_empty(),
            ),
            ("enhanced_http", s.enhanced_http),
            ("https_only", s.https_only),
            ("approval", s.approval.is_some()),
            ("site_server", s.site_server.is_some()),
            ("passive_site_servers", !s.passive_site_servers.is_empty()),
            ("database_readers", !s.database_readers.is_empty()),
            (
                "anonymous_distribution_points",
                !s.anonymous_distribution_points.is_empty(),
            ),
            ("task_sequences", !s.task_sequences.is_empty()),
            ("deployments", !s.deployments.is_empty()),
            ("pxe", !s.pxe.is_empty()),
        ];
        let sms_fields = [
            ("token_account", s.token_account.is_some()),
            ("connection_accounts", s.connection_accounts.is_some()),
            (
                "software_installation_account",
                s.software_installation_account.is_some(),
            ),
            (
                "software_installation_rights",
                !s.software_installation_rights.is_empty(),
            ),
        ];
        for (field, given) in if cm { sms_fields } else { [("", false); 4] } {
            if given {
                self.problem(
                    format!("site.{field}"),
                    format!("`{field}` is an SMS 2.0 setting; a Configuration Manager site has network access accounts instead (X-PRODUCT)"),
                );
            }
        }
        if !cm {
            for (field, given) in cm_fields {
                if given {
                    self.problem(
                        format!("site.{field}"),
                        format!("`{field}` is a Configuration Manager setting; it needs `site.product` `configmgr` (X-PRODUCT)"),
                    );
                }
            }
            if let Some(p) = &s.client_push {
                self.client_push(p);
            }
            return ConfigMgrSite::default();
        }
        let naas = self.naa_list(
            &s.network_access_accounts,
            "site.network_access_accounts",
            None,
        );
        // The limit of 10 is the site's current accounts' (CM-NAA-LIMITS), not its past.
        let previous = self.naa_list(
            &s.previous_network_access_accounts,
            "site.previous_network_access_accounts",
            Some(&naas),
        );
        let machine = |l: &mut Self, name: &Option<Text>, path: &str| {
            name.as_ref().and_then(|n| match l.find_machine(n) {
                Some(m) => Some(m),
                None => l.machine_ref(n, path),
            })
        };
        let site_server = machine(self, &s.site_server, "site.site_server");
        let mut passive = Vec::new();
        for (i, n) in s.passive_site_servers.iter().enumerate() {
            let path = format!("site.passive_site_servers[{i}]");
            match machine(self, &Some(n.clone()), &path) {
                Some(m) if s.site_server.is_none() => {
                    let _ = m;
                    self.problem(path, format!("`{n}` is a passive site server of a site whose `site_server` is not given"));
                }
                Some(m) if Some(m) == site_server => {
                    self.problem(
                        path,
                        format!("`{n}` is the site server itself, not a passive one"),
                    );
                }
                Some(m) if passive.contains(&m) => {
                    self.problem(path, format!("`{n}` is listed twice"));
                }
                Some(m) => passive.push(m),
                None => {}
            }
        }
        let mut readers = Vec::new();
        for (i, r) in s.database_readers.iter().enumerate() {
            if let Some(a) = self.account_ref(r, None, &format!("site.database_readers[{i}]")) {
                readers.push(a);
            }
        }
        readers.sort_unstable();
        readers.dedup();
        let mut anonymous = Vec::new();
        for (i, p) in s.anonymous_distribution_points.iter().enumerate() {
            let path = format!("site.anonymous_distribution_points[{i}]");
            if let Some((_, Some(share))) = self.share_ref(p, &path, true) {
                if !dps.contains(&share) {
                    self.problem(
                        path,
                        format!("`{p}` is not one of `site.distribution_points`"),
                    );
                } else if s.enhanced_http {
                    self.problem(path, format!("`{p}` allows anonymous connections, which Enhanced HTTP forbids (CM-ENHANCED-HTTP-ANONYMOUS)"));
                } else if !anonymous.contains(&share) {
                    anonymous.push(share);
                }
            }
        }
        anonymous.sort_unstable();
        ConfigMgrSite {
            network_access_accounts: naas,
            previous_network_access_accounts: previous,
            enhanced_http: s.enhanced_http,
            https_only: s.https_only,
            approval: match s.approval {
                None | Some(RawApproval::TrustedDomains) => Approval::TrustedDomains,
                Some(RawApproval::Manual) => Approval::Manual,
                Some(RawApproval::All) => Approval::All,
            },
            site_server,
            passive_site_servers: {
                passive.sort_unstable();
                passive
            },
            database_readers: readers,
            anonymous_distribution_points: anonymous,
            client_push: s.client_push.as_ref().map(|p| self.client_push(p)),
            osd: crate::model::osd::Osd::default(),
        }
    }

    /// A list of network access accounts (`CM-NAA-LIMITS`), each a domain user, once;
    /// for the previous accounts (`current` given), none of the current ones and no
    /// limit. Each gets its role.
    fn naa_list(
        &mut self,
        names: &[Text],
        field: &str,
        current: Option<&[AccountId]>,
    ) -> Vec<AccountId> {
        let mut out: Vec<AccountId> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let path = format!("{field}[{i}]");
            let Some(a) = self.account_ref(name, None, &path) else {
                continue;
            };
            // A past account is checked as one added to an empty list would be.
            let listed: &[AccountId] = if current.is_some() { &[] } else { &out };
            if current.is_some_and(|c| c.contains(&a)) {
                self.problem(
                    path,
                    format!("`{name}` is a network access account the site uses now"),
                );
            } else if current.is_some() && out.contains(&a) {
                self.problem(path, format!("`{name}` is listed twice"));
            } else if let Some(why) = crate::model::network_access_account_problem(
                &self.accounts[a.index()],
                a,
                listed,
                name,
            ) {
                self.problem(path, why);
            } else {
                self.accounts[a.index()].role = Some(SmsRole::NetworkAccess);
                out.push(a);
            }
        }
        out
    }

    pub(super) fn domain_user(&mut self, text: &str, path: &str, what: &str) -> Option<AccountId> {
        let a = self.account_ref(text, None, path)?;
        let account = &self.accounts[a.index()];
        if account.kind != AccountKind::User || !matches!(account.store, Store::Domain(_)) {
            self.problem(
                path,
                format!("{what} must be a domain user account; `{text}` is not"),
            );
            return None;
        }
        Some(a)
    }

    pub(super) fn site(&mut self, raw: &RawScenario) -> Option<Site> {
        let s = &raw.site;
        if s.code.len() != 3 || !s.code.chars().all(|c| c.is_ascii_alphanumeric()) {
            self.problem(
                "site.code",
                format!("site code `{}` must be three letters or digits", s.code),
            );
        }
        let domain = self.domain_ref(&s.domain, "site.domain");
        let mut connection_accounts = Vec::new();
        match &s.connection_accounts {
            Some(names) => {
                for (i, name) in names.iter().enumerate() {
                    let path = format!("site.connection_accounts[{i}]");
                    if let Some(a) =
                        self.domain_user(name, &path, "a client network connection account")
                    {
                        if connection_accounts.contains(&a) {
                            self.problem(path, format!("`{name}` is listed twice"));
                        } else {
                            connection_accounts.push(a);
                        }
                    }
                }
            }
            None => {
                if let Some(d) = domain
                    && let Some(a) =
                        self.account_in(Store::Domain(d), &format!("SMSClient_{}", s.code))
                {
                    connection_accounts.push(a);
                }
            }
        }
        let swia = s.software_installation_account.as_ref().and_then(|name| {
            self.domain_user(
                name,
                "site.software_installation_account",
                "the Software Installation account",
            )
        });
        let mut swia_rights = RightSet::EMPTY;
        for (i, r) in s.software_installation_rights.iter().enumerate() {
            match Right::parse(r) {
                Some(right) => swia_rights = swia_rights.with(right),
                None => {
                    let known = list(Right::ALL.iter().map(|r| r.as_str()));
                    self.problem(
                        format!("site.software_installation_rights[{i}]"),
                        format!("unknown user right `{r}`; known rights are {known}"),
                    );
                }
            }
        }
        let cap = s
            .cap
            .as_ref()
            .and_then(|p| self.share_ref(p, "site.cap", true))
            .and_then(|(_, share)| share);
        let mut distribution_points = Vec::new();
        for (i, p) in s.distribution_points.iter().enumerate() {
            let path = format!("site.distribution_points[{i}]");
            if let Some((_, Some(share))) = self.share_ref(p, &path, true) {
                if distribution_points.contains(&share) {
                    self.problem(path, format!("`{p}` is listed twice"));
                } else {
                    distribution_points.push(share);
                }
            }
        }
        distribution_points.sort_unstable();
        let roles = connection_accounts
            .iter()
            .map(|&a| (a, SmsRole::ConnectionAccount, "site.connection_accounts"))
            .chain(swia.map(|a| {
                (
                    a,
                    SmsRole::SoftwareInstallation,
                    "site.software_installation_account",
                )
            }));
        for (a, role, path) in roles.collect::<Vec<_>>() {
            let account = &mut self.accounts[a.index()];
            match (account.role, role) {
                // The console lets the Software Installation account also be a connection
                // account; the loader warns (ACCT-CONN-NO-RIGHTS) and the account keeps
                // the more privileged role.
                (Some(SmsRole::ConnectionAccount), SmsRole::SoftwareInstallation) | (None, _) => {
                    account.role = Some(role)
                }
                (Some(other), _) if other != role => {
                    let name = account.name.clone();
                    self.problem(
                        path,
                        format!(
                            "`{name}` is already SMS's {}; it cannot also be its {}",
                            role_name(other),
                            role_name(role)
                        ),
                    );
                }
                _ => {}
            }
        }
        let configmgr = self.configmgr_site(raw, &distribution_points);
        Some(Site {
            product: self.product,
            configmgr,
            code: s.code.to_string(),
            domain: domain?,
            token_account_name: s
                .token_account
                .as_deref()
                .unwrap_or(TOKEN_ACCOUNT)
                .to_string(),
            connection_accounts,
            software_installation_account: swia,
            software_installation_rights: swia_rights,
            cap,
            distribution_points,
        })
    }
}
