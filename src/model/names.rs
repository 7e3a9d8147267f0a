//! Case-insensitive name tables: NetBIOS and account names compare without regard to
//! ASCII case. A key is stored once, upper-cased; a look-up hashes and compares the
//! name it is given folded on the fly, so it allocates nothing (a loader looks names up
//! millions of times).

use std::hash::{Hash, Hasher};

use hashbrown::Equivalent;

use super::{Account, AccountId, DomainId, Store};

/// Feeds the upper-case bytes of `name` to `state` eight at a time, then its length: the
/// same calls whether the name is already upper case or not, so a stored key and a
/// folded look-up hash alike.
fn hash_folded<H: Hasher>(name: &str, state: &mut H) {
    let bytes = name.as_bytes();
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        state.write_u64(upper8(u64::from_le_bytes(w)));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        state.write_u64(upper8(u64::from_le_bytes(w)));
    }
    state.write_usize(bytes.len());
}

/// The eight bytes of `x` with ASCII `a`..`z` made upper case and every other byte
/// left as it is, as `u8::to_ascii_uppercase` does one byte at a time.
fn upper8(x: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Each byte's low seven bits, plus an offset that sets its high bit at a threshold:
    // no carry crosses into the next byte (at most 0x7f + 0x1f).
    let low = x & !HIGH;
    let from_a = low.wrapping_add(ONES * (0x80 - u64::from(b'a')));
    let past_z = low.wrapping_add(ONES * (0x80 - u64::from(b'z') - 1));
    let lower = from_a & !past_z & !x & HIGH;
    x ^ (lower >> 2)
}

/// The order of the names' upper-case copies, without making them: the order accounts
/// are kept in within their store.
fn cmp_folded(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|b| b.to_ascii_uppercase())
        .cmp(b.bytes().map(|b| b.to_ascii_uppercase()))
}

/// A stored key: the name upper-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Upper(Box<str>);

impl Hash for Upper {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_folded(&self.0, state);
    }
}

/// A name as written, compared, ordered and hashed without regard to ASCII case, as NT
/// compares account and computer names, and without making an upper-case copy.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Folded<'a>(pub(crate) &'a str);

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Folded<'_> {}

impl PartialOrd for Folded<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Folded<'_> {
    /// The order of the upper-case copies.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        cmp_folded(self.0, other.0)
    }
}

impl Hash for Folded<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_folded(self.0, state);
    }
}

impl Equivalent<Upper> for Folded<'_> {
    fn equivalent(&self, key: &Upper) -> bool {
        self.0.eq_ignore_ascii_case(&key.0)
    }
}

/// A map from names, case-insensitive.
#[derive(Debug, Clone)]
pub(crate) struct NameMap<V> {
    map: hashbrown::HashMap<Upper, V, rustc_hash::FxBuildHasher>,
}

impl<V> Default for NameMap<V> {
    fn default() -> Self {
        NameMap {
            map: hashbrown::HashMap::default(),
        }
    }
}

impl<V: PartialEq> PartialEq for NameMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl<V: Eq> Eq for NameMap<V> {}

impl<V> NameMap<V> {
    /// The value of `name`, in any case.
    pub(crate) fn get(&self, name: &str) -> Option<&V> {
        self.map.get(&Folded(name))
    }

    /// Whether `name` is there, in any case.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.map.contains_key(&Folded(name))
    }

    /// Sets the value of `name`; returns the value it had.
    pub(crate) fn insert(&mut self, name: &str, value: V) -> Option<V> {
        if let Some(v) = self.map.get_mut(&Folded(name)) {
            return Some(std::mem::replace(v, value));
        }
        self.map
            .insert(Upper(name.to_ascii_uppercase().into_boxed_str()), value);
        None
    }
}

/// Objects by name (case-insensitive), holding positions only: the objects keep their
/// names, so a million machines are not named twice.
#[derive(Clone, Default)]
pub(crate) struct NameIndex {
    table: hashbrown::HashTable<u32>,
}

/// The index is made from the objects' names alone, so two are equal when their sizes
/// are (the objects themselves are compared beside them).
impl PartialEq for NameIndex {
    fn eq(&self, other: &Self) -> bool {
        self.table.len() == other.table.len()
    }
}

impl Eq for NameIndex {}

impl std::fmt::Debug for NameIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameIndex")
            .field("names", &self.table.len())
            .finish()
    }
}

fn name_hash(name: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    hash_folded(name, &mut h);
    h.finish()
}

impl NameIndex {
    /// Makes room for `more` names.
    pub(crate) fn reserve<'a>(&mut self, more: usize, name_of: impl Fn(usize) -> &'a str) {
        self.table
            .reserve(more, |&i| name_hash(name_of(i as usize)));
    }

    /// The position of the object named `name`, in any case.
    pub(crate) fn get<'a>(&self, name: &str, name_of: impl Fn(usize) -> &'a str) -> Option<usize> {
        self.table
            .find(name_hash(name), |&i| {
                name_of(i as usize).eq_ignore_ascii_case(name)
            })
            .map(|&i| i as usize)
    }

    /// Adds the object at `position`, whose name `name_of` gives and no other object
    /// has.
    pub(crate) fn insert_new<'a>(&mut self, position: usize, name_of: impl Fn(usize) -> &'a str) {
        let hash = name_hash(name_of(position));
        self.table
            .insert_unique(hash, position as u32, |&i| name_hash(name_of(i as usize)));
    }
}

/// Accounts by store and name (case-insensitive), holding ids only: the accounts keep
/// their names. A machine's accounts are few and found by a binary search of their
/// run; a domain's may be hundreds of thousands, so they are also in a hash table.
#[derive(Clone, Default)]
pub(crate) struct AccountIndex {
    /// The accounts of each store are together, in case-folded name order: store `s`'s
    /// are `accounts[start[s]..start[s + 1]]`, the domains' stores first, then the
    /// machines' (`slot`).
    start: Vec<u32>,
    domains: usize,
    /// The accounts of every domain, by domain and case-folded name.
    by_domain: hashbrown::HashTable<AccountId>,
}

/// The index is made from the accounts alone, so two are equal when their runs are.
impl PartialEq for AccountIndex {
    fn eq(&self, other: &Self) -> bool {
        self.start == other.start && self.domains == other.domains
    }
}

impl Eq for AccountIndex {}

impl std::fmt::Debug for AccountIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountIndex")
            .field("stores", &self.start.len().saturating_sub(1))
            .field("domain_accounts", &self.by_domain.len())
            .finish()
    }
}

fn domain_hash(domain: DomainId, name: &str) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    h.write_usize(domain.index());
    hash_folded(name, &mut h);
    h.finish()
}

impl AccountIndex {
    /// Indexes `accounts`, which must come store by store (domains first, each in id
    /// order, then machines) and within a store in [`cmp_folded`] order without
    /// namesakes, as the loader makes them.
    pub(crate) fn build(accounts: &[Account], domains: usize, machines: usize) -> Self {
        let mut start = vec![0u32; domains + machines + 1];
        for a in accounts {
            start[slot(domains, a.store) + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let in_domains = start[domains] as usize;
        let mut by_domain = hashbrown::HashTable::with_capacity(in_domains);
        for (i, a) in accounts[..in_domains].iter().enumerate() {
            let Store::Domain(d) = a.store else { continue };
            by_domain.insert_unique(domain_hash(d, &a.name), AccountId::from_index(i), |&id| {
                let a = &accounts[id.index()];
                match a.store {
                    Store::Domain(d) => domain_hash(d, &a.name),
                    Store::Local(_) => 0,
                }
            });
        }
        AccountIndex {
            start,
            domains,
            by_domain,
        }
    }

    /// The account `name` of `store`.
    pub(crate) fn find(&self, accounts: &[Account], store: Store, name: &str) -> Option<AccountId> {
        match store {
            Store::Domain(d) => self
                .by_domain
                .find(domain_hash(d, name), |&id| {
                    let a = &accounts[id.index()];
                    a.store == store && a.name.eq_ignore_ascii_case(name)
                })
                .copied(),
            Store::Local(_) => {
                let s = slot(self.domains, store);
                let (&start, &end) = (self.start.get(s)?, self.start.get(s + 1)?);
                let (start, end) = (start as usize, end as usize);
                let found = accounts[start..end]
                    .binary_search_by(|a| cmp_folded(&a.name, name))
                    .ok()?;
                Some(AccountId::from_index(start + found))
            }
        }
    }

    /// The accounts of `store`, as a range of account positions.
    pub(crate) fn of_store(&self, store: Store) -> std::ops::Range<usize> {
        let s = slot(self.domains, store);
        match (self.start.get(s), self.start.get(s + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }
}

/// Where a store's run is listed in `AccountIndex::start`.
fn slot(domains: usize, store: Store) -> usize {
    match store {
        Store::Domain(d) => d.index(),
        Store::Local(m) => domains + m.index(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_case_and_only_their_own() {
        let mut m = NameMap::default();
        assert_eq!(m.insert("Wks1", 1), None);
        assert_eq!(m.insert("WKS1", 2), Some(1));
        assert_eq!(m.get("wks1"), Some(&2));
        assert_eq!(m.get("WKS10"), None);
        assert_eq!(m.get("WKS"), None);
        let long = "A Very Long Group Name Beyond One Chunk Of Thirty-Two Bytes";
        m.insert(long, 3);
        assert_eq!(m.get(&long.to_lowercase()), Some(&3));
        m.insert("Domain Users", 4);
        assert!(m.contains("domain users") && m.contains("DOMAIN USERS"));
        assert!(!m.contains("Domain User"));
    }

    #[test]
    fn names_hash_alike_in_any_case_and_apart_otherwise() {
        assert_eq!(name_hash("wks1"), name_hash("WKS1"));
        let names = ["WKS1", "WKS2", "WKS12345678", "WKS12345679", "A", "AB", ""];
        for (i, a) in names.iter().enumerate() {
            for b in &names[i + 1..] {
                assert_ne!(name_hash(a), name_hash(b), "{a} {b}");
            }
        }
        let d = |domain, name| domain_hash(DomainId::from_index(domain), name);
        assert_eq!(d(0, "u1"), d(0, "U1"));
        assert_ne!(d(0, "u1"), d(1, "u1"));
        assert_ne!(d(0, "u1"), d(0, "u2"));
    }

    #[test]
    fn indexes_show_their_size() {
        let accounts = format!("{:?}", AccountIndex::default());
        assert!(accounts.contains("AccountIndex") && accounts.contains("stores: 0"));
        let names = format!("{:?}", NameIndex::default());
        assert!(names.contains("NameIndex") && names.contains("names: 0"));
    }

    #[test]
    fn eight_bytes_are_upper_cased_as_one_byte_is() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"aZ{`@z~\x7f";
                bytes[at] = b;
                let want = bytes.map(|c| c.to_ascii_uppercase());
                assert_eq!(
                    upper8(u64::from_le_bytes(bytes)).to_le_bytes(),
                    want,
                    "{b} at {at}"
                );
            }
        }
    }

    #[test]
    fn folded_order_is_the_order_of_upper_case_copies() {
        use std::cmp::Ordering;
        for (a, b) in [("abc", "ABD"), ("Wks1", "WKS10"), ("a_b", "A`B"), ("", "x")] {
            let upper = a.to_ascii_uppercase().cmp(&b.to_ascii_uppercase());
            assert_eq!(cmp_folded(a, b), upper, "{a} {b}");
            assert_eq!(cmp_folded(b, a), upper.reverse(), "{b} {a}");
        }
        assert_eq!(cmp_folded("Domain Users", "DOMAIN USERS"), Ordering::Equal);
        assert_eq!(Folded("Domain Users"), Folded("DOMAIN USERS"));
        assert!(Folded("WKS1") < Folded("wks10"));
    }
}
