//! Loading a timeline file: its scenario (the built-in demo, one written inline, or a
//! scenario file named by its path relative to the timeline file), and its events
//! lowered to typed [`Event`]s, every problem with its JSON path, line and column.
//!
//! Reading files is the one IO of this crate besides [`crate::scenario::load_file`]:
//! [`load_timeline_file`] reads the timeline and the scenario file it names;
//! [`load_timeline`] reads nothing.

use std::borrow::Cow;
use std::path::Path;

use super::check::change_problem;
use super::file::{RawEvent, RawScenarioRef, RawTimeline, TimelineFile};
use super::{Event, Time, apply_change};
use crate::model::*;
use crate::scenario::raw::RawSession;
use crate::scenario::resolve::{Resolver, not_a_drive, not_a_target, parse_drive};
use crate::scenario::{FileError, LoadError, Problem, Scenario, parse_tracked, position};

/// `HH:MM`, `HH:MM:SS`, or either after a day, `2d 09:00` (day 0 is the first).
fn parse_time(text: &str) -> Option<Time> {
    let (day, text) = match text.split_once("d ") {
        Some((d, rest)) if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => {
            (d.parse::<u64>().ok().filter(|&d| d <= 3650)?, rest)
        }
        Some(_) => return None,
        None => (0, text),
    };
    let parts: Vec<&str> = text.split(':').collect();
    let num = |s: &str| s.parse::<u64>().ok().filter(|_| s.len() == 2);
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (num(h)?, num(m)?, 0),
        [h, m, s] => (num(h)?, num(m)?, num(s)?),
        _ => return None,
    };
    (h < 24 && m < 60 && s < 60).then_some(day * 86_400 + h * 3600 + m * 60 + s)
}

/// Why a timeline could not be loaded: the timeline's own report, or the scenario
/// file's (which names that file).
enum Failed {
    Timeline(LoadError),
    Scenario(FileError),
}

/// Loads a timeline from its text. Its scenario is `"demo"` or written inline: a
/// scenario named by a path is a problem here, as text has no directory to find the file
/// in ([`load_timeline_file`] has one).
pub fn load_timeline(text: &str) -> Result<TimelineFile, LoadError> {
    load(text, None).map_err(|f| match f {
        Failed::Timeline(e) => e,
        // Without a directory no scenario file is read.
        Failed::Scenario(e) => LoadError::Invalid(vec![Problem {
            path: "scenario".into(),
            position: position(text, "scenario"),
            message: e.to_string(),
        }]),
    })
}

/// Reads and loads a timeline file; a scenario it names by path (`"estate.json"`) is
/// read relative to the timeline file's directory. A problem of the timeline names the
/// timeline file; a problem of the scenario file names that file.
pub fn load_timeline_file(path: &Path) -> Result<TimelineFile, FileError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| FileError::Read {
        path: name.clone(),
        message: e.to_string(),
    })?;
    let load_error = |error| FileError::Load {
        path: name.clone(),
        error,
    };
    let text = crate::scenario::utf8(&bytes).map_err(load_error)?;
    let dir = path.parent().unwrap_or(Path::new(""));
    load(text, Some(dir)).map_err(|f| match f {
        Failed::Timeline(error) => load_error(error),
        Failed::Scenario(e) => e,
    })
}

/// The scenario a timeline gives, and the path of its file if it names one.
fn scenario_of(
    text: &str,
    raw: &RawScenarioRef,
    dir: Option<&Path>,
) -> Result<(Scenario, Option<String>), Failed> {
    match raw {
        RawScenarioRef::Named(name) if name == "demo" => {
            let s = Scenario::from_json(crate::scenario::DEMO).map_err(Failed::Timeline)?;
            Ok((s, None))
        }
        RawScenarioRef::Named(name) => {
            let Some(dir) = dir else {
                return Err(Failed::Timeline(LoadError::Invalid(vec![Problem {
                    path: "scenario".into(),
                    position: position(text, "scenario"),
                    message: format!(
                        "`{name}` names a scenario file, but a timeline given as text has no directory to find it in; expected `demo` or a scenario object"
                    ),
                }])));
            };
            let file = dir.join(name);
            let s = crate::scenario::load_path(&file).map_err(Failed::Scenario)?;
            Ok((s, Some(file.display().to_string())))
        }
        RawScenarioRef::Inline(s) => match Scenario::from_raw(s) {
            Ok(s) => Ok((s, None)),
            // The problems of an inline scenario are at `scenario.` in the file.
            Err(LoadError::Invalid(problems)) => Err(Failed::Timeline(LoadError::Invalid(
                problems
                    .into_iter()
                    .map(|p| {
                        let path = format!("scenario.{}", p.path);
                        Problem {
                            position: position(text, &path),
                            path,
                            message: p.message,
                        }
                    })
                    .collect(),
            ))),
            Err(e) => Err(Failed::Timeline(e)),
        },
    }
}

fn load(text: &str, dir: Option<&Path>) -> Result<TimelineFile, Failed> {
    let raw: RawTimeline = parse_tracked(text).map_err(Failed::Timeline)?;
    let (scenario, scenario_file) = scenario_of(text, &raw.scenario, dir)?;
    let mut problems = Vec::new();
    let mut events = Vec::new();
    let mut last = 0;
    // The estate and the trusts as the events so far leave them: a membership or a read
    // grant is checked against the moment it happens.
    let mut estate = Cow::Borrowed(&scenario.estate);
    let mut now = scenario.state.clone();
    for (i, timed) in raw.events.iter().enumerate() {
        let path = format!("events[{i}]");
        let at = parse_time(&timed.at);
        let problem = match at {
            None => Some(
                "is not a time; expected `HH:MM` or `HH:MM:SS`, after a day for a later one (`2d 09:00`)",
            ),
            Some(t) if t < last => {
                Some("comes before the event above it; events are in time order")
            }
            Some(_) => None,
        };
        let (Some(at), None) = (at, problem) else {
            let message = format!("`{}` {}", timed.at, problem.unwrap_or_default());
            problems.push(Problem {
                path: format!("{path}.at"),
                position: None,
                message,
            });
            continue;
        };
        last = at;
        let key = event_name(&timed.event);
        let mut local = Vec::new();
        let event = lower_event(&estate, &timed.event, &mut |field, message| {
            local.push(Problem {
                path: format!("{path}.event.{key}.{field}"),
                position: None,
                message,
            })
        });
        let Some(event) = event else {
            problems.extend(local);
            continue;
        };
        if let Some((field, message)) =
            change_problem(&estate, &now, event, change_text(&timed.event))
        {
            local.push(Problem {
                path: format!("{path}.event.{key}.{field}"),
                position: None,
                message,
            });
        }
        if local.is_empty() {
            match event {
                Event::TrustAdded { trusting, trusted } => {
                    now.set_trust_unchecked(trusting, trusted, true)
                }
                Event::TrustRemoved { trusting, trusted } => {
                    now.set_trust_unchecked(trusting, trusted, false)
                }
                _ => {}
            }
            apply_change(&mut estate, event);
            events.push((at, event));
        }
        problems.extend(local);
    }
    let until = match raw.until.as_deref() {
        None => last,
        Some(t) => match parse_time(t) {
            Some(u) if u >= last => u,
            _ => {
                problems.push(Problem {
                    path: "until".into(),
                    position: None,
                    message: format!("`{t}` is not a time at or after the last event"),
                });
                last
            }
        },
    };
    if raw.schema_version != 1 {
        problems.push(Problem {
            path: "schema_version".into(),
            position: None,
            message: format!("unsupported version `{}`; expected `1`", raw.schema_version),
        });
    }
    if !problems.is_empty() {
        for p in &mut problems {
            p.position = position(text, &p.path);
        }
        problems.sort_by_key(|p| p.position.unwrap_or((usize::MAX, usize::MAX)));
        return Err(Failed::Timeline(LoadError::Invalid(problems)));
    }
    Ok(TimelineFile {
        description: raw.description,
        scenario_file,
        scenario,
        lockout: raw.lockout,
        until,
        events,
    })
}

/// The name of an event as the file writes it (`log_on`).
fn event_name(raw: &RawEvent) -> String {
    match serde_json::to_value(raw) {
        Ok(serde_json::Value::Object(map)) => map.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

/// The text the file gave for the account an estate-changing event names (the member,
/// or the account), for [`change_problem`]'s words.
fn change_text(raw: &RawEvent) -> &str {
    match raw {
        RawEvent::MemberAdded { member, .. } | RawEvent::MemberRemoved { member, .. } => member,
        RawEvent::NetworkAccessAccountAdded(text) | RawEvent::NetworkAccessAccountRemoved(text) => {
            text
        }
        RawEvent::ReadGranted { account, .. } | RawEvent::ReadRevoked { account, .. } => account,
        RawEvent::PushStarted { target } => target,
        _ => "",
    }
}

/// A distribution point that holds no copy of the package, with the copies it has.
fn not_a_copy(e: &Estate, package: PackageId, text: &str) -> String {
    let p = e.package(package);
    format!(
        "`{text}` holds no copy of package `{}`; its copies are on {}",
        p.id,
        crate::scenario::resolve::list(p.copies.iter().map(|c| e.share_path(c.share)))
    )
}

/// A path to a server, or to a share the scenario does not know, where a distribution
/// point's share is wanted.
fn no_share(text: &str) -> String {
    format!(
        "`{text}` names no share of the scenario; expected a distribution point, `\\\\server\\share`"
    )
}

type Complain<'a> = dyn FnMut(&str, String) + 'a;

// Long because it has one arm per kind of event, each a few lines: read best as one match.
fn lower_event(e: &Estate, raw: &RawEvent, problem: &mut Complain<'_>) -> Option<Event> {
    let names = Resolver(e);
    let machine = |name: &str, field: &str, problem: &mut Complain<'_>| {
        names.machine(name).map_err(|m| problem(field, m)).ok()
    };
    let account = |name: &str, field: &str, problem: &mut Complain<'_>| {
        names.account(name).map_err(|m| problem(field, m)).ok()
    };
    let ad = |name: &str, client: Option<MachineId>, problem: &mut Complain<'_>| {
        let a = names
            .advertisement(name)
            .map_err(|m| problem("advertisement", m))
            .ok();
        if let (Some(a), Some(c)) = (a, client)
            && !e.advertisement(a).targets.contains(&c)
        {
            problem("client", not_a_target(&e.machine(c).name, name));
        }
        a
    };
    let domain = |name: &str, field: &str, problem: &mut Complain<'_>| {
        names.domain(name).map_err(|m| problem(field, m)).ok()
    };
    let session = |s: RawSession| match s {
        RawSession::Interactive => SessionKind::Interactive,
        RawSession::Service => SessionKind::Service,
    };
    Some(match raw {
        RawEvent::LogOn { client, user } => {
            let c = machine(client, "client", problem);
            let u = account(user, "user", problem);
            Event::LogOn {
                client: c?,
                user: u?,
            }
        }
        RawEvent::LogOff { client } => Event::LogOff {
            client: machine(client, "client", problem)?,
        },
        RawEvent::Connect {
            client,
            session: s,
            path,
            credential,
            drive,
        } => {
            let c = machine(client, "client", problem);
            let cred = account(credential, "as", problem);
            let (server, share) = match names.path(path) {
                Ok(target) => target,
                Err(m) => {
                    problem("path", m);
                    return None;
                }
            };
            let device = match drive.as_deref() {
                None => Device::DeviceLess,
                Some(d) => match parse_drive(d) {
                    Some(device) => device,
                    None => {
                        problem("drive", not_a_drive(d));
                        return None;
                    }
                },
            };
            Event::Connect {
                client: c?,
                session: session(*s),
                connection: Connection {
                    server,
                    share,
                    device,
                    credential: cred?,
                },
            }
        }
        RawEvent::Disconnect {
            client,
            session: s,
            server,
        } => {
            let c = machine(client, "client", problem);
            Event::Disconnect {
                client: c?,
                session: session(*s),
                server: machine(server, "server", problem)?,
            }
        }
        RawEvent::AdvertisementReceived {
            advertisement,
            client,
        }
        | RawEvent::ProgramFinish {
            advertisement,
            client,
        }
        | RawEvent::ProgramCrash {
            advertisement,
            client,
        }
        | RawEvent::ProgramTimeout {
            advertisement,
            client,
        } => {
            let c = machine(client, "client", problem)?;
            let a = ad(advertisement, Some(c), problem)?;
            match raw {
                RawEvent::AdvertisementReceived { .. } => Event::AdvertisementReceived {
                    advertisement: a,
                    client: c,
                },
                RawEvent::ProgramFinish { .. } => Event::ProgramFinish {
                    advertisement: a,
                    client: c,
                },
                RawEvent::ProgramCrash { .. } => Event::ProgramCrash {
                    advertisement: a,
                    client: c,
                },
                _ => Event::ProgramTimeout {
                    advertisement: a,
                    client: c,
                },
            }
        }
        RawEvent::Reboot { client } => Event::Reboot {
            client: machine(client, "client", problem)?,
        },
        RawEvent::ServicesStarted { client } => Event::ServicesStarted {
            client: machine(client, "client", problem)?,
        },
        RawEvent::AccountDisabled { account: a } => Event::AccountDisabled {
            account: account(a, "account", problem)?,
        },
        RawEvent::AccountEnabled { account: a } => Event::AccountEnabled {
            account: account(a, "account", problem)?,
        },
        RawEvent::PasswordChanged { account: a } => Event::PasswordChanged {
            account: account(a, "account", problem)?,
        },
        RawEvent::SiteDataRefreshed { client } => Event::SiteDataRefreshed {
            client: machine(client, "client", problem)?,
        },
        RawEvent::ServerDown { server } => Event::ServerDown {
            server: machine(server, "server", problem)?,
        },
        RawEvent::ServerUp { server } => Event::ServerUp {
            server: machine(server, "server", problem)?,
        },
        RawEvent::TrustAdded { trusting, trusted }
        | RawEvent::TrustRemoved { trusting, trusted } => {
            let a = domain(trusting, "trusting", problem);
            let b = domain(trusted, "trusted", problem);
            let (trusting, trusted) = (a?, b?);
            if matches!(raw, RawEvent::TrustAdded { .. }) {
                Event::TrustAdded { trusting, trusted }
            } else {
                Event::TrustRemoved { trusting, trusted }
            }
        }
        RawEvent::ReadGranted {
            package,
            distribution_point,
            account: a,
        }
        | RawEvent::ReadRevoked {
            package,
            distribution_point,
            account: a,
        } => {
            let p = names
                .package(package)
                .map_err(|m| problem("package", m))
                .ok();
            let share = match names.path(distribution_point) {
                Ok((_, Some(share))) => Some(share),
                Ok((_, None)) => {
                    problem("distribution_point", no_share(distribution_point));
                    None
                }
                Err(m) => {
                    problem("distribution_point", m);
                    None
                }
            };
            let account = account(a, "account", problem);
            let (package, share, account) = (p?, share?, account?);
            if !e.package(package).copies.iter().any(|c| c.share == share) {
                problem(
                    "distribution_point",
                    not_a_copy(e, package, distribution_point),
                );
                return None;
            }
            if matches!(raw, RawEvent::ReadGranted { .. }) {
                Event::ReadGranted {
                    package,
                    share,
                    account,
                }
            } else {
                Event::ReadRevoked {
                    package,
                    share,
                    account,
                }
            }
        }
        RawEvent::NetworkAccessAccountAdded(text) | RawEvent::NetworkAccessAccountRemoved(text) => {
            let a = account(text, "account", problem)?;
            if matches!(raw, RawEvent::NetworkAccessAccountAdded(_)) {
                Event::NetworkAccessAccountAdded { account: a }
            } else {
                Event::NetworkAccessAccountRemoved { account: a }
            }
        }
        RawEvent::PushStarted { target } => Event::PushStarted {
            target: machine(target, "target", problem)?,
        },
        RawEvent::CollectionVariableAdded {
            collection,
            variable,
        }
        | RawEvent::CollectionVariableRemoved {
            collection,
            variable,
        } => {
            let c = names
                .collection(collection)
                .map_err(|m| problem("collection", m))
                .ok()?;
            let v = names
                .collection_variable(c, variable)
                .map_err(|m| problem("variable", m))
                .ok()?;
            if matches!(raw, RawEvent::CollectionVariableAdded { .. }) {
                Event::CollectionVariableAdded {
                    collection: c,
                    variable: v,
                }
            } else {
                Event::CollectionVariableRemoved {
                    collection: c,
                    variable: v,
                }
            }
        }
        RawEvent::DeploymentAdded {
            task_sequence,
            collection,
        }
        | RawEvent::DeploymentRemoved {
            task_sequence,
            collection,
        } => {
            let c = names
                .collection(collection)
                .map_err(|m| problem("collection", m))
                .ok()?;
            let d = names
                .deployment(task_sequence, c)
                .map_err(|m| problem("task_sequence", m))
                .ok()?;
            if matches!(raw, RawEvent::DeploymentAdded { .. }) {
                Event::DeploymentAdded { deployment: d }
            } else {
                Event::DeploymentRemoved { deployment: d }
            }
        }
        RawEvent::MemberAdded { group, member } | RawEvent::MemberRemoved { group, member } => {
            let g = account(group, "group", problem);
            let m = account(member, "member", problem);
            let (group, member) = (g?, m?);
            if e.account(group).kind == AccountKind::User {
                problem(
                    "group",
                    format!("`{}` is a user, not a group", e.qualified_name(group)),
                );
                return None;
            }
            if matches!(raw, RawEvent::MemberAdded { .. }) {
                Event::MemberAdded { group, member }
            } else {
                Event::MemberRemoved { group, member }
            }
        }
    })
}
