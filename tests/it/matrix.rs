//! The Misconfiguration Manager matrix of `lineage::matrix`: the two sides agree except
//! on the pairs `DRIFT` names, and on no stale one; every id either side lists is
//! defined; every detected technique exists and has a PREVENT defence; the Markdown and
//! the JSON are pinned by snapshots.

use std::collections::BTreeSet;

use sms_client_accounts::lineage::matrix::{
    DEFENCES, DETECTED, DRIFT, Side, TECHNIQUES, defence, defences_of, json, markdown, technique,
};

/// The (technique, defence) pairs the technique side lists.
fn technique_side() -> BTreeSet<(&'static str, &'static str)> {
    TECHNIQUES
        .iter()
        .flat_map(|t| t.defences.iter().map(move |d| (t.id, *d)))
        .collect()
}

/// The (technique, defence) pairs the defence side lists.
fn defence_side() -> BTreeSet<(&'static str, &'static str)> {
    DEFENCES
        .iter()
        .flat_map(|d| d.techniques.iter().map(move |t| (*t, d.id)))
        .collect()
}

#[test]
fn the_sides_disagree_on_exactly_the_drift_pairs() {
    let (by_technique, by_defence) = (technique_side(), defence_side());
    let mut disagreements: BTreeSet<(&str, &str, Side)> = BTreeSet::new();
    for &(t, d) in by_technique.difference(&by_defence) {
        disagreements.insert((t, d, Side::Technique));
    }
    for &(t, d) in by_defence.difference(&by_technique) {
        disagreements.insert((t, d, Side::Defence));
    }
    let named: BTreeSet<(&str, &str, Side)> = DRIFT
        .iter()
        .map(|d| (d.technique, d.defence, d.listed_by))
        .collect();
    assert_eq!(named.len(), DRIFT.len(), "a drift pair named twice");
    assert_eq!(
        disagreements, named,
        "(technique, defence, side listing it)"
    );
    // Each entry, on its own: the side it names lists the pair and the other does not.
    for d in DRIFT {
        let pair = (d.technique, d.defence);
        let (listing, other) = match d.listed_by {
            Side::Technique => (&by_technique, &by_defence),
            Side::Defence => (&by_defence, &by_technique),
        };
        assert!(listing.contains(&pair), "stale drift entry: {d:?}");
        assert!(!other.contains(&pair), "stale drift entry: {d:?}");
        assert!(!d.note.is_empty(), "{d:?}");
    }
}

/// No exception: every id either side lists is defined by the other.
#[test]
fn every_listed_id_is_defined_by_the_other_table() {
    for t in TECHNIQUES {
        for d in t.defences {
            assert!(defence(d).is_some(), "{} lists unknown defence {d}", t.id);
        }
    }
    for d in DEFENCES {
        for t in d.techniques {
            assert!(
                technique(t).is_some(),
                "{} lists unknown technique {t}",
                d.id
            );
        }
    }
    for d in DRIFT {
        assert!(technique(d.technique).is_some() && defence(d.defence).is_some());
    }
}

#[test]
fn every_detected_technique_exists_and_has_a_prevent_defence() {
    for id in DETECTED {
        let t = technique(id).unwrap_or_else(|| panic!("{id} is not a technique"));
        assert!(
            t.defences.iter().any(|d| d.starts_with("PREVENT-")),
            "{id}: {:?}",
            t.defences
        );
        assert_eq!(defences_of(id), t.defences);
    }
}

#[test]
fn ids_are_unique_and_each_source_is_its_own_page() {
    let ids: BTreeSet<&str> = TECHNIQUES.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), TECHNIQUES.len());
    let ids: BTreeSet<&str> = DEFENCES.iter().map(|d| d.id).collect();
    assert_eq!(ids.len(), DEFENCES.len());
    let pages = TECHNIQUES
        .iter()
        .map(|t| ("attack-techniques/", t.id, t.source, t.name))
        .chain(
            DEFENCES
                .iter()
                .map(|d| ("defense-techniques/", d.id, d.source, d.name)),
        );
    for (folder, id, source, name) in pages {
        let (family, _) = id.split_once('-').unwrap();
        let dir = format!("{folder}{family}/{id}/");
        assert!(source.starts_with(&dir), "{id}: {source}");
        let file = &source[dir.len()..];
        assert_eq!(
            file.to_lowercase(),
            format!("{}_description.md", id.to_lowercase()),
            "{id}: {source}"
        );
        assert!(!name.is_empty() && !name.contains('|'), "{id}: {name}");
    }
}

#[test]
fn look_ups_answer_known_ids_and_nothing_for_unknown_ones() {
    assert_eq!(technique("CRED-2").map(|t| t.id), Some("CRED-2"));
    assert_eq!(defence("PREVENT-3").map(|d| d.id), Some("PREVENT-3"));
    assert!(technique("CRED-99").is_none() && technique("cred-2").is_none());
    assert!(defence("PREVENT-99").is_none());
    assert!(defences_of("NO-SUCH-1").is_empty());
    // A technique whose write-up lists no defence.
    assert!(defences_of("ELEVATE-6").is_empty());
}

#[test]
fn the_json_carries_every_entry_and_marks_the_detected_ones() {
    let v = json();
    let techniques = v["techniques"].as_array().unwrap();
    assert_eq!(techniques.len(), TECHNIQUES.len());
    let detected: Vec<&str> = techniques
        .iter()
        .filter(|t| t["detected"] == true)
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(detected, DETECTED);
    assert_eq!(v["defences"].as_array().map(Vec::len), Some(DEFENCES.len()));
    assert_eq!(v["drift"].as_array().map(Vec::len), Some(DRIFT.len()));
}

#[test]
fn the_markdown_and_the_json_are_pinned() {
    let text = markdown();
    assert_eq!(text, markdown(), "deterministic");
    for id in DETECTED {
        assert!(text.contains(&format!("| {id} | ")), "{id}");
    }
    let json = serde_json::to_string_pretty(&json()).unwrap();
    insta::with_settings!({snapshot_path => "snapshots/matrix", prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!("matrix.md", text);
        insta::assert_snapshot!("matrix.json", json);
    });
}
