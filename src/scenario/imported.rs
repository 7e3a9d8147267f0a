//! The `imported` section of a scenario file, as written: where an imported estate's
//! facts come from. `import cmbp` writes it; the loader checks it (`lower/imported.rs`)
//! and keeps it, unchanged, beside the estate. It changes no decision and no finding: it
//! says which facts a collection gave, which the command line gave, and which are the
//! crate's defaults or named assumptions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Text;

/// Where each fact of an imported scenario comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, expecting = "an imported object")]
pub struct RawImported {
    /// The tool and version that wrote the file (`sms-accounts 0.1.0 import cmbp`).
    pub tool: Text,
    /// The files read, in the order read (`collection.zip:sccm_nodes-1.json`).
    pub files: Vec<Text>,
    /// The site imported (its code), of those the collection holds.
    pub site: Text,
    /// Whether the collection ran with the site's privileges (it lists administrative
    /// users and security roles): an unprivileged run cannot see stored accounts.
    pub privileged: bool,
    /// The site's clients and how each is known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<RawImportedClient>,
    /// The accounts the site stores, and which of them the scenario takes as network
    /// access accounts or client push accounts (the others: task-sequence accounts and
    /// the like, or push accounts where client push is not assessed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stored_accounts: Vec<RawStoredAccount>,
    /// Machines whose collected name another machine also has, renamed to be unique.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed: Vec<RawRenamed>,
    /// Each fact of the scenario and its provenance.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<RawFact>,
    /// What the collection holds that the scenario does not, and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub left_out: Vec<RawLeftOut>,
}

/// A client of the imported site.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawImportedClient {
    /// The machine, as in `machines`.
    pub machine: Text,
    /// Its device id in the collection.
    pub device_id: Text,
    /// `true`: the site's records confirm the client; `false`: ConfigManBearPig inferred
    /// it (from a remote-control service name), and the scenario takes it as a client
    /// (`X-IMPORT-INFERRED-CLIENT`).
    pub confirmed: bool,
}

/// What the scenario takes a stored account for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RawStoredRole {
    /// A network access account: listed in `site.network_access_accounts`.
    NetworkAccess,
    /// A client push account: listed in `site.client_push.accounts` (the collection does
    /// not tell it from the others: `--push-account` names it).
    ClientPush,
    /// Another stored account (client push not assessed, task sequence): not an NAA here.
    Other,
}

/// An account the site stores.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawStoredAccount {
    /// The account, `DOMAIN\name`.
    pub account: Text,
    /// Its SID in the collection.
    pub sid: Text,
    /// What the scenario takes it for.
    pub role: RawStoredRole,
    /// Where that comes from.
    pub provenance: RawProvenance,
    /// The command-line option, for `given`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<Text>,
    /// The rule, for `assumption` or `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Text>,
}

/// A machine renamed on import.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRenamed {
    /// Its name in the scenario.
    pub machine: Text,
    /// Its name in the collection.
    pub collected: Text,
    /// Its SID, which tells the namesakes apart.
    pub sid: Text,
}

/// The provenance of an imported fact: the crate's one vocabulary (`configured`,
/// `default`, `assumption`, as in edges and findings) grown by two words.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RawProvenance {
    /// Read from the collection: a file, a node or edge id, a property.
    Collected,
    /// Given on the command line.
    Given,
    /// The crate's documented default for a setting the collection does not carry.
    Default,
    /// A named model assumption.
    Assumption,
}

/// One fact and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    /// The scenario fact (`site.site_server`, `machines[WKS1].platform`).
    pub fact: Text,
    /// Its value as the scenario has it.
    pub value: Text,
    /// Where it comes from.
    pub provenance: RawProvenance,
    /// For `collected`: the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<Text>,
    /// For `collected`: the node or edge id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Text>,
    /// For `collected`: the property, when one gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property: Option<Text>,
    /// For `given`: the option.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<Text>,
    /// For `default` and `assumption`: the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<Text>,
}

/// Something of the collection the scenario leaves out.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLeftOut {
    /// The node id (or ids) in the collection.
    pub id: Text,
    /// Why.
    pub because: Text,
}
