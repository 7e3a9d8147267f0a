//! The exhaustive decision table: every combination of the finite inputs of a decision,
//! resolved by the engine, so that tests can check the rules' invariants on all of them
//! and the `decision_table` example can print them grouped into decision classes.
//!
//! The inputs, and the values each takes:
//!
//! | input | values |
//! |---|---|
//! | platform | Windows 95, Windows 98, NT Workstation, NT Server, PDC, BDC |
//! | logged on | nobody; a user or an administrator (A1), each able or not to read the package |
//! | program | user's rights × {only with a user, whether or not}; administrative rights × the three "can run"; administrative rights with the Software Installation account × {whether or not, only without a user} (what the console allows) |
//! | Software Installation account | usable; its domain not trusted; disabled; the client's password stale (programs that use it only) |
//! | connection cache | none; a device-less connection to the DP share, another share of the DP server, or a mapped drive to the DP share; made with credentials that can or cannot read; in the interactive session (when a user is logged on) or the service session (NT) |
//! | connection accounts | none; one; two; each able or not to read |
//! | assumptions | every value of A2, A3, A4, A5, A6 and A14 (A15 changes no decision: it is an exposure assumption) |
//!
//! The estate: domain `CORP` with the clients and the DP server `SMS1`, domain `SWD` that
//! holds the Software Installation account and that `CORP` trusts, and the site `ABC`.
//! Every program needs the share `\\SMS1\OTHER` as a non-SMS resource, so that each
//! row also shows which contexts reach the network beyond the DP (D6).
//!
//! A Configuration Manager site has a table of its own ([`for_each_configmgr_row`]).

mod configmgr;
mod sample;

use serde_json::json;

pub use configmgr::{
    ConfigMgrClasses, ConfigMgrInputs, Member, Naa, ReadList, Transport, configmgr_programs,
    for_each_configmgr_row,
};
pub use sample::{Sample, SampleRow};

use crate::engine::{Resolution, resolve};
use crate::model::*;
use crate::scenario::{Scenario, raw::RawScenario};

/// Who is logged on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Logon {
    /// Nobody.
    Nobody,
    /// A user who is not an administrator of the client.
    User {
        /// Whether the user can read the package.
        reads: bool,
    },
    /// A member of the client's Administrators group (through a global group).
    Administrator {
        /// Whether the user can read the package.
        reads: bool,
    },
}

/// The program's properties that matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProgramKind {
    /// Run mode.
    pub run_mode: RunMode,
    /// Program can run.
    pub can_run: CanRun,
    /// Use the Software Installation account.
    pub software_installation_account: bool,
}

/// The state of the Software Installation account, for programs that use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SwiaState {
    /// The program does not use it.
    NotUsed,
    /// Enabled, trusted, password current.
    Usable,
    /// The client's domain does not trust the account's.
    Untrusted,
    /// Disabled.
    Disabled,
    /// The client holds an old password (A16).
    Stale,
}

/// The kind of connection in the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CacheKind {
    /// A device-less connection to the DP share.
    DeviceLessToShare,
    /// A device-less connection to another share of the DP server.
    OtherShare,
    /// A mapped drive to the DP share.
    MappedDrive,
}

/// One connection in the cache, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cache {
    /// The kind.
    pub kind: CacheKind,
    /// Whether its credentials can read the package.
    pub reads: bool,
    /// The session it is in.
    pub session: SessionKind,
}

/// The finite inputs of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Inputs {
    /// The client's platform.
    pub platform: Platform,
    /// Who is logged on.
    pub logon: Logon,
    /// The program.
    pub program: ProgramKind,
    /// The Software Installation account's state.
    pub swia: SwiaState,
    /// The connection cache.
    pub cache: Option<Cache>,
    /// The connection accounts: how many, and whether each reads.
    pub connection_accounts: ConnectionAccounts,
    /// The switchable assumptions.
    pub assumptions: Assumptions,
}

/// The site's connection accounts in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConnectionAccounts {
    /// None.
    None,
    /// One.
    One {
        /// Whether it reads.
        reads: bool,
    },
    /// Two.
    Two {
        /// Whether the first reads.
        first: bool,
        /// Whether the second reads.
        second: bool,
    },
}

impl ConnectionAccounts {
    /// Every value, in order.
    pub const ALL: [ConnectionAccounts; 7] = [
        ConnectionAccounts::None,
        ConnectionAccounts::One { reads: true },
        ConnectionAccounts::One { reads: false },
        ConnectionAccounts::Two {
            first: true,
            second: true,
        },
        ConnectionAccounts::Two {
            first: true,
            second: false,
        },
        ConnectionAccounts::Two {
            first: false,
            second: true,
        },
        ConnectionAccounts::Two {
            first: false,
            second: false,
        },
    ];
}

/// The programs the console allows, in order.
pub const PROGRAMS: [ProgramKind; 7] = [
    ProgramKind {
        run_mode: RunMode::UserRights,
        can_run: CanRun::OnlyWhenUserLoggedOn,
        software_installation_account: false,
    },
    ProgramKind {
        run_mode: RunMode::UserRights,
        can_run: CanRun::WhetherOrNotUserLoggedOn,
        software_installation_account: false,
    },
    ProgramKind {
        run_mode: RunMode::AdministrativeRights,
        can_run: CanRun::OnlyWhenUserLoggedOn,
        software_installation_account: false,
    },
    ProgramKind {
        run_mode: RunMode::AdministrativeRights,
        can_run: CanRun::WhetherOrNotUserLoggedOn,
        software_installation_account: false,
    },
    ProgramKind {
        run_mode: RunMode::AdministrativeRights,
        can_run: CanRun::OnlyWhenNoUserLoggedOn,
        software_installation_account: false,
    },
    ProgramKind {
        run_mode: RunMode::AdministrativeRights,
        can_run: CanRun::WhetherOrNotUserLoggedOn,
        software_installation_account: true,
    },
    ProgramKind {
        run_mode: RunMode::AdministrativeRights,
        can_run: CanRun::OnlyWhenNoUserLoggedOn,
        software_installation_account: true,
    },
];

const PLATFORMS: [(&str, &str); 6] = [
    ("W95", "windows_95"),
    ("W98", "windows_98"),
    ("NTW", "nt4_workstation"),
    ("NTS", "nt4_server"),
    ("PDC", "nt4_pdc"),
    ("BDC", "nt4_bdc"),
];

const LOGONS: [Logon; 5] = [
    Logon::Nobody,
    Logon::User { reads: true },
    Logon::User { reads: false },
    Logon::Administrator { reads: true },
    Logon::Administrator { reads: false },
];

/// Every value of the decision-layer assumptions (A2, A3, A4, A5, A6, A14).
pub fn assumption_values() -> Vec<Assumptions> {
    let mut out = Vec::new();
    for bits in 0u8..64 {
        let on = |i: u8| bits & (1 << i) != 0;
        out.push(Assumptions {
            admin_rights_policy: if on(0) {
                AdminRightsPolicy::AlwaysService
            } else {
                AdminRightsPolicy::ServiceIfUserLacksRights
            },
            token_admin_membership: if on(1) {
                TokenAdminMembership::TransientOnMemberClients
            } else {
                TokenAdminMembership::Standing
            },
            swia_dp_context: if on(2) {
                SwiaDpContext::SoftwareInstallationAccount
            } else {
                SwiaDpContext::ClientTokenAccount
            },
            connection_scope: if on(3) {
                ConnectionScope::Machine
            } else {
                ConnectionScope::LogonSession
            },
            win9x_connection_accounts: if on(4) {
                Win9xConnectionAccounts::Used
            } else {
                Win9xConnectionAccounts::NotUsed
            },
            service_pack: if on(5) {
                ServicePack::RtmSp1
            } else {
                ServicePack::Sp2
            },
            swia_secret_on_clients: true,
        });
    }
    out
}

/// The table's estate for one value of the connection accounts.
fn estate(accounts: ConnectionAccounts) -> Option<Scenario> {
    let (list, readers): (Vec<&str>, Vec<&str>) = match accounts {
        ConnectionAccounts::None => (vec![], vec![]),
        ConnectionAccounts::One { reads } => (
            vec!["CORP\\SMSClient_1"],
            if reads {
                vec!["CORP\\SMSClient_1"]
            } else {
                vec![]
            },
        ),
        ConnectionAccounts::Two { first, second } => (
            vec!["CORP\\SMSClient_1", "CORP\\SMSClient_2"],
            [(first, "CORP\\SMSClient_1"), (second, "CORP\\SMSClient_2")]
                .into_iter()
                .filter(|(r, _)| *r)
                .map(|(_, a)| a)
                .collect(),
        ),
    };
    let mut read = vec![
        "CORP\\user_r",
        "CORP\\admin_r",
        "CORP\\reader",
        "SWD\\install",
    ];
    read.extend(readers);
    let mut machines = vec![
        json!({"name": "SMS1", "platform": "nt4_server", "domain": "CORP", "sms_client": false}),
    ];
    for (name, platform) in PLATFORMS {
        let mut m = json!({"name": name, "platform": platform, "domain": "CORP"});
        if platform == "nt4_workstation" || platform == "nt4_server" {
            m["local_groups"] = json!([{"name": "Administrators", "members": ["CORP\\Admins"]}]);
        }
        machines.push(m);
    }
    let programs: Vec<_> = PROGRAMS
        .iter()
        .enumerate()
        .map(|(i, p)| {
            json!({
                "name": format!("P{i}"),
                "package": "ABC00001",
                "run_mode": if p.run_mode == RunMode::UserRights { "user_rights" } else { "administrative_rights" },
                "can_run": match p.can_run {
                    CanRun::OnlyWhenUserLoggedOn => "only_when_user_logged_on",
                    CanRun::WhetherOrNotUserLoggedOn => "whether_or_not_user_logged_on",
                    CanRun::OnlyWhenNoUserLoggedOn => "only_when_no_user_logged_on",
                },
                "use_software_installation_account": p.software_installation_account,
                "resources": ["other"],
            })
        })
        .collect();
    let targets: Vec<&str> = PLATFORMS.iter().map(|(n, _)| *n).collect();
    let ads: Vec<_> = (0..PROGRAMS.len())
        .map(|i| json!({"name": format!("ABC2000{i}"), "program": format!("P{i}"), "targets": targets}))
        .collect();
    let raw = json!({
        "schema_version": 1,
        "domains": [
            {"name": "CORP", "trusts": ["SWD"],
             "users": ["user_r", "user_n", "admin_r", "admin_n", "reader", "nonreader", "SMSClient_1", "SMSClient_2"],
             "global_groups": [{"name": "Admins", "members": ["admin_r", "admin_n"]}],
             "local_groups": [{"name": "Administrators", "members": ["Admins"]}]},
            {"name": "SWD", "users": ["install"]}
        ],
        "machines": machines,
        "site": {"code": "ABC", "domain": "CORP", "connection_accounts": list,
                 "software_installation_account": "SWD\\install",
                 "distribution_points": ["\\\\SMS1\\PKG"]},
        "resources": [{"name": "other", "path": "\\\\SMS1\\OTHER", "read": ["CORP\\user_r", "CORP\\admin_r", "SWD\\install"]}],
        "packages": [{"id": "ABC00001", "copies": [{"distribution_point": "\\\\SMS1\\PKG", "read": read}]}],
        "programs": programs,
        "advertisements": ads,
    });
    let raw: RawScenario = serde_json::from_value(raw).ok()?;
    Scenario::from_raw(&raw).ok()
}

/// The ids of the table's estate that every row's state refers to.
#[derive(Debug, Clone, Copy)]
struct Fixed {
    reader: AccountId,
    nonreader: AccountId,
    swia: AccountId,
    sms1: MachineId,
    pkg: ShareId,
    other: ShareId,
    corp: DomainId,
    swd: DomainId,
}

impl Fixed {
    fn of(scenario: &Scenario) -> Option<Fixed> {
        let e = &scenario.estate;
        let find = |name: &str| e.account_by_name(name);
        let sms1 = e.machine_by_name("SMS1")?;
        let share = |name: &str| {
            e.shares()
                .iter()
                .position(|s| s.server == sms1 && s.name == name)
                .map(ShareId::from_index)
        };
        Some(Fixed {
            reader: find("CORP\\reader")?,
            nonreader: find("CORP\\nonreader")?,
            swia: find("SWD\\install")?,
            sms1,
            pkg: share("PKG")?,
            other: share("OTHER")?,
            corp: e.domain_by_name("CORP")?,
            swd: e.domain_by_name("SWD")?,
        })
    }
}

/// One row before its state is made: its inputs and its question.
#[derive(Debug, Clone, Copy)]
struct Plan {
    inputs: Inputs,
    advertisement: AdvertisementId,
    client: MachineId,
    user: Option<AccountId>,
}

/// The Software Installation account's states a program is tried with.
fn swia_states(program: &ProgramKind) -> &'static [SwiaState] {
    if program.software_installation_account {
        &[
            SwiaState::Usable,
            SwiaState::Untrusted,
            SwiaState::Disabled,
            SwiaState::Stale,
        ]
    } else {
        &[SwiaState::NotUsed]
    }
}

/// The connection caches a client with (or without) a logged-on user can have.
fn caches(user: bool, nt: bool) -> Vec<Option<Cache>> {
    let mut sessions = Vec::new();
    if user {
        sessions.push(SessionKind::Interactive);
    }
    if nt {
        sessions.push(SessionKind::Service);
    }
    let mut caches = vec![None];
    for kind in [
        CacheKind::DeviceLessToShare,
        CacheKind::OtherShare,
        CacheKind::MappedDrive,
    ] {
        for reads in [true, false] {
            for &session in &sessions {
                caches.push(Some(Cache {
                    kind,
                    reads,
                    session,
                }));
            }
        }
    }
    caches
}

/// Calls `f` on the plan of every row of one estate (one value of the connection
/// accounts and of the assumptions), in the table's order.
fn plans(
    estate: &Estate,
    accounts: ConnectionAccounts,
    assumptions: Assumptions,
    mut f: impl FnMut(&Plan),
) {
    let find = |name: &str| estate.account_by_name(name);
    for (client_name, _) in PLATFORMS {
        let Some(client) = estate.machine_by_name(client_name) else {
            continue;
        };
        let platform = estate.machine(client).platform;
        for logon in LOGONS {
            let user = match logon {
                Logon::Nobody => None,
                Logon::User { reads } => find(if reads {
                    "CORP\\user_r"
                } else {
                    "CORP\\user_n"
                }),
                Logon::Administrator { reads } => find(if reads {
                    "CORP\\admin_r"
                } else {
                    "CORP\\admin_n"
                }),
            };
            let caches = caches(user.is_some(), platform.is_nt());
            for (i, program) in PROGRAMS.iter().enumerate() {
                let Some(advertisement) = estate.advertisement_by_name(&format!("ABC2000{i}"))
                else {
                    continue;
                };
                for &swia in swia_states(program) {
                    for &cache in &caches {
                        let inputs = Inputs {
                            platform,
                            logon,
                            program: *program,
                            swia,
                            cache,
                            connection_accounts: accounts,
                            assumptions,
                        };
                        f(&Plan {
                            inputs,
                            advertisement,
                            client,
                            user,
                        });
                    }
                }
            }
        }
    }
}

/// The state of one row: the base state with its logon, the Software Installation
/// account's state and its connection.
fn state_of(base: &State, fixed: &Fixed, plan: &Plan) -> State {
    let mut state = base.clone();
    let client = plan.client;
    if let Some(u) = plan.user {
        state.log_on_unchecked(client, u);
    }
    match plan.inputs.swia {
        SwiaState::NotUsed | SwiaState::Usable => {}
        SwiaState::Untrusted => state.set_trust_unchecked(fixed.corp, fixed.swd, false),
        SwiaState::Disabled => state.set_status(
            fixed.swia,
            AccountStatus {
                enabled: false,
                ..AccountStatus::default()
            },
        ),
        SwiaState::Stale => state.set_stale_unchecked(client, fixed.swia, true),
    }
    if let Some(c) = plan.inputs.cache {
        let connection = Connection {
            server: fixed.sms1,
            share: Some(if c.kind == CacheKind::OtherShare {
                fixed.other
            } else {
                fixed.pkg
            }),
            device: if c.kind == CacheKind::MappedDrive {
                Device::Drive('P')
            } else {
                Device::DeviceLess
            },
            credential: if c.reads {
                fixed.reader
            } else {
                fixed.nonreader
            },
        };
        state.connect_unchecked(client, c.session, connection);
    }
    state
}

/// Calls `f` on each estate of the table (one for each value of the connection accounts
/// and of the assumptions) with the ids its rows' states use, in the table's order.
fn for_each_estate(mut f: impl FnMut(&Scenario, &Fixed, Estate, ConnectionAccounts, Assumptions)) {
    for accounts in ConnectionAccounts::ALL {
        let Some(scenario) = estate(accounts) else {
            continue;
        };
        let Some(fixed) = Fixed::of(&scenario) else {
            continue;
        };
        for assumptions in assumption_values() {
            let estate = scenario.estate.with_assumptions(assumptions);
            f(&scenario, &fixed, estate, accounts, assumptions);
        }
    }
}

/// Calls `f` on every row of the table, in a fixed order; returns the number of rows.
/// Rows the console or the model rule out (a session that cannot exist) are skipped.
pub fn for_each_row(mut f: impl FnMut(&Inputs, &Estate, &State, &Resolution)) -> usize {
    let mut rows = 0;
    for_each_estate(|scenario, fixed, estate, accounts, assumptions| {
        plans(&estate, accounts, assumptions, |plan| {
            let state = state_of(&scenario.state, fixed, plan);
            let resolution = resolve(&estate, &state, plan.advertisement, plan.client);
            f(&plan.inputs, &estate, &state, &resolution);
            rows += 1;
        });
    });
    rows
}

/// Rows grouped into decision classes: one per platform, logged-on state, program
/// (with the Software Installation account's state) and decision class
/// ([`crate::render::summary_class`]), with the number of rows in each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classes(Counts<Inputs4>);

type Inputs4 = (Platform, Logon, ProgramKind, SwiaState);

/// Rows counted by the inputs a table keeps (`K`) and their decision class
/// ([`crate::render::summary_class`]): what both tables' classes share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Counts<K> {
    rows: usize,
    classes: std::collections::BTreeMap<(K, String), usize>,
}

impl<K> Default for Counts<K> {
    fn default() -> Self {
        Counts {
            rows: 0,
            classes: std::collections::BTreeMap::new(),
        }
    }
}

impl<K: Ord> Counts<K> {
    /// Counts one row under `key` and its decision's class.
    pub(crate) fn add(&mut self, key: K, estate: &Estate, resolution: &Resolution) {
        let class = crate::render::summary_class(estate, &resolution.decision);
        *self.classes.entry((key, class)).or_default() += 1;
        self.rows += 1;
    }

    /// The Markdown heading: the title, the counts, what is collapsed, the columns.
    pub(crate) fn heading(&self, title: &str, collapsed: &str, first: &str) -> String {
        format!(
            "# {title}\n\n{} rows in {} decision classes. {collapsed} are collapsed; `rows` counts the combinations of them in each class.\n\n| {first} | logged on | program | decision | rows |\n|---|---|---|---|---|\n",
            self.rows,
            self.classes.len()
        )
    }
}

impl Classes {
    /// Adds one row.
    pub fn add(&mut self, inputs: &Inputs, estate: &Estate, resolution: &Resolution) {
        let key = (inputs.platform, inputs.logon, inputs.program, inputs.swia);
        self.0.add(key, estate, resolution);
    }

    /// How many classes.
    pub fn len(&self) -> usize {
        self.0.classes.len()
    }

    /// Whether no row was added.
    pub fn is_empty(&self) -> bool {
        self.0.classes.is_empty()
    }

    /// The table as Markdown, one line per class.
    pub fn to_markdown(&self) -> String {
        use crate::render::{can_run_name, platform_name, run_mode_name};
        use std::fmt::Write as _;
        let mut out = self.0.heading(
            "The exhaustive decision table",
            "The connection cache, the connection accounts and the assumptions",
            "platform",
        );
        for (((platform, logon, program, swia), decision), n) in &self.0.classes {
            let logon = match logon {
                Logon::Nobody => "nobody".to_string(),
                Logon::User { reads } => {
                    format!("user{}", if *reads { "" } else { " (cannot read)" })
                }
                Logon::Administrator { reads } => format!(
                    "administrator{}",
                    if *reads { "" } else { " (cannot read)" }
                ),
            };
            let mut p = format!(
                "{}, {}",
                run_mode_name(program.run_mode),
                can_run_name(program.can_run)
            );
            let swia = match swia {
                SwiaState::NotUsed => "",
                SwiaState::Usable => ", Software Installation account",
                SwiaState::Untrusted => ", Software Installation account (untrusted)",
                SwiaState::Disabled => ", Software Installation account (disabled)",
                SwiaState::Stale => ", Software Installation account (stale password)",
            };
            p.push_str(swia);
            let _ = writeln!(
                out,
                "| {} | {logon} | {p} | {decision} | {n} |",
                platform_name(*platform)
            );
        }
        out
    }
}
