//! The ids other tools give the estate's objects, kept beside the estate in a side table
//! (the dense account and machine tables do not grow): a domain's SID and DNS name, an
//! account's or machine's SID, and an SMS client's device id as ConfigManBearPig gives
//! it (`GUID:...` for a confirmed client, `SID@SITE` for an inferred one). The exports
//! key their nodes by them, so that what the crate exports joins what BloodHound has
//! (interop-sources.md §2.1). A scenario without ids has an empty table.

use std::collections::BTreeMap;

use super::{AccountId, DomainId, Estate, MachineId, Text};

/// A domain's ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DomainIds {
    /// Its SID, `S-1-5-21-a-b-c`.
    pub sid: Option<Text>,
    /// Its DNS name, `corp.example`.
    pub dns_name: Option<Text>,
}

/// A machine's ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MachineIds {
    /// Its SID (that of its computer account).
    pub sid: Option<Text>,
    /// Its SMS client's device id, as ConfigManBearPig gives it.
    pub device_id: Option<Text>,
}

/// The ids of an estate's objects, where the scenario gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalIds {
    pub(crate) domains: BTreeMap<DomainId, DomainIds>,
    pub(crate) accounts: BTreeMap<AccountId, Text>,
    pub(crate) machines: BTreeMap<MachineId, MachineIds>,
}

impl ExternalIds {
    /// Whether no id is given.
    pub fn is_empty(&self) -> bool {
        self.domains.is_empty() && self.accounts.is_empty() && self.machines.is_empty()
    }

    /// A domain's ids, if any is given.
    pub fn domain(&self, d: DomainId) -> Option<&DomainIds> {
        self.domains.get(&d)
    }

    /// A machine's ids, if any is given.
    pub fn machine(&self, m: MachineId) -> Option<&MachineIds> {
        self.machines.get(&m)
    }
}

impl Estate {
    /// The ids other tools give the estate's objects.
    pub fn external_ids(&self) -> &ExternalIds {
        &self.external
    }

    /// An account's SID: as given, or for a computer account `NAME$`, its machine's.
    pub fn account_sid(&self, a: AccountId) -> Option<&str> {
        if let Some(sid) = self.external.accounts.get(&a) {
            return Some(sid);
        }
        // A computer account is `NAME$`: its machine by name, without a scan.
        let account = self.account(a);
        if account.role != Some(super::SmsRole::ComputerAccount) {
            return None;
        }
        let machine = self.machine_by_name(account.name.strip_suffix('$')?)?;
        (self.machine(machine).computer_account == Some(a))
            .then(|| self.machine_sid(machine))
            .flatten()
    }

    /// A machine's SID, if given.
    pub fn machine_sid(&self, m: MachineId) -> Option<&str> {
        self.external.machine(m).and_then(|i| i.sid.as_deref())
    }

    /// A domain's SID, if given.
    pub fn domain_sid(&self, d: DomainId) -> Option<&str> {
        self.external.domain(d).and_then(|i| i.sid.as_deref())
    }
}

/// Why `text` is not a SID (`S-1-` and at least one authority and subauthority, each a
/// number), or `None` when it is one.
pub(crate) fn sid_problem(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('-').collect();
    let numbers = parts.len() >= 4
        && parts[..2] == ["S", "1"]
        && parts[2..]
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 10 && p.bytes().all(|b| b.is_ascii_digit()));
    (!numbers).then(|| {
        format!("`{text}` is not a SID; expected `S-1-` then numbers joined by `-`, such as `S-1-5-21-1004336348-1177238915-682003330-1105`")
    })
}

/// Why `text` is not a domain's SID (`S-1-5-21-` and three numbers).
pub(crate) fn domain_sid_problem(text: &str) -> Option<String> {
    sid_problem(text).or_else(|| {
        let parts: Vec<&str> = text.split('-').collect();
        (parts.len() != 7 || parts[2..4] != ["5", "21"]).then(|| {
            format!("`{text}` is not a domain's SID; expected `S-1-5-21-` and three numbers, such as `S-1-5-21-1004336348-1177238915-682003330`")
        })
    })
}

/// Why `text` is not a DNS name (labels of letters, digits and hyphens joined by dots,
/// none empty or starting or ending with a hyphen).
pub(crate) fn dns_name_problem(text: &str) -> Option<String> {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    (text.len() > 253 || !text.split('.').all(label_ok)).then(|| {
        format!("`{text}` is not a DNS name; expected labels of letters, digits and hyphens joined by dots, such as `corp.example`")
    })
}

/// Whether `sid` is `domain`'s SID and one more number (an object of that domain).
pub(crate) fn is_under(sid: &str, domain: &str) -> bool {
    sid.len() > domain.len()
        && sid[..domain.len()].eq_ignore_ascii_case(domain)
        && sid[domain.len()..].starts_with('-')
        && !sid[domain.len() + 1..].contains('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_empty_only_when_no_list_has_one() {
        let mut ids = ExternalIds::default();
        assert!(ids.is_empty());
        ids.accounts
            .insert(AccountId::from_index(0), "S-1-5-21-1-2-3-1105".into());
        assert!(!ids.is_empty());
        let mut ids = ExternalIds::default();
        ids.domains
            .insert(DomainId::from_index(0), DomainIds::default());
        assert!(!ids.is_empty());
        let mut ids = ExternalIds::default();
        ids.machines
            .insert(MachineId::from_index(0), MachineIds::default());
        assert!(!ids.is_empty());
    }

    #[test]
    fn sids_are_checked_by_shape() {
        assert_eq!(sid_problem("S-1-5-21-1-2-3-1105"), None);
        assert_eq!(sid_problem("S-1-5-32-544"), None);
        for bad in [
            "",
            "S-1-5",
            "S-2-5-21",
            "S-1-5-x",
            "s1-5-21",
            "S-1-5--1",
            "S-1-5-12345678901",
        ] {
            assert!(sid_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(domain_sid_problem("S-1-5-21-1-2-3"), None);
        assert!(domain_sid_problem("S-1-5-21-1-2-3-1105").is_some());
        assert!(domain_sid_problem("S-1-5-32-544").is_some());
        assert!(is_under("S-1-5-21-1-2-3-1105", "S-1-5-21-1-2-3"));
        assert!(!is_under("S-1-5-21-1-2-31-1105", "S-1-5-21-1-2-3"));
        assert!(!is_under("S-1-5-21-1-2-3-4-5", "S-1-5-21-1-2-3"));
        assert!(!is_under("S-1-5-21-1-2-3", "S-1-5-21-1-2-3"));
        assert_eq!(dns_name_problem("corp.example"), None);
        for bad in ["", "corp..example", "-corp.example", "corp_x.example"] {
            assert!(dns_name_problem(bad).is_some(), "{bad}");
        }
    }
}
