//! SpecterOps' Misconfiguration Manager matrix (`subat0mik/Misconfiguration-Manager`):
//! every attack technique and every defence it names, with the links between them as
//! each side's own page gives them, the pairs where the two sides disagree, and the
//! techniques this crate's analysis detects.
//!
//! Both sides are transcribed, not derived from one another: a technique's
//! [`Technique::defences`] come from the "Defensive IDs" section of its write-up, a
//! defence's [`Defence::techniques`] from the "Associated Offensive IDs" section of its
//! page, each in the page's order. Upstream treats the write-ups as the source of truth
//! (its CSV matrix drifted from them, and was repaired by hand more than once), so the
//! tables that this module renders read the technique side first. Where the two sides
//! disagree, [`DRIFT`] names the pair, and a test fails when it goes stale. Names are
//! paraphrased in a few words; the page each entry comes from is its `source`, a path in
//! the upstream repository at [`COMMIT`].
//!
//! Output is deterministic: [`markdown`] and [`json`] follow the order of the constants
//! (the order of upstream's README tables), never of a hash.

use serde::Serialize;

/// The upstream commit every page of this module was read at (2026-05-03).
pub const COMMIT: &str = "3caec8779db088cb9e028ca20a6646bee0dab427";

/// One attack technique: an offensive id of upstream (`CRED-2`, `ELEVATE-1`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Technique {
    /// The id, as upstream spells it: `CRED-2`.
    pub id: &'static str,
    /// What the technique does, paraphrased.
    pub name: &'static str,
    /// The defence ids of the write-up's "Defensive IDs" section, in its order.
    pub defences: &'static [&'static str],
    /// The write-up's path in the upstream repository.
    pub source: &'static str,
}

/// One defence: a `PREVENT-n`, `DETECT-n` or `CANARY-n` page of upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defence {
    /// The id, as upstream spells it: `PREVENT-3`.
    pub id: &'static str,
    /// What the defence does, paraphrased.
    pub name: &'static str,
    /// The technique ids of the page's "Associated Offensive IDs" section, in its order.
    pub techniques: &'static [&'static str],
    /// The page's path in the upstream repository.
    pub source: &'static str,
}

/// The side of the matrix that lists a pair the other side leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// The technique's write-up lists the defence.
    Technique,
    /// The defence's page lists the technique.
    Defence,
}

impl Side {
    /// The side's name in the rendered tables and the JSON: `technique` or `defence`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Technique => "technique",
            Side::Defence => "defence",
        }
    }
}

/// A pair that one side of the matrix lists and the other does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The technique id.
    pub technique: &'static str,
    /// The defence id.
    pub defence: &'static str,
    /// The side that lists the pair.
    pub listed_by: Side,
    /// What upstream's pages show, and the likely cause.
    pub note: &'static str,
}

/// The techniques this crate's exposure analysis detects. The CRED ones reach the
/// secrets of the network access account, which descends (by inference: the lineage
/// notes rate the mapping low to medium) from the SMS 2.0 client connection account, a
/// credential the site hands to every client, and the task-sequence accounts and
/// variables that travel the same way: read from PXE boot media (`CRED-1`), requested
/// as machine policy (`CRED-2`), read from a client's WMI (`CRED-3`) or from its CIM
/// repository after the account changed (`CRED-4`), and read from the site database
/// (`CRED-5`). The ELEVATE ones coerce the client push accounts.
pub const DETECTED: &[&str] = &[
    "CRED-1",
    "CRED-2",
    "CRED-3",
    "CRED-4",
    "CRED-5",
    "ELEVATE-2",
    "ELEVATE-3",
];

/// Every offensive id upstream has a write-up for, in the order of its
/// `attack-techniques/README.md`: CRED, ELEVATE, EXEC, RECON, TAKEOVER, COERCE.
#[rustfmt::skip]
pub const TECHNIQUES: &[Technique] = &[
    attack("CRED-1", "secrets taken from PXE boot media",
        "attack-techniques/CRED/CRED-1/cred-1_description.md",
        &["CANARY-1", "DETECT-7", "DETECT-8", "PREVENT-3", "PREVENT-6", "PREVENT-7",
          "PREVENT-10", "PREVENT-17", "PREVENT-21"]),
    attack("CRED-2", "machine policy requested, its secrets deobfuscated",
        "attack-techniques/CRED/CRED-2/cred-2_description.md",
        &["CANARY-1", "PREVENT-3", "PREVENT-4", "PREVENT-8", "PREVENT-10", "PREVENT-16",
          "PREVENT-17"]),
    attack("CRED-3", "deployed secrets read through WMI",
        "attack-techniques/CRED/CRED-3/cred-3_description.md",
        &["CANARY-1", "PREVENT-3", "PREVENT-4", "PREVENT-10", "PREVENT-17"]),
    attack("CRED-4", "old secrets left in the CIM repository",
        "attack-techniques/CRED/CRED-4/cred-4_description.md",
        &["CANARY-1", "PREVENT-3", "PREVENT-4", "PREVENT-10", "PREVENT-15", "PREVENT-17"]),
    attack("CRED-5", "stored credentials read from the site database",
        "attack-techniques/CRED/CRED-5/cred-5_description.md",
        &["CANARY-1", "PREVENT-3", "PREVENT-10", "PREVENT-17", "PREVENT-18", "PREVENT-19",
          "PREVENT-20", "PREVENT-22"]),
    attack("CRED-6", "files looted from distribution points and site shares",
        "attack-techniques/CRED/CRED-6/cred-6_description.md",
        &["PREVENT-10", "PREVENT-20"]),
    attack("CRED-7", "credentials read through the AdminService",
        "attack-techniques/CRED/CRED-7/cred-7_description.md",
        &["PREVENT-10", "PREVENT-20"]),
    attack("CRED-8", "a management point relayed to the site database for policy secrets",
        "attack-techniques/CRED/CRED-8/cred-8_description.md",
        &["PREVENT-10", "PREVENT-14", "PREVENT-20", "DETECT-1"]),
    attack("ELEVATE-1", "the site server relayed to SMB on site systems",
        "attack-techniques/ELEVATE/ELEVATE-1/ELEVATE-1_description.md",
        &["DETECT-1", "DETECT-3", "PREVENT-12", "PREVENT-20"]),
    attack("ELEVATE-2", "automatic client push relayed",
        "attack-techniques/ELEVATE/ELEVATE-2/ELEVATE-2_description.md",
        &["DETECT-1", "DETECT-3", "PREVENT-1", "PREVENT-2", "PREVENT-5", "PREVENT-8",
          "PREVENT-11", "PREVENT-12", "PREVENT-20"]),
    attack("ELEVATE-3", "client push relayed, triggered through AD System Discovery",
        "attack-techniques/ELEVATE/ELEVATE-3/ELEVATE-3_description.md",
        &["DETECT-1", "DETECT-3", "PREVENT-1", "PREVENT-2", "PREVENT-5", "PREVENT-12"]),
    attack("ELEVATE-4", "a distribution point taken over by a spoofed PXE boot",
        "attack-techniques/ELEVATE/ELEVATE-4/ELEVATE-4_description.md",
        &["DETECT-7", "PREVENT-6", "PREVENT-21"]),
    attack("ELEVATE-5", "a distribution point taken over from recovered OSD media",
        "attack-techniques/ELEVATE/ELEVATE-5/ELEVATE-5_description.md",
        &["DETECT-7", "PREVENT-6"]),
    // The write-up has no "Defensive IDs" section at all.
    attack("ELEVATE-6", "local elevation through a writable client cache",
        "attack-techniques/ELEVATE/ELEVATE-6/ELEVATE-6_description.md",
        &[]),
    attack("EXEC-1", "code run on clients as an application deployment",
        "attack-techniques/EXEC/EXEC-1/exec-1_description.md",
        &["DETECT-4", "PREVENT-9", "PREVENT-20"]),
    attack("EXEC-2", "code run on clients as a PowerShell script",
        "attack-techniques/EXEC/EXEC-2/exec-2_description.md",
        &["PREVENT-9", "PREVENT-20"]),
    attack("RECON-1", "the site found through LDAP",
        "attack-techniques/RECON/RECON-1/recon-1_description.md",
        &["DETECT-2"]),
    attack("RECON-2", "site roles found over SMB",
        "attack-techniques/RECON/RECON-2/recon-2_description.md",
        &["PREVENT-20"]),
    attack("RECON-3", "site roles found over HTTP",
        "attack-techniques/RECON/RECON-3/recon-3_description.md",
        &["PREVENT-20"]),
    attack("RECON-4", "clients queried with CMPivot",
        "attack-techniques/RECON/RECON-4/recon-4_description.md",
        &["DETECT-5", "DETECT-6", "PREVENT-9", "PREVENT-20"]),
    attack("RECON-5", "users located through the SMS Provider",
        "attack-techniques/RECON/RECON-5/recon-5_description.md",
        &["DETECT-5", "DETECT-6", "PREVENT-9", "PREVENT-20"]),
    attack("RECON-6", "site roles found through the winreg pipe",
        "attack-techniques/RECON/RECON-6/recon-6_description.md",
        &["DETECT-8", "PREVENT-20"]),
    attack("RECON-7", "the site found in a client's local files",
        "attack-techniques/RECON/RECON-7/recon-7_description.md",
        &["DETECT-7", "DETECT-9"]),
    attack("TAKEOVER-1", "coerced relay to MSSQL on a remote site database",
        "attack-techniques/TAKEOVER/TAKEOVER-1/takeover-1_description.md",
        &["DETECT-1", "DETECT-5", "DETECT-6", "PREVENT-14", "PREVENT-20"]),
    attack("TAKEOVER-2", "coerced relay to SMB on a remote site database",
        "attack-techniques/TAKEOVER/TAKEOVER-2/takeover-2_description.md",
        &["DETECT-1", "DETECT-5", "DETECT-6", "PREVENT-12", "PREVENT-20"]),
    attack("TAKEOVER-3", "coerced relay to HTTP on AD CS",
        "attack-techniques/TAKEOVER/TAKEOVER-3/takeover-3_description.md",
        &["DETECT-1", "PREVENT-11", "PREVENT-14", "PREVENT-20"]),
    attack("TAKEOVER-4", "the CAS relayed to a primary site server it serves",
        "attack-techniques/TAKEOVER/TAKEOVER-4/takeover-4_description.md",
        &["DETECT-1", "DETECT-5", "DETECT-6", "PREVENT-12", "PREVENT-20"]),
    attack("TAKEOVER-5", "coerced relay to the AdminService of a remote SMS Provider",
        "attack-techniques/TAKEOVER/TAKEOVER-5/takeover-5_description.md",
        &["DETECT-1", "DETECT-5", "DETECT-6", "PREVENT-9", "PREVENT-20"]),
    attack("TAKEOVER-6", "coerced relay to SMB on a remote SMS Provider",
        "attack-techniques/TAKEOVER/TAKEOVER-6/takeover-6_description.md",
        &["DETECT-1", "DETECT-5", "DETECT-6", "PREVENT-12", "PREVENT-20"]),
    attack("TAKEOVER-7", "coerced relay to SMB between active and passive site servers",
        "attack-techniques/TAKEOVER/TAKEOVER-7/takeover-7_description.md",
        &["DETECT-1", "DETECT-5", "DETECT-6", "PREVENT-12", "PREVENT-20"]),
    attack("TAKEOVER-8", "coerced HTTP relayed to LDAP on a domain controller",
        "attack-techniques/TAKEOVER/TAKEOVER-8/takeover-8_description.md",
        &["DETECT-1", "PREVENT-11", "PREVENT-13", "PREVENT-16", "PREVENT-20"]),
    // A stub page; its one entry is spelled `Prevent-19` there.
    attack("TAKEOVER-9", "database links with DBA rights crawled",
        "attack-techniques/TAKEOVER/TAKEOVER-9/takeover-9_description.md",
        &["PREVENT-19"]),
    // Both COERCE write-ups have the section, but in prose: general advice (COERCE-1)
    // or a link to an outside post (COERCE-2), and no defence id.
    attack("COERCE-1", "clients coerced to authenticate by a CMPivot query",
        "attack-techniques/COERCE/COERCE-1/coerce-1_description.md",
        &[]),
    attack("COERCE-2", "signed-in users coerced by AppDomainManager injection",
        "attack-techniques/COERCE/COERCE-2/coerce-2_description.md",
        &[]),
];

/// Every defence upstream has a page for, in the order of its
/// `defense-techniques/README.md`: CANARY, DETECT, PREVENT.
#[rustfmt::skip]
pub const DEFENCES: &[Defence] = &[
    defend("CANARY-1", "a least-privileged NAA that cannot log on interactively",
        "defense-techniques/CANARY/CANARY-1/canary-1_description.md",
        &["CRED-1", "CRED-2", "CRED-3", "CRED-4", "CRED-5"]),
    defend("DETECT-1", "site server machine accounts authenticating from elsewhere",
        "defense-techniques/DETECT/DETECT-1/detect-1_description.md",
        &["ELEVATE-1", "ELEVATE-2", "ELEVATE-3", "TAKEOVER-1", "TAKEOVER-2", "TAKEOVER-3",
          "TAKEOVER-4", "TAKEOVER-5", "TAKEOVER-6", "TAKEOVER-7", "TAKEOVER-8", "CRED-8"]),
    defend("DETECT-2", "reads of the System Management container",
        "defense-techniques/DETECT/DETECT-2/detect-2_description.md",
        &["RECON-1"]),
    defend("DETECT-3", "push accounts authenticating from other than the site server",
        "defense-techniques/DETECT/DETECT-3/detect-3_description.md",
        &["ELEVATE-1", "ELEVATE-2", "ELEVATE-3"]),
    defend("DETECT-4", "application deployments in the audit status messages",
        "defense-techniques/DETECT/DETECT-4/detect-4_description.md",
        &["EXEC-1"]),
    defend("DETECT-5", "changes to the SMS Admins group",
        "defense-techniques/DETECT/DETECT-5/detect-5_description.md",
        SITE_ADMIN_CHANGES),
    defend("DETECT-6", "changes to the RBAC_Admins table",
        "defense-techniques/DETECT/DETECT-6/detect-6_description.md",
        SITE_ADMIN_CHANGES),
    defend("DETECT-7", "reads of the SMSTemp folder",
        "defense-techniques/DETECT/DETECT-7/detect-7_description.md",
        &["CRED-1", "ELEVATE-4", "ELEVATE-5"]),
    defend("DETECT-8", "connections to the winreg pipe",
        "defense-techniques/DETECT/DETECT-8/detect-8_description.md",
        &["RECON-6", "CRED-1"]),
    defend("DETECT-9", "local access to a client's SCCM logs and settings",
        "defense-techniques/DETECT/DETECT-9/detect-9_description.md",
        &["RECON-7"]),
    defend("PREVENT-1", "the site server patched with KB15599094",
        "defense-techniques/PREVENT/PREVENT-1/prevent-1_description.md",
        &["ELEVATE-2", "ELEVATE-3"]),
    defend("PREVENT-2", "no fallback to NTLM",
        "defense-techniques/PREVENT/PREVENT-2/prevent-2_description.md",
        &["ELEVATE-2", "ELEVATE-3"]),
    defend("PREVENT-3", "network access accounts hardened or removed",
        "defense-techniques/PREVENT/PREVENT-3/prevent-3_description.md",
        &["CRED-1", "CRED-2", "CRED-3", "CRED-4", "CRED-5"]),
    defend("PREVENT-4", "Enhanced HTTP in use",
        "defense-techniques/PREVENT/PREVENT-4/prevent-4_description.md",
        &["CRED-2", "CRED-3", "CRED-4"]),
    defend("PREVENT-5", "no automatic client push across the site",
        "defense-techniques/PREVENT/PREVENT-5/prevent-5_description.md",
        &["ELEVATE-2", "ELEVATE-3"]),
    defend("PREVENT-6", "a strong PXE password",
        "defense-techniques/PREVENT/PREVENT-6/prevent-6_description.md",
        &["CRED-1", "ELEVATE-4", "ELEVATE-5"]),
    defend("PREVENT-7", "no command support at PXE boot",
        "defense-techniques/PREVENT/PREVENT-7/prevent-7_description.md",
        &["CRED-1"]),
    defend("PREVENT-8", "PKI certificates required of clients",
        "defense-techniques/PREVENT/PREVENT-8/prevent-8_description.md",
        &["CRED-2", "ELEVATE-2"]),
    defend("PREVENT-9", "multi-factor authentication for SMS Provider calls",
        "defense-techniques/PREVENT/PREVENT-9/prevent-9_description.md",
        &["EXEC-1", "EXEC-2", "RECON-4", "RECON-5", "TAKEOVER-5"]),
    defend("PREVENT-10", "least privilege for every account",
        "defense-techniques/PREVENT/PREVENT-10/prevent-10_description.md",
        &["CRED-1", "CRED-2", "CRED-3", "CRED-4", "CRED-5", "CRED-6", "CRED-7", "CRED-8"]),
    defend("PREVENT-11", "no WebClient service on site servers",
        "defense-techniques/PREVENT/PREVENT-11/prevent-11_description.md",
        &["ELEVATE-2", "TAKEOVER-3", "TAKEOVER-8"]),
    defend("PREVENT-12", "SMB signing required on site systems",
        "defense-techniques/PREVENT/PREVENT-12/prevent-12_description.md",
        &["ELEVATE-1", "ELEVATE-2", "ELEVATE-3", "TAKEOVER-2", "TAKEOVER-4", "TAKEOVER-6",
          "TAKEOVER-7"]),
    defend("PREVENT-13", "LDAP signing and channel binding required",
        "defense-techniques/PREVENT/PREVENT-13/prevent-13_description.md",
        &["TAKEOVER-8"]),
    defend("PREVENT-14", "EPA required on AD CS and site databases",
        "defense-techniques/PREVENT/PREVENT-14/prevent-14_description.md",
        &["TAKEOVER-1", "TAKEOVER-3", "CRED-8"]),
    defend("PREVENT-15", "old NAAs and task sequence secrets disabled and re-passworded",
        "defense-techniques/PREVENT/PREVENT-15/prevent-15_description.md",
        &["CRED-4"]),
    defend("PREVENT-16", "machine account creation restricted",
        "defense-techniques/PREVENT/PREVENT-16/prevent-16_description.md",
        &["CRED-2", "TAKEOVER-8"]),
    defend("PREVENT-17", "unneeded privileges removed from accounts",
        "defense-techniques/PREVENT/PREVENT-17/prevent-17_description.md",
        &["CRED-1", "CRED-2", "CRED-3", "CRED-4", "CRED-5"]),
    defend("PREVENT-18", "strong passwords for database administrators",
        "defense-techniques/PREVENT/PREVENT-18/prevent-18_description.md",
        &["CRED-5"]),
    defend("PREVENT-19", "no needless links to site databases",
        "defense-techniques/PREVENT/PREVENT-19/prevent-19_description.md",
        &["CRED-5", "TAKEOVER-9"]),
    // The page's `TAKEOVER-4` entry links to TAKEOVER-5's write-up; the id is kept.
    defend("PREVENT-20", "needless connections to site systems blocked",
        "defense-techniques/PREVENT/PREVENT-20/prevent-20_description.md",
        &["CRED-5", "CRED-6", "CRED-7", "CRED-8", "ELEVATE-1", "ELEVATE-2", "EXEC-1",
          "EXEC-2", "RECON-2", "RECON-3", "RECON-4", "RECON-5", "RECON-6", "TAKEOVER-1",
          "TAKEOVER-2", "TAKEOVER-3", "TAKEOVER-4", "TAKEOVER-5", "TAKEOVER-6", "TAKEOVER-7",
          "TAKEOVER-8"]),
    defend("PREVENT-21", "PXE boot only on authorised VLANs",
        "defense-techniques/PREVENT/PREVENT-21/prevent-21_description.md",
        &["CRED-1", "ELEVATE-4"]),
    defend("PREVENT-22", "no management across segmented forests, networks or tiers",
        "defense-techniques/PREVENT/PREVENT-22/prevent-22_description.md",
        &["CRED-5"]),
    defend("PREVENT-23", "a client cache only administrators can change",
        "defense-techniques/PREVENT/PREVENT-23/prevent-23_description.md",
        &["ELEVATE-6"]),
];

/// Every pair one side of the matrix lists and the other does not, at [`COMMIT`].
pub const DRIFT: &[Drift] = &[
    Drift {
        technique: "RECON-7",
        defence: "DETECT-7",
        listed_by: Side::Technique,
        note: "RECON-7 links DETECT-7 under DETECT-9's title, and lists DETECT-9 as well; \
               DETECT-7's page, on reads of SMSTemp, does not list RECON-7",
    },
    Drift {
        technique: "ELEVATE-6",
        defence: "PREVENT-23",
        listed_by: Side::Defence,
        note: "ELEVATE-6's write-up has no Defensive IDs section; PREVENT-23, contributed \
               with it, lists it",
    },
];

/// The technique with the id `id` (exactly as upstream spells it), if upstream has it.
pub fn technique(id: &str) -> Option<&'static Technique> {
    TECHNIQUES.iter().find(|t| t.id == id)
}

/// The defence with the id `id` (exactly as upstream spells it), if upstream has it.
pub fn defence(id: &str) -> Option<&'static Defence> {
    DEFENCES.iter().find(|d| d.id == id)
}

/// The defences the write-up of `technique` lists; empty for an unknown id.
pub fn defences_of(technique: &str) -> &'static [&'static str] {
    self::technique(technique).map_or(&[], |t| t.defences)
}

/// The Markdown tables of the detected techniques: one row per [`DETECTED`] technique
/// with its name, the defences its write-up lists and the drift pairs that involve it;
/// then one row per defence that any of them lists, in [`DEFENCES`] order, with the
/// techniques the defence's page lists.
pub fn markdown() -> String {
    let mut out = format!(
        "Misconfiguration Manager at {COMMIT}: the techniques this crate detects\n\n\
         | technique | name | defences (its write-up) | drift |\n|---|---|---|---|\n"
    );
    for t in DETECTED.iter().filter_map(|id| technique(id)) {
        let drift: Vec<String> = DRIFT
            .iter()
            .filter(|d| d.technique == t.id)
            .map(|d| {
                let side = d.listed_by.as_str();
                format!("{} (listed by the {side} only): {}", d.defence, d.note)
            })
            .collect();
        let drift = if drift.is_empty() {
            "none".to_string()
        } else {
            drift.join("; ")
        };
        out.push_str(&format!(
            "| {} | {} | {} | {drift} |\n",
            t.id,
            t.name,
            t.defences.join(", ")
        ));
    }
    out.push_str("\n| defence | name | techniques (its page) |\n|---|---|---|\n");
    for d in DEFENCES
        .iter()
        .filter(|d| DETECTED.iter().any(|t| defences_of(t).contains(&d.id)))
    {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            d.id,
            d.name,
            d.techniques.join(", ")
        ));
    }
    out
}

/// The whole matrix as JSON: the commit, every technique (with `detected` true for the
/// [`DETECTED`] ones), every defence and every drift pair, each in its constant's order.
pub fn json() -> serde_json::Value {
    let out = Output {
        commit: COMMIT,
        techniques: TECHNIQUES
            .iter()
            .map(|t| TechniqueOut {
                id: t.id,
                name: t.name,
                defences: t.defences,
                detected: DETECTED.contains(&t.id),
                source: t.source,
            })
            .collect(),
        defences: DEFENCES
            .iter()
            .map(|d| DefenceOut {
                id: d.id,
                name: d.name,
                techniques: d.techniques,
                source: d.source,
            })
            .collect(),
        drift: DRIFT
            .iter()
            .map(|d| DriftOut {
                technique: d.technique,
                defence: d.defence,
                listed_by: d.listed_by.as_str(),
                note: d.note,
            })
            .collect(),
    };
    // Plain strings, booleans and lists: serialising them cannot fail.
    serde_json::to_value(out).unwrap_or_default()
}

/// The techniques DETECT-5 and DETECT-6 both list, in the same order on both pages.
const SITE_ADMIN_CHANGES: &[&str] = &[
    "TAKEOVER-1",
    "TAKEOVER-2",
    "TAKEOVER-4",
    "TAKEOVER-5",
    "TAKEOVER-6",
    "TAKEOVER-7",
    "RECON-4",
    "RECON-5",
];

const fn attack(
    id: &'static str,
    name: &'static str,
    source: &'static str,
    defences: &'static [&'static str],
) -> Technique {
    Technique {
        id,
        name,
        defences,
        source,
    }
}

const fn defend(
    id: &'static str,
    name: &'static str,
    source: &'static str,
    techniques: &'static [&'static str],
) -> Defence {
    Defence {
        id,
        name,
        techniques,
        source,
    }
}

#[derive(Serialize)]
struct Output {
    commit: &'static str,
    techniques: Vec<TechniqueOut>,
    defences: Vec<DefenceOut>,
    drift: Vec<DriftOut>,
}

#[derive(Serialize)]
struct TechniqueOut {
    id: &'static str,
    name: &'static str,
    defences: &'static [&'static str],
    detected: bool,
    source: &'static str,
}

#[derive(Serialize)]
struct DefenceOut {
    id: &'static str,
    name: &'static str,
    techniques: &'static [&'static str],
    source: &'static str,
}

#[derive(Serialize)]
struct DriftOut {
    technique: &'static str,
    defence: &'static str,
    listed_by: &'static str,
    note: &'static str,
}
