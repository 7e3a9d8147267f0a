//! The one name resolver: how a name written in a file (a scenario's state, its
//! expectations, a timeline's events) becomes an id of a finished [`Estate`], and how an
//! unknown one is reported, the same way everywhere, with the names that are known.
//!
//! The loader builds the estate with these same messages (see [`unknown`] and
//! [`unknown_account`]) before there is an estate to look names up in.

use crate::model::*;

/// Names as a problem lists them: up to eight in backticks, then how many more.
pub(crate) fn list(names: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let names: Vec<String> = names
        .into_iter()
        .map(|n| format!("`{}`", n.as_ref()))
        .collect();
    match names.len() {
        0 => "none".to_string(),
        1..=8 => names.join(", "),
        n => format!("{}, and {} more", names[..8].join(", "), n - 8),
    }
}

/// The edit distance of two names, ignoring case (Levenshtein, over bytes).
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(!x.eq_ignore_ascii_case(&y));
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// Known names, nearest to `name` first (by edit distance, ignoring case; ties in the
/// order given).
pub fn nearest<S: AsRef<str>>(name: &str, known: impl IntoIterator<Item = S>) -> Vec<S> {
    let mut known: Vec<(usize, usize, S)> = known
        .into_iter()
        .enumerate()
        .map(|(i, k)| (distance(name, k.as_ref()), i, k))
        .collect();
    known.sort_by_key(|&(d, i, _)| (d, i));
    known.into_iter().map(|(_, _, k)| k).collect()
}

/// `unknown machine `X`; known machines are ...`, the nearest first.
pub fn unknown(
    what: &str,
    plural: &str,
    name: &str,
    known: impl IntoIterator<Item = impl AsRef<str>>,
) -> String {
    format!(
        "unknown {what} `{name}`; known {plural} are {}",
        list(nearest(name, known))
    )
}

/// An account unknown in a database that is known, with the accounts it has.
pub(crate) fn unknown_account(
    name: &str,
    store: &str,
    known: impl IntoIterator<Item = impl AsRef<str>>,
) -> String {
    format!(
        "unknown account `{name}` in `{store}`; it has {}",
        list(nearest(name, known))
    )
}

/// An account written without its database.
pub(crate) fn no_store(text: &str) -> String {
    format!("`{text}` names no account database; expected `DOMAIN\\name` or `MACHINE\\name`")
}

/// A database name that is neither a domain nor a machine.
pub(crate) fn unknown_store(name: &str) -> String {
    format!("unknown domain or machine `{name}`")
}

/// A machine that keeps no accounts of its own, named as an account database.
pub(crate) fn no_accounts(name: &str, platform: Platform) -> String {
    let what = if platform.is_dc() {
        "a domain controller keeps its accounts in its domain's database"
    } else {
        "Windows 95/98 have no account database"
    };
    format!("`{name}` has no accounts of its own: {what}")
}

/// A text that is not `\\server` or `\\server\share`.
pub(crate) fn not_a_network_path(text: &str) -> String {
    format!("`{text}` is not a network path; expected `\\\\server` or `\\\\server\\share`")
}

/// A drive that is not a letter and a colon.
pub(crate) fn not_a_drive(text: &str) -> String {
    format!("`{text}` is not a drive letter; expected a letter and a colon, such as `S:`")
}

/// A client an advertisement is not sent to.
pub(crate) fn not_a_target(client: &str, advertisement: &str) -> String {
    format!("`{client}` is not a target of advertisement `{advertisement}`")
}

/// Resolves names of a finished estate; an unknown name is an `Err` with the message the
/// loader gives, which lists the known names nearest first. The examples answer a name
/// given on the command line with it too.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'e>(pub &'e Estate);

impl Resolver<'_> {
    /// A machine by name.
    pub fn machine(self, name: &str) -> Result<MachineId, String> {
        let e = self.0;
        e.machine_by_name(name).ok_or_else(|| {
            unknown(
                "machine",
                "machines",
                name,
                e.machines().iter().map(|m| &m.name),
            )
        })
    }

    /// A network segment a PXE distribution point answers on, by name: its index.
    pub fn segment(self, name: &str) -> Result<u32, String> {
        let segments = &self.0.site().configmgr.osd.segments;
        segments
            .iter()
            .position(|s| s.eq_ignore_ascii_case(name))
            .map(|k| k as u32)
            .ok_or_else(|| {
                if segments.is_empty() {
                    format!("unknown network segment `{name}`; the scenario has none (`site.pxe[].segments`)")
                } else {
                    unknown("network segment", "network segments", name, segments)
                }
            })
    }

    /// A collection by name.
    pub fn collection(self, name: &str) -> Result<CollectionId, String> {
        let e = self.0;
        e.collections()
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(name))
            .map(CollectionId::from_index)
            .ok_or_else(|| {
                unknown(
                    "collection",
                    "collections",
                    name,
                    e.collections().iter().map(|c| &c.name),
                )
            })
    }

    /// A variable of collection `c` by name: its index.
    pub fn collection_variable(self, c: CollectionId, name: &str) -> Result<u32, String> {
        let e = self.0;
        let variables = e
            .site()
            .configmgr
            .osd
            .collection(c)
            .map_or(&[][..], |p| &p.variables[..]);
        variables
            .iter()
            .position(|v| v.name.eq_ignore_ascii_case(name))
            .map(|i| i as u32)
            .ok_or_else(|| {
                format!(
                    "collection `{}` has no variable `{name}`; its variables are {}",
                    e.collection(c).name,
                    list(variables.iter().map(|v| &v.name))
                )
            })
    }

    /// The deployment of task sequence `ts` to collection `c`, by their names: its index.
    pub fn deployment(self, ts: &str, c: CollectionId) -> Result<u32, String> {
        let e = self.0;
        let osd = &e.site().configmgr.osd;
        osd.deployments
            .iter()
            .position(|d| {
                d.collection == c && osd.task_sequences[d.task_sequence].name.eq_ignore_ascii_case(ts)
            })
            .map(|i| i as u32)
            .ok_or_else(|| {
                format!(
                    "no deployment of task sequence `{ts}` to collection `{}` is declared; the site's deployments are {}",
                    e.collection(c).name,
                    list(osd.deployments.iter().map(|d| format!(
                        "{} to {}",
                        osd.task_sequences[d.task_sequence].name,
                        e.collection(d.collection).name
                    )))
                )
            })
    }

    /// A domain by name.
    pub fn domain(self, name: &str) -> Result<DomainId, String> {
        let e = self.0;
        e.domain_by_name(name).ok_or_else(|| {
            unknown(
                "domain",
                "domains",
                name,
                e.domains().iter().map(|d| &d.name),
            )
        })
    }

    /// An advertisement by name.
    pub fn advertisement(self, name: &str) -> Result<AdvertisementId, String> {
        let e = self.0;
        e.advertisement_by_name(name).ok_or_else(|| {
            unknown(
                "advertisement",
                "advertisements",
                name,
                e.advertisements().iter().map(|a| &a.name),
            )
        })
    }

    /// A package by its id (`ABC00001`).
    pub fn package(self, id: &str) -> Result<PackageId, String> {
        let e = self.0;
        e.packages()
            .iter()
            .position(|p| p.id.eq_ignore_ascii_case(id))
            .map(PackageId::from_index)
            .ok_or_else(|| {
                unknown(
                    "package",
                    "packages",
                    id,
                    e.packages().iter().map(|p| &p.id),
                )
            })
    }

    /// An account by its qualified name `STORE\name`.
    pub fn account(self, text: &str) -> Result<AccountId, String> {
        let e = self.0;
        let Some((store_name, name)) = text.split_once('\\') else {
            return Err(no_store(text));
        };
        let store = match e.domain_by_name(store_name) {
            Some(d) => Store::Domain(d),
            None => {
                let m = e
                    .machine_by_name(store_name)
                    .ok_or_else(|| unknown_store(store_name))?;
                if e.machine(m).administrators.is_none() {
                    return Err(no_accounts(store_name, e.machine(m).platform));
                }
                Store::Local(m)
            }
        };
        e.account_in(store, name).ok_or_else(|| {
            let known = e.accounts_of(store).iter().map(|a| &a.name);
            unknown_account(name, e.store_name(store), known)
        })
    }

    /// A server, and the share when the path names one the scenario knows:
    /// `\\server` or `\\server\share`. A share the scenario does not name (`IPC$`, say)
    /// is the server's, as the engine sees a connection to it.
    pub fn path(self, text: &str) -> Result<(MachineId, Option<ShareId>), String> {
        let (server, share) = parse_unc(text).ok_or_else(|| not_a_network_path(text))?;
        let m = self.machine(server)?;
        Ok((m, share.and_then(|share| self.0.share_on(m, share))))
    }
}

/// Splits `\\server` or `\\server\share`.
pub(crate) fn parse_unc(text: &str) -> Option<(&str, Option<&str>)> {
    let rest = text.strip_prefix("\\\\")?;
    let (server, share) = match rest.split_once('\\') {
        Some((server, share)) => (server, Some(share)),
        None => (rest, None),
    };
    let valid = |s: &str| !s.is_empty() && !s.contains(['\\', '/']);
    (valid(server) && share.is_none_or(valid)).then_some((server, share))
}

/// A drive as written (`s:`, `S:`).
pub(crate) fn parse_drive(text: &str) -> Option<Device> {
    match text.as_bytes() {
        [letter, b':'] if letter.is_ascii_alphabetic() => {
            Some(Device::Drive(letter.to_ascii_uppercase() as char))
        }
        _ => None,
    }
}
