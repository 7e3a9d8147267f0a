//! The rule catalog: every rule, assumption and derived consequence the crate applies,
//! with a stable id, its source, a one-line paraphrase, its kind and the layer that
//! applies it.
//!
//! The ids of section 2 are those of the project's domain notes; `A1`..`A16` are the
//! model assumptions of their section 3 and `D1`..`D9` the derived consequences of their
//! section 4. Ids that start with `X-` are this crate's own model decisions for gaps that
//! neither Q224286 nor the notes settle; each says where it comes from. Code names a rule
//! only through [`RuleId`], so the catalog is the one place to read what is encoded.

use serde::Serialize;

/// Whether a source states a rule, a model decision assumes it, or it follows from the
/// others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// Stated by its source: Q224286 for SMS 2.0, the cited page for the `CM-` rules of
    /// Configuration Manager.
    Stated,
    /// A model decision (domain notes section 3, or an `X-` decision of this crate).
    Assumption,
    /// A consequence derived from stated rules and assumptions (domain notes section 4).
    Derived,
    /// A default its source states (a value the product sets unless someone changes it),
    /// applied where the scenario does not give the setting.
    Default,
}

impl RuleKind {
    /// The provenance word of the kind: `stated`, `assumption`, `derived`, `default`
    /// (with `configured`, for what a scenario declares, the one vocabulary of edges and
    /// findings).
    pub const fn key(self) -> &'static str {
        match self {
            RuleKind::Stated => "stated",
            RuleKind::Assumption => "assumption",
            RuleKind::Derived => "derived",
            RuleKind::Default => "default",
        }
    }
}

/// Where a rule shows its effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layer {
    /// Scenario validation: an error or a warning.
    Validation,
    /// The decision engine: a step of the trace.
    Decision,
    /// The exposure analysis: an edge or a finding.
    Exposure,
    /// The timeline: the effect of an event.
    Timeline,
    /// The import of a collection (`import cmbp`): a fact recorded under `imported`.
    Import,
    /// Client push (`push`): a step of a push decision.
    Push,
}

impl Layer {
    /// The layer's key: `validation`, `decision`, `exposure`, `timeline`, `import`, `push`.
    pub const fn key(self) -> &'static str {
        match self {
            Layer::Validation => "validation",
            Layer::Decision => "decision",
            Layer::Exposure => "exposure",
            Layer::Timeline => "timeline",
            Layer::Import => "import",
            Layer::Push => "push",
        }
    }
}

/// What `trace --explain RULE` prints of a rule, a line each: `ID: paraphrase`, its
/// source, its kind, its layer (the report's rule index uses the same lines).
pub fn explain_lines(rule: &Rule) -> [String; 4] {
    [
        format!("{}: {}", rule.id, rule.paraphrase),
        format!("  source: {}", rule.source),
        format!("  kind: {}", rule.kind.key()),
        format!("  layer: {}", rule.layer.key()),
    ]
}

/// One entry of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The rule's id.
    pub id: RuleId,
    /// The article's section heading, or the KB articles it comes from.
    pub source: &'static str,
    /// The rule in one line, in this crate's words.
    pub paraphrase: &'static str,
    /// Stated, assumed or derived.
    pub kind: RuleKind,
    /// The layer that applies it.
    pub layer: Layer,
}

macro_rules! catalog {
    ($( $variant:ident = $id:literal, $kind:ident, $layer:ident, $source:literal, $text:literal; )*) => {
        /// The stable id of a rule. Its string form ([`RuleId::as_str`]) is what traces,
        /// findings and tests print.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $(
                #[doc = concat!("`", $id, "`: ", $text, " (", $source, ")")]
                $variant,
            )*
        }

        /// Every rule of the catalog, in catalog order.
        pub const CATALOG: &[Rule] = &[
            $( Rule {
                id: RuleId::$variant,
                source: $source,
                paraphrase: $text,
                kind: RuleKind::$kind,
                layer: Layer::$layer,
            }, )*
        ];

        impl RuleId {
            /// The id as printed: `NAL-EXISTING`, `A5`, `X-DP-ORDER`.
            pub const fn as_str(self) -> &'static str {
                match self { $( RuleId::$variant => $id, )* }
            }

            /// Looks an id up by its printed form.
            pub fn parse(text: &str) -> Option<RuleId> {
                match text { $( $id => Some(RuleId::$variant), )* _ => None }
            }
        }
    };
}

catalog! {
    W9x = "W9X-USER", Stated, Decision, "Q224286, Windows 95/98 Client Overview",
        "Windows 95/98 run every program as the logged-on user: no service context, no elevation";
    NtContexts = "NT-CONTEXTS", Stated, Decision, "Q224286, Windows NT 4.0 Client Overview",
        "NT 4.0 runs a program either as the logged-on user or in the service context";
    NtUserFirst = "NT-USER-FIRST", Stated, Decision, "Q224286, Windows NT 4.0 Client Overview",
        "the logged-on user's context is tried first";
    NtServiceFallback = "NT-SERVICE-FALLBACK", Stated, Decision, "Q224286, Windows NT 4.0 Client Overview",
        "a program that needs administrative rights runs in the service context when the user lacks them";
    NalExisting = "NAL-EXISTING", Stated, Decision, "Q224286, Connection to Distribution Point",
        "an existing device-less connection to the DP share is used whatever its credentials; if they cannot read, NAL stops";
    NalCurrent = "NAL-CURRENT", Stated, Decision, "Q224286, Connection to Distribution Point",
        "otherwise NAL connects with the current context";
    NalServerSession = "NAL-SERVER-SESSION", Stated, Decision, "Q224286, Connection to Distribution Point",
        "on NT 4.0 that connection carries the credentials of any other connection the session has to the same server";
    NalConnectionAccounts = "NAL-CONNECTION-ACCOUNTS", Stated, Decision, "Q224286, Connection to Distribution Point",
        "then NAL tries each client network connection account in order; the first that connects and reads wins";
    AcctConnNoRights = "ACCT-CONN-NO-RIGHTS", Stated, Validation, "Q224286, Connection to Distribution Point",
        "connection accounts should hold no right and no group membership on any client";
    ExpoIsolation = "EXPO-ISOLATION", Stated, Exposure, "Q224286, Connection to Distribution Point",
        "a password of these accounts learned on one client gives nothing on another client";
    ExpoDcToken = "EXPO-DC-TOKEN", Stated, Exposure, "Q224286, Connection to Distribution Point",
        "except that a DC's client token account gives Administrators rights on every DC of its domain";
    UserPea32 = "USER-PEA32", Stated, Decision, "Q224286, User Context Advertisements",
        "user-context programs are launched by Pea32.exe";
    UserNoExtra = "USER-NO-EXTRA", Stated, Decision, "Q224286, User Context Advertisements",
        "a user-context program gets the user's token unchanged: no added group, no added right";
    UserNal = "USER-NAL", Stated, Decision, "Q224286, User Context Advertisements",
        "NAL runs its usual order with the user as the current context";
    SvcSmsapm32 = "SVC-SMSAPM32", Stated, Decision, "Q224286, Service Context Advertisements",
        "service-context programs are launched by Smsapm32.exe";
    SvcToken = "SVC-TOKEN", Stated, Decision, "Q224286, Service Context Advertisements",
        "Smsapm32 runs as the client token account, and so does the program it creates";
    SvcTokenRights = "SVC-TOKEN-RIGHTS", Stated, Decision, "Q224286, Service Context Advertisements",
        "the client token account is in local Administrators and holds Act as part of the operating system";
    SvcTokenDc = "SVC-TOKEN-DC", Stated, Decision, "Q224286, Service Context Advertisements",
        "on a DC the token account is one domain account shared by every DC client of the domain";
    SvcTokenLocal = "SVC-TOKEN-LOCAL", Stated, Decision, "Q224286, Service Context Advertisements",
        "on any other client the token account is a same-named account in the client's own SAM";
    SwiaPerProgram = "SWIA-PER-PROGRAM", Stated, Decision, "Q224286, Windows NT Software Installation Account Advertisements",
        "the Software Installation account is used only by programs whose properties ask for it";
    SwiaRequirements = "SWIA-REQUIREMENTS", Stated, Validation, "Q224286, Windows NT Software Installation Account Advertisements",
        "the Software Installation account needs the resources, the DP package folder, and a domain the client trusts";
    SwiaLogon = "SWIA-LOGON", Stated, Decision, "Q224286, Windows NT Software Installation Account Advertisements",
        "the client must be able to LogonUser the Software Installation account";
    SwiaNoStandingRights = "SWIA-NO-STANDING-RIGHTS", Stated, Validation, "Q224286, Windows NT Software Installation Account Advertisements",
        "the Software Installation account needs no standing right or group on clients";
    SwiaGrant = "SWIA-GRANT", Stated, Decision, "Q224286, Windows NT Software Installation Account Advertisements",
        "just before the program runs the client adds the account to local Administrators and grants the site's rights";
    SwiaRevoke = "SWIA-REVOKE", Stated, Decision, "Q224286, Windows NT Software Installation Account Advertisements",
        "when the program finishes that membership and those rights are removed";
    SwiaNal = "SWIA-NAL", Stated, Decision, "Q224286, Windows NT Software Installation Account Advertisements",
        "the DP connection of such a program follows the NAL order with the process's own token (A4)";
    A1 = "A1", Assumption, Decision, "Q169556, Q199162, Q235205",
        "sufficient rights means membership, direct or through a global group, in the client's Administrators group";
    A2 = "A2", Assumption, Decision, "Q224286 / Q263279, Q231399, Q278660",
        "admin_rights_policy: an administrative-rights program runs as an administrator user, or always in the service context";
    A3 = "A3", Assumption, Decision, "Q224286 / Q278660",
        "token_admin_membership: the token account's Administrators membership is standing, or transient on member clients";
    A4 = "A4", Assumption, Decision, "Q224286 / Q307434",
        "swia_dp_context: a Software Installation account program reaches the DP as the token account, or as the account itself";
    A5 = "A5", Assumption, Decision, "Windows NT 4.0 networking",
        "connection_scope: NAL sees the connections of its own logon session, or of the whole machine";
    A6 = "A6", Assumption, Decision, "Q237759, Q293662",
        "win9x_connection_accounts: Windows 95/98 do not use the client network connection accounts, or do";
    A7 = "A7", Assumption, Decision, "Q226113, Q205406",
        "only device-less connections count as existing connections; a mapped drive is invisible to NAL";
    A8 = "A8", Assumption, Decision, "Q264714",
        "a Software Installation account program on Windows 95/98 fails with status 10003 and error 1317";
    A9 = "A9", Assumption, Decision, "Q158148",
        "NT 4.0 trusts are explicit, one-way and not transitive";
    A10 = "A10", Assumption, Decision, "Q231399, Q262341",
        "a domain account authenticates where its domain is trusted; a local account authenticates nowhere else";
    A11 = "A11", Assumption, Decision, "Q235811",
        "\"program can run\" and the logged-on state decide whether a program runs now or waits";
    A12 = "A12", Assumption, Decision, "Q224286, Windows NT 4.0 Client Overview (fail closed)",
        "when the chosen context cannot run, the advertisement fails: never a fallback to another context";
    A13 = "A13", Assumption, Decision, "Q224286, Windows NT Software Installation Account Advertisements",
        "the user rights granted with the Software Installation account are a site setting, empty by default";
    A14 = "A14", Assumption, Decision, "Q242011",
        "service_pack: before SP2, granting Administrators on a BDC fails with error 2226";
    A15 = "A15", Assumption, Exposure, "Q264714, Q236052",
        "swia_secret_on_clients: the Software Installation and connection account passwords are stored on every NT client";
    A16 = "A16", Assumption, Decision, "Q227033, Q237759",
        "a client keeps the password it last received; after a change its tries are bad-password events";
    D1 = "D1", Derived, Exposure, "SWIA-GRANT",
        "while a Software Installation account program runs, the account is an administrator of that client";
    D2 = "D2", Derived, Exposure, "SWIA-GRANT, SVC-TOKEN-DC",
        "on a DC that grant is in the domain's Administrators: an administrator of every DC of the domain";
    D3 = "D3", Derived, Exposure, "SVC-TOKEN-DC, SVC-TOKEN-RIGHTS",
        "the DC token account is a standing administrator of every DC of its domain; a member's yields that member only";
    D4 = "D4", Derived, Decision, "NAL-SERVER-SESSION, Q173199",
        "a second credential set to a server with a session fails with error 1219";
    D5 = "D5", Derived, Timeline, "A10, Q227033",
        "a local account used over the network is a bad-password event at a same-named account, and can lock it out";
    D6 = "D6", Derived, Decision, "A10, Q263279, Q199041",
        "a member client's service-context program reaches nothing on the network but the DP through NAL";
    D9 = "D9", Derived, Exposure, "A15, SWIA-GRANT",
        "the Software Installation account's password is on every NT client and makes it an administrator during runs";
    XDpOrder = "X-DP-ORDER", Assumption, Decision, "Q205406",
        "the DP is the first of the package's distribution points, in scenario order, whose server is available";
    X9xNoServerSession = "X-9X-NO-SERVER-SESSION", Assumption, Decision, "Q224286, Connection to Distribution Point (names NT 4.0 only)",
        "Windows 95/98 connect as the logged-on user: the NT rule of one credential set per server is not applied";
    XTokenUnusable = "X-TOKEN-UNUSABLE", Assumption, Decision, "A12, Q263279",
        "a disabled or locked-out client token account cannot start the service context: status 10003";
    XSwiaStanding = "X-SWIA-STANDING", Assumption, Decision, "SWIA-GRANT, SWIA-REVOKE",
        "a Software Installation account that is already an administrator gains nothing from the grant, and its removal takes only what was added";
    XConfigured = "X-CONFIGURED", Assumption, Exposure, "the scenario",
        "memberships, rights, read grants and trusts are as the scenario declares them; Windows' implicit groups are not added";
    XDcDatabase = "X-DC-DATABASE", Assumption, Exposure, "Q169556, Q241982",
        "every DC holds its domain's one account database: control of a DC reveals every account of the domain";
    XSessionSecrets = "X-SESSION-SECRETS", Assumption, Exposure, "Windows NT 4.0 logon sessions",
        "control of a machine reveals the credentials of whoever is logged on and of its sessions' connections";
    XClientServiceAccount = "X-CLIENT-SERVICE-ACCOUNT", Assumption, Exposure, "Q231399, Q268169, Q320235",
        "the client service account is an administrator of its client with Act as part of the operating system; on every DC of its domain, the account SMS&_ followed by the DC's name";
    XTransitive = "X-TRANSITIVE", Assumption, Exposure, "D1, D2, X-DC-DATABASE, Windows NT 4.0 built-in group Domain Admins",
        "control goes on through every machine administered, for good or, under the condition that the program runs, while it runs; a domain falls with one of its DCs or its global group Domain Admins";
    XRebootCleanup = "X-REBOOT-CLEANUP", Assumption, Timeline, "no source: a named model decision",
        "a reboot ends a client's sessions and runs, but the grants stay until its services start again and clean up";
    XDpRetry = "X-DP-RETRY", Assumption, Timeline, "Q268500",
        "a run that finds no distribution point is retried every 10 minutes";
    XWinError = "X-WINERROR", Assumption, Decision, "winerror.h",
        "where no KB article names an error, the Windows error is the one the failing call returns (5, 53, 1326, 1331, 1909)";
    XLockoutEnds = "X-LOCKOUT-ENDS", Assumption, Exposure, "Q227033 (lockout after bad passwords); Windows NT account policy: a lockout lasts its duration or until an administrator resets it",
        "a locked-out account's password yields what it gives once the lockout ends: a condition of every path out of the account";
    XUnknown = "X-UNKNOWN", Assumption, Validation, "interop-sources.md 0 and 3 (what a ConfigManBearPig collection does not carry; an unprivileged run's empty stored accounts mean unknown)",
        "a fact the collection could not establish is marked unknown: the analysis goes on with what the file gives or the stated default, and says what it could not assess";
    XImported = "X-IMPORTED", Assumption, Validation, "issue 24 (the imported section); interop-sources.md 3",
        "an imported scenario says where each fact comes from: collected (file, id, property), given (option), or a default or named assumption (rule); its clients, stored accounts and renamed machines name the scenario's own";
    XImportNotCollected = "X-IMPORT-NOT-COLLECTED", Assumption, Import, "interop-sources.md 0 and 3 (CMBP collects no approval method, Enhanced HTTP, anonymous-DP flag or previous NAAs)",
        "a setting the collection does not carry and no option gives takes the scenario's default (approval of trusted domains, no Enhanced HTTP, no anonymous distribution point, no previous network access account) and is listed unknown";
    XImportNaaAll = "X-IMPORT-NAA-ALL", Assumption, Import, "interop-sources.md 3 (a 2.0 collection does not say which stored account is the NAA)",
        "with `--naa all`, every account the site stores is taken as a network access account";
    XImportNaaSole = "X-IMPORT-NAA-SOLE", Assumption, Import, "interop-sources.md 3 (the NAA and the push account are both stored accounts)",
        "when the site stores one account and no option names the NAA, that account is taken as the network access account";
    XImportPrivilege = "X-IMPORT-PRIVILEGE", Assumption, Import, "interop-sources.md 3 (privilege tier: administrative users and security roles appear only in privileged runs)",
        "a collection without administrative users or security roles ran unprivileged: an empty list of stored accounts is unknown, not none";
    XImportInferredClient = "X-IMPORT-INFERRED-CLIENT", Assumption, Import, "ConfigManBearPig README, SCCM_ClientDevice (inferred devices, assumptionBasis of SCCM_HasClient)",
        "a device ConfigManBearPig infers from a remote-control service name is taken as a client of the site, and marked inferred";
    XImportNetbios = "X-IMPORT-NETBIOS", Assumption, Import, "interop-sources.md 3 (the NetBIOS name is sure only from SharpHound's domains)",
        "without SharpHound's NetBIOS name, a domain is named by the first label of its DNS name";
    XImportPlatform = "X-IMPORT-PLATFORM", Assumption, Import, "interop-sources.md 3 (deviceOS often empty; DC status only in SharpHound)",
        "a machine's platform comes from its collected operating system or DC flag; without one, a site system is a Windows Server and any other machine a Windows client";
    XImportSiteServer = "X-IMPORT-SITE-SERVER", Assumption, Import, "interop-sources.md 3 (site_server from siteServerDomainSID; an unprivileged run does not collect it)",
        "when the collection does not say which site server is active, the first by SID of the machines holding the site server role is taken as active and the others as passive (each holds the key: X-CM-PASSIVE-SITE-SERVER)";
    XImportDpShare = "X-IMPORT-DP-SHARE", Assumption, Import, "interop-sources.md 3 (CMBP records the DP host, not a share)",
        "a distribution point's content share is `\\\\HOST\\SCCMContentLib$`";
    XImportNesting = "X-IMPORT-NESTING", Assumption, Import, "interop-sources.md 3 (SharpHound groups' Members); the model's global groups hold users of their own domain (NT 4.0 nesting)",
        "a global group nested in another gives its users to the outer one; members of other domains are left out of a global group and recorded";
    XImportRename = "X-IMPORT-RENAME", Assumption, Import, "interop-sources.md 2.5 (the lab has computers of one name and two SIDs)",
        "machines of one name are told apart by their SID: each but the first keeps its name with `-` and its RID, and the import records it";
    XProduct = "X-PRODUCT", Assumption, Validation, "lineage-sources.md section 2; Q224286",
        "a site is SMS 2.0 (`sms2`, the default: every rule above) or Configuration Manager current branch (`configmgr`: the CM- rules below)";
    XCmWindows = "X-CM-WINDOWS", Assumption, Validation, "MD configmgr supported client OS; no stored source lists them",
        "a Configuration Manager client runs a current Windows (client, server or domain controller); Windows 95/98 and NT 4.0 are SMS 2.0 platforms only";
    XCmAd = "X-CM-AD", Assumption, Decision, "Active Directory trust model (no stored source opened)",
        "an Active Directory domain has a computer account NAME$ for each member machine; the domains of one forest trust each other both ways; other trusts are as the scenario declares them";
    XCmWorkgroup = "X-CM-WORKGROUP", Assumption, Decision, "MD accounts.md, Network access account",
        "a workgroup client belongs to no domain, so it has no computer account to offer a distribution point";
    CmContexts = "CM-CONTEXTS", Stated, Decision, "MD packages-and-programs.md @4154968a, Run mode and Program can run",
        "a program runs with the signed-in user's rights or with administrative rights, when its \"program can run\" allows";
    CmUser = "CM-USER", Stated, Decision, "MD packages-and-programs.md @4154968a, Run mode",
        "a program run with the user's rights runs as the logged-on user (so it needs one)";
    XCmLocalSystem = "X-CM-LOCAL-SYSTEM", Assumption, Decision, "ConfigMgr 2007 flowchart (systemscenter.ru mirror) only; MD packages-and-programs.md @4154968a says administrative permissions, and the 2007 Environment page says the local administrator account",
        "a program run with administrative rights runs as Local System, whoever is logged on";
    XCmLauncher = "X-CM-LAUNCHER", Assumption, Decision, "MD client image preparation names the SMS Agent Host service CcmExec.exe; no stored page says it starts programs",
        "the Configuration Manager client's SMS Agent Host service (CcmExec.exe) starts every program";
    CmInteract = "CM-INTERACT", Stated, Validation, "MD packages-and-programs.md @4154968a, Allow users to view and interact",
        "users may interact with a program only when it runs with administrative rights and can run while a user is logged on";
    CmNaaNeverRuns = "CM-NAA-NEVER-RUNS", Stated, Decision, "MD accounts.md @0349cf36, Network access account",
        "the network access account is never the security context of a program: it only reaches content";
    CmNaaLimits = "CM-NAA-LIMITS", Stated, Validation, "MD accounts.md @0349cf36, Network access account",
        "a site has at most 10 network access accounts, each a domain account";
    CmContentAgent = "CM-CONTENT-AGENT", Derived, Decision, "CM-COMPUTER-FIRST, CM-NAA-FALLBACK: MD accounts.md @0349cf36, Network access account (the client downloads the content with its computer account)",
        "the client, not the program's context, downloads the content from the distribution point";
    CmComputerFirst = "CM-COMPUTER-FIRST", Stated, Decision, "MD accounts.md @0349cf36, Network access account",
        "the client first tries its computer account to download the content";
    CmNaaFallback = "CM-NAA-FALLBACK", Stated, Decision, "MD accounts.md @0349cf36, Network access account",
        "when the computer account fails, the client tries the network access account";
    CmNaaNetworkRight = "CM-NAA-NETWORK-RIGHT", Stated, Decision, "MD accounts.md @0349cf36, Network access account (permissions)",
        "the network access account needs \"Access this computer from the network\" on the distribution point: denied it there, it does not connect";
    XCmDenyNetworkLogon = "X-CM-DENY-NETWORK-LOGON", Assumption, Decision, "Windows user rights: a denied logon type fails with error 1385 for any account; MD accounts.md states it only for the network access account",
        "an account denied \"Access this computer from the network\" on a server (itself or through a group) does not connect to it";
    XCmNaaUntrusted = "X-CM-NAA-UNTRUSTED", Assumption, Decision, "MD accounts.md (ConfigMgr 2012 version: create the account in a trusted domain when DPs span domains); Windows trust model (A9, A10)",
        "a network access account of a domain the distribution point's domain does not trust is not accepted there";
    CmDpUsers = "CM-DP-USERS", Default, Decision, "MD accounts.md @0349cf36, Package access account",
        "by default a distribution point grants Read on a package's content to its local Users (and Full Control to its Administrators)";
    XCmDpUsers = "X-CM-DP-USERS", Assumption, Decision, "Windows local Users group (Authenticated Users, the domain's Domain Users); MD accounts.md @0349cf36 says the NAA reads through it",
        "a distribution point's local Users are every account that authenticates there: its own local accounts and those of its domain and of the domains it trusts";
    XCmNaaOrder = "X-CM-NAA-ORDER", Assumption, Decision, "MD accounts.md @0349cf36 allows several accounts (untrusted domains, cross-forest) and gives no order",
        "several network access accounts are tried in the site's order, and the first that authenticates and reads wins";
    CmEnhancedHttp = "CM-ENHANCED-HTTP", Stated, Decision, "MD accounts.md @0349cf36, Network access account; MD enhanced-http.md @0ec0eb31",
        "with HTTPS or Enhanced HTTP a workgroup or Entra-joined client can reach content without a network access account";
    XCmTokenReads = "X-CM-TOKEN-READS", Assumption, Decision, "no stored source says how package access accounts apply to a site token",
        "the site token of HTTPS or Enhanced HTTP reads every package the distribution point holds: its package access list is not applied";
    CmEnhancedHttpAnonymous = "CM-ENHANCED-HTTP-ANONYMOUS", Stated, Validation, "MD enhanced-http.md @0ec0eb31, prerequisites",
        "Enhanced HTTP requires that no distribution point lets clients connect anonymously";
    XCmAnonymous = "X-CM-ANONYMOUS", Assumption, Decision, "DSC_CMDistributionPoint EnableAnonymous (dsccommunity/ConfigMgrCBDsc)",
        "a distribution point that allows anonymous connections serves content to a client with no credential that reads";
    XCmContentOrder = "X-CM-CONTENT-ORDER", Assumption, Decision, "MD accounts.md and enhanced-http.md give no full order",
        "content is tried as the computer account, then with the site token (HTTPS or Enhanced HTTP), then as each network access account, then anonymously";
    XCmPolicyTargets = "X-CM-POLICY-TARGETS", Assumption, Exposure, "Misconfiguration-Manager CRED-2 (NAAConfig is machine policy; only an approved client gets it)",
        "every client of the site is approved (by hand where the approval method does not cover it) and receives the network access accounts in its machine policy, at once";
    CmNaaPolicy = "CM-NAA-POLICY", Stated, Exposure, "Misconfiguration-Manager CRED-2, CRED-3 (the NAAConfig policy)",
        "the site's machine policy carries the name and password of each of its network access accounts";
    CmCred2 = "CM-CRED-2", Stated, Exposure, "Misconfiguration-Manager CRED-2",
        "an approved client can request the machine policy and recover the network access accounts; computers of trusted domains are approved automatically by default";
    CmCred2Quota = "CM-CRED-2-QUOTA", Stated, Exposure, "Misconfiguration-Manager CRED-2, PREVENT-16",
        "an enabled domain user can add a computer account while the domain's MachineAccountQuota is above 0 (and, by default, its users may add workstations), and register it as a client";
    XCmApproveAll = "X-CM-APPROVE-ALL", Assumption, Exposure, "DSC_CMHierarchySetting AutomaticallyApproveAllComputers; the CRED-2 write-up covers only trusted domains",
        "a site that approves all computers approves any registration: every enabled account of every domain obtains the policy, whatever its quota";
    XCmQuotaDefault = "X-CM-QUOTA-DEFAULT", Assumption, Exposure, "Misconfiguration-Manager CRED-2, PREVENT-16 (Active Directory default 10)",
        "a domain whose MachineAccountQuota the scenario does not give has the default, 10";
    XCmAddWorkstations = "X-CM-ADD-WORKSTATIONS", Assumption, Exposure, "Misconfiguration-Manager CRED-2 Requirements (Domain Users, marked as the default); PREVENT-16 names Authenticated Users",
        "a domain whose \"Add workstations to domain\" grantees the scenario does not give grants it to Domain Users, which hold every user of the domain";
    CmCred3 = "CM-CRED-3", Stated, Exposure, "Misconfiguration-Manager CRED-3",
        "a client that received the network access accounts stores them with DPAPI in WMI, readable by its administrators";
    XCmResidue = "X-CM-RESIDUE", Assumption, Exposure, "Misconfiguration-Manager CRED-4 (residue depends on the host)",
        "a network access account changed or removed stays in the CIM repository of every client that had it";
    XCmPassiveSiteServer = "X-CM-PASSIVE-SITE-SERVER", Assumption, Exposure, "Misconfiguration-Manager CRED-5 (the site server's key); MD site-server-high-availability.md (a passive site server is promoted by hand); neither says the passive server holds the key",
        "a passive site server holds the site's key as the active one does: its administrators recover what the site database holds";
    CmCred5 = "CM-CRED-5", Stated, Exposure, "Misconfiguration-Manager CRED-5",
        "the site database holds every network access account, decryptable with the primary site server's key: its administrators recover them";
    XCmDatabaseReader = "X-CM-DATABASE-READER", Assumption, Exposure, "Misconfiguration-Manager CRED-5 (it also needs the site server's key)",
        "a reader of the site database the scenario names is taken to recover its accounts, as if the key were within reach";
    XCmComputerAccount = "X-CM-COMPUTER-ACCOUNT", Assumption, Exposure, "Misconfiguration-Manager CRED-2 @3caec877, Requirements (compromise a computer account, such as by local privilege escalation)",
        "an administrator of an Active Directory domain member holds its computer account's credentials";
    CmPushAccounts = "CM-PUSH-ACCOUNTS", Stated, Push, "MD accounts.md @0349cf36, Client push installation account; KB 925282 (SAD troubleshoot-advanced-client-push-installation-issues.md @5511a897)",
        "client push connects to the target's Admin$ with a push account, which installs only if it is in the target's local Administrators";
    CmPushOrder = "CM-PUSH-ORDER", Stated, Push, "MD accounts.md @0349cf36, Client push installation account",
        "with several push accounts the site tries each in turn until one succeeds";
    XCmPushListOrder = "X-CM-PUSH-LIST-ORDER", Assumption, Push, "Trimarc, Push Comes To Shove part 1 (3P); Microsoft gives no order",
        "the push accounts are tried in the site's list order, and each try that fails has already sent its authentication";
    CmPushComputer = "CM-PUSH-COMPUTER", Stated, Push, "MD accounts.md @0349cf36; deploy-clients-to-windows-computers.md @3b7565e3",
        "with no push account set, the site server tries its computer account";
    CmPushComputerLast = "CM-PUSH-COMPUTER-LAST", Stated, Push, "Misconfiguration-Manager ELEVATE-2 Impact, PREVENT-5 @3caec877; MD hotfix 15498768.md @026abfd3",
        "when every push account fails, the site server tries its computer account";
    CmPushCrossDomain = "CM-PUSH-CROSS-DOMAIN", Stated, Push, "MD deploy-clients-to-windows-computers.md @3b7565e3, step 7",
        "push with the site server's computer account fails for a target of another domain";
    CmPushAuto = "CM-PUSH-AUTO", Stated, Push, "MD deploy-clients-to-windows-computers.md @3b7565e3, steps 4 and 6; DSC_CMClientPushSettings @1154d128",
        "automatic site-wide push installs on discovered domain computers without the client, of the selected system types (DCs only if selected), inside the site's boundaries";
    XCmPushDiscovered = "X-CM-PUSH-DISCOVERED", Assumption, Push, "MD client-installation-methods.md @132b6dc1 (push reaches only discovered computers); no source says which are",
        "every domain member of the scenario is discovered by the site; the site servers, a system type of their own (site system servers), are no automatic targets";
    CmPushKerberos = "CM-PUSH-KERBEROS", Stated, Push, "MD deploy-clients-to-windows-computers.md @3b7565e3, step 5",
        "from 1806 push tries Kerberos first; with the NTLM fallback off it requires Kerberos, which needs a target the account's domain is trusted by";
    CmPushNtlmDefault = "CM-PUSH-NTLM-DEFAULT", Default, Push, "MD deploy-clients-to-windows-computers.md @3b7565e3, step 5; MD hotfix 15498768.md @026abfd3",
        "the NTLM fallback is on by default from 1806, and off by default on a new installation of 2207 or later";
    XCmPushNtlmUpgrade = "X-CM-PUSH-NTLM-UPGRADE", Assumption, Push, "MD hotfix 15498768.md says new installations only; a Technical Preview note says the existing behaviour persists on upgrade",
        "a site upgraded to 2207 or later keeps the earlier default: the NTLM fallback on";
    CmPushNtlmBug = "CM-PUSH-NTLM-BUG", Stated, Push, "MD hotfix 15498768.md @026abfd3, 15599094.md @47e3a171; Misconfiguration-Manager PREVENT-1",
        "on 2103 to 2207 without KB15599094, a disabled NTLM fallback is not honoured: push accounts and the computer account still use NTLM";
    XCmPushNtlmPre2103 = "X-CM-PUSH-NTLM-PRE2103", Assumption, Push, "MD hotfix 15498768.md (applies to 2103 and later; older sites are told to update or stop push); Misconfiguration-Manager PREVENT-1",
        "before 2103 no fix exists: the NTLM fallback is in effect whatever the setting";
    XCmPushNotAdmin = "X-CM-PUSH-NOT-ADMIN", Assumption, Push, "MD accounts.md @0349cf36 (a push account must be in the target's local Administrators); MD deploy-clients-to-windows-computers.md @3b7565e3 step 5 (NTLM when Kerberos cannot authenticate); whether a refusal is retried over NTLM is unsettled (lineage-sources-2.md 1.2)",
        "an account that authenticates over Kerberos and is no administrator of the target fails, and is not retried over NTLM";
    CmPushRetry = "CM-PUSH-RETRY", Stated, Timeline, "MD deploy-clients-to-windows-computers.md @3b7565e3, Client push installation; KB 925282 (SAD troubleshoot-advanced-client-push-installation-issues.md @5511a897: every 60 minutes, 168 times)",
        "a push that installs nothing is tried again every hour, for up to seven days";
    CmPushExposesAll = "CM-PUSH-EXPOSES-ALL", Derived, Exposure, "CM-PUSH-ORDER, CM-PUSH-COMPUTER-LAST; Trimarc part 1 (3P)",
        "a target that receives push attempts over NTLM holds each attempt's authentication, which its administrator captures (to crack or relay): every push account tried there, then the computer account";
    CmPushPrivileged = "CM-PUSH-PRIVILEGED", Derived, Exposure, "MD accounts.md @0349cf36 (no Domain Admin rights needed); Misconfiguration-Manager PREVENT-5, PREVENT-10",
        "a push account needs only local admin on its targets: any further right (Domain Admins, a DC among its targets) is exposed to whoever obtains it";
    CmElevate2 = "CM-ELEVATE-2", Stated, Exposure, "Misconfiguration-Manager ELEVATE-2 @3caec877, Requirements",
        "automatic push, automatic site assignment, NTLM allowed and no PKI client authentication: any domain user registers a device that draws NTLM from each push account and the computer account, relayed to SMB where the account is an administrator and signing is not required";
    CmElevate3 = "CM-ELEVATE-3", Stated, Exposure, "Misconfiguration-Manager ELEVATE-3 @3caec877, Requirements",
        "automatic push, automatic site assignment, AD System Discovery covering new computer accounts, a user who can create a computer account and a DNS A record, and NTLM allowed: the same coercion and relay, with no device registration";
    XCmDnsRecords = "X-CM-DNS-RECORDS", Assumption, Exposure, "Misconfiguration-Manager ELEVATE-3 Summary (every domain user can create DNS records)",
        "every account that authenticates may create a DNS A record unless the scenario names who may";
    XCmNtlmHostDefaults = "X-CM-NTLM-HOST-DEFAULTS", Assumption, Exposure, "Misconfiguration-Manager ELEVATE-2 and ELEVATE-3 @3caec877, Requirements tagged `[DEFAULT]` (BlockNTLM, RestrictSendingNTLMTraffic, Protected Users, RestrictNTLMInDomain, LmCompatibilityLevel)",
        "the NTLM settings the ELEVATE write-ups tag `[DEFAULT]` hold on the site server and in the domain: it sends the push accounts' NTLM authentication to a device a user adds";
    CmTsSecrets = "CM-TS-SECRETS", Stated, Exposure, "Misconfiguration-Manager PREVENT-10 (collection variables), CRED-2, CRED-3, CRED-4 Summary @3caec877; MD security-and-privacy-for-operating-system-deployment.md @f4b6ccdd",
        "task-sequence accounts (run-as, domain join) and collection and task-sequence variables travel in policy like the network access accounts: a collection's policy reveals them to its members and to any approved registration that falls into it";
    CmTsHidden = "CM-TS-HIDDEN", Stated, Exposure, "MD using-task-sequence-variables.md @baf7574d, the warning on \"Do not display this value\"",
        "\"Do not display this value\" hides a variable only in the console: the policy still carries it";
    XCmTsTargets = "X-CM-TS-TARGETS", Assumption, Exposure, "MD security-and-privacy-for-operating-system-deployment.md @f4b6ccdd (local administrators can read collection variables); Misconfiguration-Manager PREVENT-10 (exposed to members of the collection)",
        "a collection's policy, its variables and the task sequences deployed to it, reaches every client that is a member, which stores it";
    XCmNewRegistrations = "X-CM-NEW-REGISTRATIONS", Assumption, Exposure, "no stored source says which collections a new registration joins (lineage-sources-2.md 2.1, X-CM-TS-TARGETS)",
        "a client that registers new falls into All Systems and no other collection unless the scenario says";
    XCmTsResidue = "X-CM-TS-RESIDUE", Assumption, Exposure, "Misconfiguration-Manager PREVENT-15, CRED-4 @3caec877",
        "a removed collection variable or deployment stays in the CIM repository of the clients that had it, as a network access account does";
    CmTsRunAsRights = "CM-TS-RUNAS-RIGHTS", Stated, Exposure, "MD accounts.md @0349cf36, Task sequence run as account; Misconfiguration-Manager PREVENT-10",
        "a task-sequence account must never be a domain admin: one that administers a domain controller hands the domain to whoever obtains it";
    CmDjoinOwner = "CM-DJOIN-OWNER", Derived, Exposure, "Misconfiguration-Manager PREVENT-17, PREVENT-10 @3caec877 (owner, full control of the object; RBCD named as an abuse); control of the computer as BloodHound's Owns reads it",
        "the domain join account becomes owner of each computer it joins, with full control of the object (stated), which yields control of the computer (derived: resource-based constrained delegation, as BloodHound's Owns reads it)";
    XCmDjoinOwnerKept = "X-CM-DJOIN-OWNER-KEPT", Assumption, Exposure, "Misconfiguration-Manager PREVENT-17 (the fix is manual)",
        "a computer a task sequence joined keeps the domain join account as owner unless the scenario says its ownership was reassigned";
    XCmDjoinJoined = "X-CM-DJOIN-JOINED", Assumption, Exposure, "lineage-sources-2.md 2.1 (the domain join account joins the computers the task sequence runs on); no source lists them",
        "a task sequence with a domain join account joined every member of the collections it is deployed to, unless the scenario lists the computers";
    CmCred1 = "CM-CRED-1", Stated, Exposure, "Misconfiguration-Manager CRED-1 @3caec877, Requirements and Summary",
        "a PXE-enabled distribution point answers its network segments unauthenticated with boot media whose variables hold the network access accounts: in the clear with no PXE password, else after an offline crack";
    XCmPxePassword = "X-CM-PXE-PASSWORD", Assumption, Exposure, "Misconfiguration-Manager CRED-1, PREVENT-6 @3caec877 (strength is runtime)",
        "a PXE password that is set resists a crack unless the scenario marks it weak: the media's secrets are reached, rated lower";
    XCmPxeUnknown = "X-CM-PXE-UNKNOWN", Assumption, Exposure, "MD install-and-configure-distribution-points.md @1a9cac9b, prepare-for-unknown-computer-deployments.md @5947105d; not in CRED-1",
        "PXE media carry a task sequence's and a collection's secrets only when unknown computer support is on and the task sequence is deployed to a collection of unknown computers";
    CmNaaPrivileged = "CM-NAA-PRIVILEGED", Derived, Exposure, "CM-CRED-2, CM-CRED-3, CM-CRED-5; MD accounts.md @0349cf36 (minimum appropriate permissions)",
        "a network access account needs only to read content: any admin right it holds is exposed to whoever obtains it";
}

impl RuleId {
    /// This rule's catalog entry.
    pub fn rule(self) -> &'static Rule {
        // The catalog lists every variant in declaration order.
        &CATALOG[self as usize]
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_in_variant_order_and_ids_round_trip() {
        for (i, rule) in CATALOG.iter().enumerate() {
            assert_eq!(rule.id as usize, i);
            assert_eq!(RuleId::parse(rule.id.as_str()), Some(rule.id));
        }
    }
}
