//! The SMS site: its code and domain, the client network connection accounts, the
//! Software Installation account and its rights, the CAP and the distribution points,
//! and the SMS role of each of these accounts.

use super::declare::TOKEN_ACCOUNT;
use super::*;

fn role_name(role: SmsRole) -> &'static str {
    match role {
        SmsRole::ClientToken => "client token account",
        SmsRole::ClientService => "client service account",
        SmsRole::ConnectionAccount => "client network connection account",
        SmsRole::SoftwareInstallation => "Software Installation account",
    }
}

impl Lowerer {
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
        Some(Site {
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
