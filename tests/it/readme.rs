//! The README holds true: every JSON block it shows loads (comments removed) and meets
//! its expectations, and every command of the tool it shows (`cargo run -- NAME` or
//! `sms-accounts NAME`) that finishes in seconds runs and exits 0 (placeholders filled in: `FILE` is the exposure-estate
//! fixture, `KIND` the decisions schema; optional `[...]` parts dropped; output pipes
//! and redirections cut). Release-build commands (the performance section) are left out
//! by name: they take minutes.

use sms_client_accounts::Scenario;

use crate::common::root;

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// `text` without `//` comments outside strings.
fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match c {
                '\\' => out.extend(chars.next()),
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '/' && chars.peek() == Some(&'/') {
            for d in chars.by_ref() {
                if d == '\n' {
                    out.push('\n');
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The fenced blocks of `text` whose info string is one of `langs`.
fn blocks<'a>(text: &'a str, langs: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("```") {
        let after = &rest[at + 3..];
        let Some(eol) = after.find('\n') else { break };
        let lang = after[..eol].trim();
        let body = &after[eol + 1..];
        let Some(end) = body.find("```") else { break };
        if langs.contains(&lang) {
            out.push(&body[..end]);
        }
        rest = &body[end + 3..];
    }
    out
}

#[test]
fn every_json_block_of_the_readme_loads_and_meets_its_expectations() {
    let text = readme();
    let json = blocks(&text, &["json", "jsonc"]);
    assert!(!json.is_empty(), "the README shows a scenario");
    for block in json {
        let clean = without_comments(block);
        if clean.contains("\"events\"") {
            sms_client_accounts::timeline::load_timeline(&clean)
                .unwrap_or_else(|e| panic!("a README timeline does not load: {e}\n{clean}"));
        } else {
            let s = Scenario::from_json(&clean)
                .unwrap_or_else(|e| panic!("a README scenario does not load: {e}\n{clean}"));
            let failed = sms_client_accounts::verify::check_all(&s);
            assert!(failed.is_empty(), "{failed:#?}");
            assert!(!s.expectations.is_empty() && !s.exposure_expectations.is_empty());
        }
    }
}

/// Splits a shell line into words: single and double quotes group, a `#` outside quotes
/// starts a comment.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (None, '#') => break,
            (None, c) if c.is_whitespace() => {
                if started || !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (None, c) => word.push(c),
        }
    }
    if started || !word.is_empty() {
        out.push(word);
    }
    out
}

/// The tool's commands of the README, `cargo run -- NAME ...` or `sms-accounts NAME
/// ...`: (subcommand, arguments).
fn commands(text: &str) -> Vec<(String, Vec<String>)> {
    let mut lines: Vec<String> = blocks(text, &["sh"])
        .into_iter()
        .flat_map(str::lines)
        .map(String::from)
        .collect();
    // Inline ones: `cargo run -- validate FILE`.
    for part in text.split('`').skip(1).step_by(2) {
        if part.starts_with("cargo run") || part.starts_with("sms-accounts ") {
            lines.push(part.to_string());
        }
    }
    let mut out = Vec::new();
    for line in lines {
        let line = line.split(['|', '>']).next().unwrap_or_default();
        let w = words(line);
        let rest: Vec<String> = match w.first().map(String::as_str) {
            Some("sms-accounts") => w[1..].to_vec(),
            Some("cargo")
                if w.get(1).is_some_and(|x| x == "run")
                    && !w.iter().any(|x| x == "--release" || x == "--example") =>
            {
                match w.iter().position(|x| x == "--") {
                    Some(dash) => w[dash + 1..].to_vec(),
                    None => continue,
                }
            }
            _ => continue,
        };
        let Some((name, args)) = rest.split_first() else {
            continue;
        };
        let name = name.clone();
        let args = args.to_vec();
        let args = args
            .into_iter()
            .filter(|a| !(a.starts_with('[') || a.ends_with(']')))
            .map(|a| match a.as_str() {
                "FILE" => root()
                    .join("fixtures/scenarios/exposure-estate.json")
                    .display()
                    .to_string(),
                "KIND" => "decisions".to_string(),
                _ => a,
            })
            .collect();
        out.push((name, to_scratch(args)));
    }
    out
}

/// The arguments with the file of `-o` / `--output` moved to a scratch folder, so that a
/// command the README shows writes nothing into the checkout.
fn to_scratch(mut args: Vec<String>) -> Vec<String> {
    for i in 1..args.len() {
        if args[i - 1] == "-o" || args[i - 1] == "--output" {
            let name = std::path::Path::new(&args[i])
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let dir =
                std::env::temp_dir().join(format!("sms-accounts-readme-{}", std::process::id()));
            let _ = std::fs::create_dir_all(&dir);
            args[i] = dir.join(name).display().to_string();
        }
    }
    args
}

#[cfg(feature = "cli")]
#[test]
fn every_quick_command_of_the_readme_runs() {
    let text = readme();
    let commands = commands(&text);
    assert!(commands.len() >= 12, "{commands:#?}");
    for (name, args) in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = crate::cli::run(name, &args);
        assert!(
            o.status.success(),
            "README command `{name} {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn the_readme_parsers_read_what_they_should() {
    assert_eq!(
        without_comments("{\"a\": \"//x\"} // c\n1"),
        "{\"a\": \"//x\"} \n1"
    );
    assert_eq!(
        words("run -- FILE --credential 'CORP\\X&' # note"),
        ["run", "--", "FILE", "--credential", "CORP\\X&"]
    );
    let c = commands("```sh\ncargo run -- exposure FILE [--json] | dot\n```\n");
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].0, "exposure");
    assert!(c[0].1[0].ends_with("exposure-estate.json"));
    assert_eq!(c[0].1.len(), 1);
}

/// The README's lineage table: every rule a row cites is in the catalog; an SMS 2.0 row
/// cites no Configuration Manager rule and a Configuration Manager row at least one; the
/// techniques a row names are exactly those its rules carry; and every technique the
/// exposure detects is in some row.
#[test]
fn the_lineage_table_agrees_with_the_rule_catalog() {
    use sms_client_accounts::lineage::{matrix, technique_of};
    use sms_client_accounts::rules::RuleId;
    use std::collections::BTreeSet;
    let text = readme();
    let section = text
        .split("## The lineage")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("the README has a lineage section"));
    let rows: Vec<Vec<&str>> = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| version"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    assert!(rows.len() >= 6, "{rows:?}");
    let mut named = BTreeSet::new();
    for row in &rows {
        let [version, account, _, yields, rules] = row[..] else {
            panic!("a lineage row has five columns: {row:?}");
        };
        let rules: Vec<RuleId> = rules
            .split(", ")
            .map(|r| {
                RuleId::parse(r)
                    .unwrap_or_else(|| panic!("{account}: `{r}` is in no catalog entry"))
            })
            .collect();
        let cm = |r: &RuleId| r.as_str().starts_with("CM-") || r.as_str().starts_with("X-CM-");
        match version {
            "SMS 2.0" => assert!(!rules.iter().any(cm), "{account}: {rules:?}"),
            "Configuration Manager" => assert!(rules.iter().any(cm), "{account}: {rules:?}"),
            other => panic!("unknown version `{other}`"),
        }
        let carried: BTreeSet<&str> = rules.iter().filter_map(|&r| technique_of(r)).collect();
        let written: BTreeSet<&str> = yields
            .split('(')
            .skip(1)
            .filter_map(|p| p.split(')').next())
            .filter(|t| t.starts_with("CRED-") || t.starts_with("ELEVATE-"))
            .collect();
        assert_eq!(
            carried, written,
            "{account}: the techniques its rules carry"
        );
        named.extend(written);
    }
    for t in matrix::DETECTED {
        assert!(named.contains(t), "no lineage row names {t}");
    }
}

/// The README's provenance table of the Configuration Manager rules: every `CM-`,
/// `X-CM-` and `X-PRODUCT` rule of the catalog has exactly one row, with the catalog's
/// kind, a pinned source (a short name of the pins above the table, a path with `@` and
/// a commit, or an archived page) and a point.
#[test]
fn every_configmgr_rule_has_its_pinned_source_in_the_readme() {
    use sms_client_accounts::rules::CATALOG;
    let text = readme();
    let start = text
        .find("## Where each Configuration Manager rule comes from")
        .unwrap_or_else(|| panic!("no provenance section"));
    let rows: Vec<Vec<&str>> = text[start..]
        .lines()
        .skip_while(|l| !l.starts_with("| rule |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    let pins = ["ACC", "PKG", "EHTTP", "MM", "DSC", "FLOW07", "none"];
    for rule in CATALOG {
        let id = rule.id.as_str();
        if !(id.starts_with("CM-") || id.starts_with("X-CM-") || id == "X-PRODUCT") {
            continue;
        }
        let matching: Vec<&Vec<&str>> = rows.iter().filter(|r| r[0] == format!("`{id}`")).collect();
        assert_eq!(matching.len(), 1, "{id}: one row expected");
        let row = matching[0];
        assert_eq!(row.len(), 4, "{id}: {row:?}");
        let kind = rule.kind.key();
        assert_eq!(row[1], kind, "{id}: the catalog's kind");
        let pinned = pins.iter().any(|p| row[2].starts_with(p))
            || row[2].contains("http")
            || row[2]
                .split('@')
                .nth(1)
                .is_some_and(|c| c.chars().take_while(char::is_ascii_hexdigit).count() >= 40);
        assert!(pinned, "{id}: no pinned source in {:?}", row[2]);
        assert!(!row[3].is_empty(), "{id}: no point");
    }
    // The pins themselves carry their commits.
    for pin in ["ACC", "PKG", "EHTTP", "MM", "DSC"] {
        let line = text[start..]
            .lines()
            .find(|l| l.starts_with(&format!("- {pin}:")))
            .unwrap_or_else(|| panic!("pin {pin}"));
        assert!(line.contains('@'), "{pin}: {line}");
    }
}
