//! The lineage of the SMS 2.0 accounts in later products: what became of the client
//! connection account, the client token account and the Software Installation account
//! in SMS 2003 and Configuration Manager, and which of the attacks on their descendants
//! this crate's analysis answers.
//!
//! This module owns two things: [`matrix`], SpecterOps' Misconfiguration Manager
//! technique/defence matrix transcribed from its pages at a pinned commit; and the tags
//! the exposure analysis puts on what a Configuration Manager rule yields
//! ([`technique_of`], [`Tag`]): the technique an edge or a finding is an instance of,
//! the defences (PREVENT-n) that would cut it, and whether it follows from the
//! configuration or rests on an assumption, as ConfigManBearPig marks its `assumed`
//! edges. It depends on the rule catalog only.

pub mod matrix;

use crate::rules::{RuleId, RuleKind};

/// The Misconfiguration Manager technique a rule's edges and findings are instances
/// of, if it has one.
pub fn technique_of(rule: RuleId) -> Option<&'static str> {
    Some(match rule {
        RuleId::CmCred2
        | RuleId::CmCred2Quota
        | RuleId::XCmQuotaDefault
        | RuleId::XCmAddWorkstations
        | RuleId::XCmApproveAll => "CRED-2",
        RuleId::CmCred3 | RuleId::XCmPolicyTargets => "CRED-3",
        RuleId::XCmResidue => "CRED-4",
        RuleId::CmCred5 | RuleId::XCmDatabaseReader | RuleId::XCmPassiveSiteServer => "CRED-5",
        RuleId::CmCred1 | RuleId::XCmPxeUnknown | RuleId::XCmPxePassword => "CRED-1",
        RuleId::CmTsSecrets | RuleId::XCmNewRegistrations => "CRED-2",
        RuleId::XCmTsTargets => "CRED-3",
        RuleId::XCmTsResidue => "CRED-4",
        RuleId::CmElevate2 => "ELEVATE-2",
        RuleId::CmElevate3 | RuleId::XCmDnsRecords => "ELEVATE-3",
        _ => return None,
    })
}

/// The defences that would cut the path a rule's edges describe: of its technique's
/// write-up, those whose state the scenario could show absent (removing the network
/// access accounts, PKI client authentication, no machine accounts for users,
/// disabling old accounts; for client push, the fix with the fallback off, no automatic
/// push, PKI client authentication); not those that only limit what the account yields
/// (PREVENT-10, PREVENT-17) nor those that need runtime data.
pub fn cut_by(rule: RuleId) -> &'static [&'static str] {
    match rule {
        RuleId::CmCred2 | RuleId::XCmApproveAll => &["PREVENT-3", "PREVENT-8"],
        RuleId::CmCred2Quota | RuleId::XCmQuotaDefault | RuleId::XCmAddWorkstations => {
            &["PREVENT-3", "PREVENT-8", "PREVENT-16"]
        }
        RuleId::CmCred3 | RuleId::XCmPolicyTargets => &["PREVENT-3"],
        RuleId::XCmResidue => &["PREVENT-15"],
        RuleId::CmCred5 | RuleId::XCmDatabaseReader | RuleId::XCmPassiveSiteServer => {
            &["PREVENT-3"]
        }
        // CRED-1: PXE only on authorized VLANs cuts the segment's reach; without
        // network access accounts, the media reveal none (PREVENT-3), but the
        // task-sequence part stays.
        RuleId::CmCred1 => &["PREVENT-3", "PREVENT-21"],
        RuleId::XCmPxeUnknown | RuleId::XCmPxePassword => &["PREVENT-21"],
        // A task sequence's secrets by registration: PKI client authentication stops a
        // rogue registration (PREVENT-8); on the clients, no defence of the write-ups
        // removes them (PREVENT-10, PREVENT-17 limit what they yield); left behind,
        // PREVENT-15 applies to collection variables and task sequences too.
        RuleId::CmTsSecrets | RuleId::XCmNewRegistrations => &["PREVENT-8"],
        RuleId::XCmTsResidue => &["PREVENT-15"],
        // PREVENT-1 and PREVENT-2 cut only together (PREVENT-2: "must be used in
        // conjunction with PREVENT-1"), and PREVENT-1 exists from 2103.
        RuleId::CmElevate2 => &["PREVENT-1+PREVENT-2", "PREVENT-5", "PREVENT-8"],
        RuleId::CmElevate3 | RuleId::XCmDnsRecords => &["PREVENT-1+PREVENT-2", "PREVENT-5"],
        _ => &[],
    }
}

/// What a rule of a technique carries into the exposure graph and its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    /// The technique (`CRED-3`).
    pub technique: &'static str,
    /// The defences that would cut this path ([`cut_by`]), each one the technique's
    /// write-up lists.
    pub prevented_by: &'static [&'static str],
    /// Every PREVENT-n defence of the technique's write-up, in its order (some only
    /// limit what the account yields).
    pub defences: &'static [&'static str],
    /// The assumption it rests on, when the configuration alone does not give it (the
    /// rule itself, an `X-` assumption); `None` when it follows from the configuration.
    pub assumed: Option<RuleId>,
    /// The stated default it rests on (a `default` rule such as `CM-DP-USERS`), when it
    /// rests on no assumption and the configuration alone does not give it.
    pub default: Option<RuleId>,
}

/// The tag of a rule, if it is a technique's.
pub fn tag(rule: RuleId) -> Option<Tag> {
    let technique = technique_of(rule)?;
    Some(Tag {
        technique,
        prevented_by: cut_by(rule),
        defences: prevents(technique),
        assumed: (rule.rule().kind == RuleKind::Assumption).then_some(rule),
        default: (rule.rule().kind == RuleKind::Default).then_some(rule),
    })
}

/// The PREVENT-n defences of a technique, from its write-up's side of the matrix.
fn prevents(technique: &str) -> &'static [&'static str] {
    // The transcribed lists are static, so the filtered ones are built once.
    static PREVENTS: std::sync::OnceLock<Vec<(&'static str, Vec<&'static str>)>> =
        std::sync::OnceLock::new();
    let all = PREVENTS.get_or_init(|| {
        matrix::TECHNIQUES
            .iter()
            .map(|t| {
                let p = t
                    .defences
                    .iter()
                    .copied()
                    .filter(|d| d.starts_with("PREVENT-"))
                    .collect();
                (t.id, p)
            })
            .collect()
    });
    all.iter()
        .find(|(id, _)| *id == technique)
        .map_or(&[], |(_, p)| p.as_slice())
}

impl Tag {
    /// The provenance word ([`Tag::provenance_key`]), with the rule it rests on:
    /// `configured`, `default (CM-...)` or `assumption (X-...)`.
    pub fn provenance(&self) -> String {
        match (self.assumed, self.default) {
            (Some(rule), _) | (None, Some(rule)) => format!("{} ({rule})", self.provenance_key()),
            (None, None) => "configured".into(),
        }
    }

    /// `configured`, `default` or `assumption`: the words of edges' bases
    /// ([`crate::rules::RuleKind::key`]), the weakest of what it rests on.
    pub fn provenance_key(&self) -> &'static str {
        match (self.assumed, self.default) {
            (Some(_), _) => RuleKind::Assumption.key(),
            (None, Some(_)) => RuleKind::Default.key(),
            (None, None) => "configured",
        }
    }
}
