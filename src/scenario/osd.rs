//! The sections of a scenario file that put secrets in policy beyond the network access
//! accounts, as written (lineage-sources-2.md section 2): `site.task_sequences`,
//! `site.deployments` and `site.pxe`, and a collection's `variables`,
//! `new_registrations` and `unknown_computers`. Omitted, nothing changes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Text;

/// A task-sequence or collection variable.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a variable object")]
pub struct RawVariable {
    /// Its name (`OSDJoinPassword`, `AppKey`), unique in its collection or task sequence.
    pub name: Text,
    /// The account whose password it holds, `DOMAIN\name`, when it holds one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Text>,
    /// Marked "Do not display this value": hidden in the console only (`CM-TS-HIDDEN`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub secret: bool,
    /// Removed: it stays on the clients that had it (`X-CM-TS-RESIDUE`, CRED-4).
    #[serde(default, skip_serializing_if = "is_false")]
    pub removed: bool,
    /// Not set yet: a timeline's `collection_variable_added` sets it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pending: bool,
}

/// A task sequence.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a task sequence object")]
pub struct RawTaskSequence {
    /// Its name, unique at the site.
    pub name: Text,
    /// The accounts its Run Command Line and Run PowerShell Script steps run as,
    /// `DOMAIN\name`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub run_as: Vec<Text>,
    /// The domain join account of its Join Domain or Workgroup and Apply Network
    /// Settings steps, `DOMAIN\name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain_join_account: Option<Text>,
    /// Its variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variables: Vec<RawVariable>,
    /// The computers it joined to the domain; omitted: the members of the collections
    /// it is deployed to (`X-CM-DJOIN-JOINED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined: Option<Vec<Text>>,
    /// Whether the joined computers' ownership was given to another principal (the
    /// PREVENT-17 fix); omitted: the domain join account stays owner
    /// (`X-CM-DJOIN-OWNER-KEPT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership_reassigned: Option<bool>,
}

/// A deployment of a task sequence to a collection.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a deployment object")]
pub struct RawDeployment {
    /// The task sequence's name.
    pub task_sequence: Text,
    /// The collection's name (`All Unknown Computers` for unknown computers).
    pub collection: Text,
    /// Removed: its secrets stay on the clients that had them (`X-CM-TS-RESIDUE`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub removed: bool,
    /// Not made yet: a timeline's `deployment_added` makes it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pending: bool,
}

/// A PXE password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawPxePassword {
    /// No password: the media variables are in the clear.
    None,
    /// A password is set (`X-CM-PXE-PASSWORD`: it resists unless marked weak).
    Set,
    /// A password is set and known to be weak: cracked.
    Weak,
}

/// A PXE-enabled distribution point.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a PXE object")]
pub struct RawPxe {
    /// The distribution point: one of `site.distribution_points`, by its server's name
    /// or its `\\server\share`.
    pub distribution_point: Text,
    /// Its PXE password.
    pub password: RawPxePassword,
    /// "Enable unknown computer support".
    #[serde(default, skip_serializing_if = "is_false")]
    pub unknown_computers: bool,
    /// The network segments from which it answers PXE requests (at least one).
    pub segments: Vec<Text>,
}

fn is_false(b: &bool) -> bool {
    !*b
}
