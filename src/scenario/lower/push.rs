//! A Configuration Manager site's client push settings (`site.client_push`), checked and
//! resolved: a Configuration Manager setting (`X-PRODUCT`), a release number for the
//! version, push accounts that are domain users listed once, targets that are domain
//! members (push cannot install in a workgroup: MD client-installation-methods.md), and
//! boundaries of machines and domains.

use super::*;
use crate::model::push::{AutomaticPush, ClientPush};
use crate::scenario::raw::{RawClientPush, RawInstall};

impl Lowerer {
    /// Lowers `site.client_push`; problems go to the lowerer.
    pub(super) fn client_push(&mut self, raw: &RawClientPush) -> ClientPush {
        const PATH: &str = "site.client_push";
        if self.product != Product::ConfigMgr {
            self.problem(
                PATH,
                "`client_push` is a Configuration Manager setting; it needs `site.product` `configmgr` (X-PRODUCT)",
            );
        }
        let v = raw.version;
        if !(1511..=2999).contains(&v) || !(1..=12).contains(&(v % 100)) {
            self.problem(
                format!("{PATH}.version"),
                format!("`{v}` is no Configuration Manager release; expected its year and month, such as `2107` or `2303`"),
            );
        }
        let mut accounts: Vec<AccountId> = Vec::new();
        for (i, name) in raw.accounts.iter().enumerate() {
            let path = format!("{PATH}.accounts[{i}]");
            let Some(a) = self.account_ref(name, None, &path) else {
                continue;
            };
            let account = &self.accounts[a.index()];
            if account.kind != AccountKind::User || !matches!(account.store, Store::Domain(_)) {
                self.problem(
                    path,
                    format!("`{name}` is no domain user: a push account is one (CM-PUSH-ACCOUNTS)"),
                );
            } else if accounts.contains(&a) {
                self.problem(path, format!("`{name}` is listed twice"));
            } else {
                accounts.push(a);
            }
        }
        let manual_targets =
            self.push_machines(&raw.manual_targets, &format!("{PATH}.manual_targets"), true);
        let automatic = raw.automatic.as_ref().map(|a| AutomaticPush {
            workstations: a.workstations,
            servers: a.servers,
            domain_controllers: a.domain_controllers,
            boundaries: a
                .boundaries
                .as_ref()
                .map(|b| self.boundaries(b, &format!("{PATH}.automatic.boundaries"))),
        });
        let dns_record_creators = raw.dns_record_creators.as_ref().map(|list| {
            list.iter()
                .enumerate()
                .filter_map(|(i, n)| {
                    self.account_ref(n, None, &format!("{PATH}.dns_record_creators[{i}]"))
                })
                .collect()
        });
        ClientPush {
            automatic,
            manual_targets,
            accounts,
            version: v,
            new_install: raw.install == RawInstall::New,
            hotfix: raw.kb15599094,
            ntlm_fallback: raw.ntlm_fallback,
            automatic_site_assignment: raw.automatic_site_assignment,
            discovery_covers_new_computers: raw
                .system_discovery
                .as_ref()
                .map(|d| d.covers_new_computers),
            dns_record_creators,
            smb_signing_required: self.push_machines(
                &raw.smb_signing_required,
                &format!("{PATH}.smb_signing_required"),
                false,
            ),
            ntlm_refused: self.push_machines(
                &raw.ntlm_refused,
                &format!("{PATH}.ntlm_refused"),
                false,
            ),
        }
    }

    /// Machines named once each; for push targets, domain members.
    fn push_machines(&mut self, names: &[Text], field: &str, targets: bool) -> Vec<MachineId> {
        let mut out = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let path = format!("{field}[{i}]");
            let Some(m) = self.machine_ref(name, &path) else {
                continue;
            };
            if out.contains(&m) {
                self.problem(path, format!("`{name}` is listed twice"));
            } else if targets && self.machines[m.index()].domain.is_none() {
                self.problem(path, format!("`{name}` is in a workgroup, where client push cannot install (CM-PUSH-ACCOUNTS)"));
            } else {
                out.push(m);
            }
        }
        out.sort_unstable();
        out
    }

    /// The machines of the boundaries: each machine named, and every machine of each
    /// domain named.
    fn boundaries(&mut self, names: &[Text], field: &str) -> Vec<MachineId> {
        let mut out = Vec::new();
        for (i, name) in names.iter().enumerate() {
            if let Some(&d) = self.domain_ids.get(name) {
                out.extend(
                    (0..self.machines.len())
                        .filter(|&m| self.machines[m].domain == Some(d))
                        .map(MachineId::from_index),
                );
            } else if let Some(m) = self.machine_ref(name, &format!("{field}[{i}]")) {
                out.push(m);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
