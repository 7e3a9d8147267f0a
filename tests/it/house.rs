//! The house rules of `src/`, checked on the source text: no import cycle between
//! top-level modules or between sibling modules (a child may use its parent), no file
//! over about 1,000 lines, and no function over about 150 lines unless a comment at its
//! head says why (a line containing `Long because`).
//!
//! The parse is deliberately small: `crate::a::b` paths and `super::x` paths anywhere in
//! a file, doc links and unit tests included, resolved to the longest module path that
//! is a file of `src/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::common::root;

const MAX_FILE_LINES: usize = 1050;
const MAX_FN_LINES: usize = 150;

/// Every `.rs` file of `src/` as (module path, text), `lib` for the crate root.
fn sources() -> Vec<(Vec<String>, String)> {
    fn walk(dir: &Path, prefix: &[String], out: &mut Vec<(Vec<String>, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut p = prefix.to_vec();
                p.push(name);
                walk(&path, &p, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let mut module = prefix.to_vec();
                if name != "mod" && name != "lib" {
                    module.push(name);
                }
                out.push((module, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("src"), &[], &mut out);
    out
}

fn idents_after<'a>(code: &'a str, prefix: &str) -> Vec<Vec<&'a str>> {
    let mut out = Vec::new();
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (at, _) in code.match_indices(prefix) {
        if code[..at].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c}`: one path a member (nested groups are not used here).
            let group = &group[..group.find('}').unwrap_or(0)];
            for member in group.split(',') {
                let path: Vec<&str> = member.trim().split("::").map(str::trim).collect();
                out.push(path);
            }
            continue;
        }
        let end = rest
            .find(|c: char| !(is_ident(c) || c == ':'))
            .unwrap_or(rest.len());
        out.push(rest[..end].split("::").filter(|s| !s.is_empty()).collect());
    }
    out
}

/// Module dependencies: (module, module it uses), each the longest module path named.
fn dependencies() -> BTreeSet<(Vec<String>, Vec<String>)> {
    let files = sources();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(m, _)| m.clone()).collect();
    let longest = |path: Vec<String>| -> Option<Vec<String>> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| modules.contains(p))
    };
    let mut deps = BTreeSet::new();
    // A file's dependencies are read from all of it, doc comments and unit tests
    // included: a doc link to a module above is a dependency on it too.
    for (module, code) in &files {
        for path in idents_after(code, "crate::") {
            let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
            if let Some(target) = longest(path) {
                deps.insert((module.clone(), target));
            }
        }
        if let Some((_, parent)) = module.split_last() {
            for path in idents_after(code, "super::") {
                let mut full = parent.to_vec();
                full.extend(path.iter().map(|s| s.to_string()));
                if let Some(target) = longest(full) {
                    deps.insert((module.clone(), target));
                }
            }
        }
    }
    deps
}

/// A cycle in a directed graph, if there is one.
fn cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    fn visit<'a>(
        n: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|&p| p == n) {
            return Some(
                path[i..]
                    .iter()
                    .chain([&n])
                    .map(|s| s.to_string())
                    .collect(),
            );
        }
        if !done.insert(n) {
            return None;
        }
        path.push(n);
        for &m in next.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for &n in next.keys() {
        if let Some(c) = visit(n, &next, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

/// The edges between children of one parent (`[]` for the top level), from the
/// dependencies: a use of `a::b::c` from `a::d::e` is an edge `b -> d`... between the
/// two children of `a` that contain them.
fn sibling_edges(
    deps: &BTreeSet<(Vec<String>, Vec<String>)>,
) -> BTreeMap<Vec<String>, BTreeSet<(String, String)>> {
    let mut out: BTreeMap<Vec<String>, BTreeSet<(String, String)>> = BTreeMap::new();
    for (from, to) in deps {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        // A child may use its parent (or any ancestor): `to` is a prefix of `from`.
        if common == to.len() || common == from.len() {
            continue;
        }
        out.entry(from[..common].to_vec())
            .or_default()
            .insert((from[common].clone(), to[common].clone()));
    }
    out
}

#[test]
fn no_import_cycle_between_top_level_or_sibling_modules() {
    let deps = dependencies();
    // The parse finds what it should: the engine uses the decision's vocabulary.
    assert!(deps.contains(&(vec!["engine".into()], vec!["decision".into()])));
    let groups = sibling_edges(&deps);
    assert!(groups.contains_key(&Vec::<String>::new()), "{groups:?}");
    for (parent, edges) in &groups {
        assert_eq!(
            cycle(edges),
            None,
            "an import cycle among the children of `{}`",
            parent.join("::")
        );
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let edges: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(
        cycle(&edges),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let mut acyclic = edges.clone();
    acyclic.remove(&("c".to_string(), "a".to_string()));
    assert_eq!(cycle(&acyclic), None);
}

/// Each function's (name, first line, length in lines), for rustfmt-formatted code: a
/// `fn` line and the closing brace at its indentation.
fn functions(text: &str) -> Vec<(String, usize, usize, bool)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let Some(at) = trimmed.find("fn ") else {
            continue;
        };
        let head = &trimmed[..at];
        let head_ok = head.split_whitespace().all(|w| {
            ["pub", "const", "async", "unsafe", "extern"].contains(&w) || w.starts_with("pub(")
        });
        if !head_ok || trimmed.starts_with("//") {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let close = format!("{}}}", " ".repeat(indent));
        let Some(end) =
            (i..lines.len()).find(|&j| lines[j] == close || (j == i && line.ends_with('}')))
        else {
            continue;
        };
        let name: String = trimmed[at + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let reason = lines[i.saturating_sub(8)..i]
            .iter()
            .any(|l| l.contains("Long because"));
        out.push((name, i + 1, end - i + 1, reason));
    }
    out
}

#[test]
fn files_and_functions_stay_small() {
    let mut too_long = Vec::new();
    let mut largest = (0, String::new());
    let mut longest_fn = (0, String::new());
    for (module, text) in sources() {
        let name = if module.is_empty() {
            "lib".to_string()
        } else {
            module.join("::")
        };
        let n = text.lines().count();
        if n > largest.0 {
            largest = (n, name.clone());
        }
        if n > MAX_FILE_LINES {
            too_long.push(format!("{name}: {n} lines"));
        }
        for (f, line, len, reason) in functions(&text) {
            if len > longest_fn.0 {
                longest_fn = (len, format!("{name}::{f}"));
            }
            if len > MAX_FN_LINES && !reason {
                too_long.push(format!("{name}::{f} (line {line}): {len} lines"));
            }
        }
    }
    assert!(too_long.is_empty(), "too long: {too_long:#?}");
    // The parse sees functions at all: the engine's resolver is one.
    assert!(longest_fn.0 > 20, "{longest_fn:?}");
    println!("largest file: {largest:?}; longest function: {longest_fn:?}");
}

/// The command-line code (`src/main.rs`, `src/cli/`) is a leaf: no library module
/// declares, imports or names it, nor the argument parser it uses.
#[test]
fn the_command_line_is_a_leaf_the_library_never_imports() {
    let files = sources();
    assert!(
        files
            .iter()
            .any(|(m, _)| m.first().is_some_and(|s| s == "cli")),
        "src/cli/ exists"
    );
    for (module, text) in &files {
        let tool = module.first().is_some_and(|s| s == "cli" || s == "main");
        if tool {
            continue;
        }
        for needle in ["mod cli", "cli::", "clap"] {
            assert!(
                !text.contains(needle),
                "{}: a library module names `{needle}`",
                module.join("::")
            );
        }
    }
}
