//! The one check of an estate-changing event (a membership, a network access account, a
//! read grant added or removed, a push started, a collection variable or a deployment
//! added or removed) at a moment of a timeline: the loader reports what it
//! finds at the event's place in the file, and [`super::Timeline::try_handle`] returns
//! it as an error, in the same words.

use super::Event;
use crate::model::membership::Directory;
use crate::model::*;

/// Why a change of the estate cannot be made at this moment, with the field at fault:
/// a member the group cannot hold (the loader's check, with the trusts of the moment),
/// a read grant the server cannot hold, or a change that changes nothing. `text` is the
/// account's name as the caller wrote it (the file's text, or its qualified name).
pub(crate) fn change_problem(
    e: &Estate,
    now: &State,
    event: Event,
    text: &str,
) -> Option<(&'static str, String)> {
    let dir = Directory::of(e, now);
    match event {
        Event::MemberAdded { group, member } => {
            if let Some(why) = dir.member_refusal(group, member, text) {
                return Some(("member", why));
            }
            e.account(group).members.contains(&member).then(|| {
                (
                    "member",
                    format!(
                        "`{text}` is already a member of `{}`",
                        e.qualified_name(group)
                    ),
                )
            })
        }
        Event::NetworkAccessAccountAdded { account } => e
            .network_access_account_refusal(account, text)
            .map(|why| ("account", why)),
        Event::NetworkAccessAccountRemoved { account } => (!e
            .site()
            .configmgr
            .network_access_accounts
            .contains(&account))
        .then(|| {
            (
                "account",
                format!("`{text}` is not a network access account of the site"),
            )
        }),
        Event::MemberRemoved { group, member } => (!e.account(group).members.contains(&member))
            .then(|| {
                (
                    "member",
                    format!("`{text}` is not a member of `{}`", e.qualified_name(group)),
                )
            }),
        Event::ReadGranted {
            package,
            share,
            account,
        } => {
            let server = e.share(share).server;
            if let Some(why) = dir.access_refusal(server, account, text) {
                return Some(("account", why));
            }
            read_list(e, package, share).contains(&account).then(|| {
                (
                    "account",
                    format!(
                        "`{text}` can already read package `{}` on `{}`",
                        e.package(package).id,
                        e.share_path(share)
                    ),
                )
            })
        }
        Event::ReadRevoked {
            package,
            share,
            account,
        } => (!read_list(e, package, share).contains(&account)).then(|| {
            (
                "account",
                format!(
                    "`{text}` is not in the read list of package `{}` on `{}`",
                    e.package(package).id,
                    e.share_path(share)
                ),
            )
        }),
        Event::PushStarted { target } => push_problem(e, target, text).map(|m| ("target", m)),
        Event::CollectionVariableAdded {
            collection,
            variable,
        }
        | Event::CollectionVariableRemoved {
            collection,
            variable,
        } => {
            let v = e.site().configmgr.osd.variable(collection, variable)?;
            let set = !v.removed && !v.pending;
            let adding = matches!(event, Event::CollectionVariableAdded { .. });
            (set == adding).then(|| {
                (
                    "variable",
                    format!(
                        "variable `{}` is {} on collection `{}`",
                        v.name,
                        if set { "already set" } else { "not set" },
                        e.collection(collection).name
                    ),
                )
            })
        }
        Event::DeploymentAdded { deployment } | Event::DeploymentRemoved { deployment } => {
            let d = e
                .site()
                .configmgr
                .osd
                .deployments
                .get(deployment as usize)?;
            let made = !d.removed && !d.pending;
            let adding = matches!(event, Event::DeploymentAdded { .. });
            (made == adding).then(|| {
                (
                    "collection",
                    format!(
                        "the deployment of `{}` to `{}` is {}",
                        e.site().configmgr.osd.task_sequences[d.task_sequence].name,
                        e.collection(d.collection).name,
                        if made { "already made" } else { "not made" }
                    ),
                )
            })
        }
        _ => None,
    }
}

/// Why the site cannot start a push to `target`: it pushes no client, or the machine is
/// none of its push targets (`CM-PUSH-AUTO`, `X-CM-PUSH-DISCOVERED`, or a manual target).
fn push_problem(e: &Estate, target: MachineId, text: &str) -> Option<String> {
    if e.site().configmgr.client_push.is_none() {
        return Some(format!(
            "the site pushes no client (no `site.client_push`), so `{text}` is no push target"
        ));
    }
    let targets = crate::engine::push::push_targets(e);
    if targets.iter().any(|&(m, _)| m == target) {
        return None;
    }
    let names: Vec<&str> = targets
        .iter()
        .map(|&(m, _)| e.machine(m).name.as_str())
        .collect();
    Some(format!(
        "`{text}` is no push target of the site (CM-PUSH-AUTO: a domain member without the client, of a selected type, inside the boundaries; or a manual target); its targets are {}",
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    ))
}

fn read_list(e: &Estate, package: PackageId, share: ShareId) -> &[AccountId] {
    e.package(package)
        .copies
        .iter()
        .find(|c| c.share == share)
        .map_or(&[], |c| &c.read)
}
