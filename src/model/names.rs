//! Case-insensitive name tables: NetBIOS and account names compare without regard to
//! ASCII case. A key is stored once, upper-cased; a look-up hashes and compares the
//! name it is given folded on the fly, so it allocates nothing (a loader looks names up
//! millions of times).

use std::hash::{Hash, Hasher};

use hashbrown::Equivalent;

/// Feeds the upper-case bytes of `name` to `state`, in fixed-size chunks, then an end
/// marker: the same calls whether the name is already upper case or not, so a stored
/// key and a folded look-up hash alike.
fn hash_folded<H: Hasher>(name: &str, state: &mut H) {
    let mut buf = [0u8; 32];
    for chunk in name.as_bytes().chunks(buf.len()) {
        let buf = &mut buf[..chunk.len()];
        buf.copy_from_slice(chunk);
        buf.make_ascii_uppercase();
        state.write(buf);
    }
    state.write_u8(0xff);
}

/// A stored key: the name upper-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Upper(Box<str>);

impl Hash for Upper {
    fn hash<H: Hasher>(&self, state: &mut H) {
        hash_folded(&self.0, state);
    }
}

/// A look-up: a name as written.
struct Folded<'a>(&'a str);

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

    /// The value of `name`, inserted with `make` when there is none.
    pub(crate) fn get_or_insert_with(&mut self, name: &str, make: impl FnOnce() -> V) -> V
    where
        V: Copy,
    {
        if let Some(&value) = self.get(name) {
            return value;
        }
        let value = make();
        self.map
            .insert(Upper(name.to_ascii_uppercase().into_boxed_str()), value);
        value
    }

    /// Makes room for `more` names.
    pub(crate) fn reserve(&mut self, more: usize) {
        self.map.reserve(more);
    }

    /// How many names.
    pub(crate) fn len(&self) -> usize {
        self.map.len()
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
        assert_eq!(m.get_or_insert_with("Domain Users", || 4), 4);
        assert_eq!(m.get_or_insert_with("DOMAIN USERS", || 5), 4);
        assert_eq!(m.len(), 3);
    }
}
