//! The events of a timeline ([`Event`]), the refusal of one the estate of the moment
//! cannot take ([`EventRefused`]), and how an estate-changing event changes the estate
//! ([`apply_change`]).

use std::borrow::Cow;

use crate::model::*;

/// Something that happens to the estate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// A user logs on at a client.
    LogOn {
        /// The client.
        client: MachineId,
        /// The user.
        user: AccountId,
    },
    /// The user logs off.
    LogOff {
        /// The client.
        client: MachineId,
    },
    /// A session makes a connection.
    Connect {
        /// The client.
        client: MachineId,
        /// The session.
        session: SessionKind,
        /// The connection.
        connection: Connection,
    },
    /// A session drops its connections to a server.
    Disconnect {
        /// The client.
        client: MachineId,
        /// The session.
        session: SessionKind,
        /// The server.
        server: MachineId,
    },
    /// A client receives an advertisement: it starts the program as soon as it may.
    AdvertisementReceived {
        /// The advertisement.
        advertisement: AdvertisementId,
        /// The client.
        client: MachineId,
    },
    /// A running program finishes.
    ProgramFinish {
        /// The advertisement.
        advertisement: AdvertisementId,
        /// The client.
        client: MachineId,
    },
    /// A running program crashes.
    ProgramCrash {
        /// The advertisement.
        advertisement: AdvertisementId,
        /// The client.
        client: MachineId,
    },
    /// A running program is stopped for taking too long.
    ProgramTimeout {
        /// The advertisement.
        advertisement: AdvertisementId,
        /// The client.
        client: MachineId,
    },
    /// A client reboots.
    Reboot {
        /// The client.
        client: MachineId,
    },
    /// A client's services start after a reboot and clean up (`X-REBOOT-CLEANUP`).
    ServicesStarted {
        /// The client.
        client: MachineId,
    },
    /// An account is disabled.
    AccountDisabled {
        /// The account.
        account: AccountId,
    },
    /// An account is enabled.
    AccountEnabled {
        /// The account.
        account: AccountId,
    },
    /// An account's password changes (A16).
    PasswordChanged {
        /// The account.
        account: AccountId,
    },
    /// A client refreshes its site data and so the passwords it holds (A16).
    SiteDataRefreshed {
        /// The client.
        client: MachineId,
    },
    /// A server stops answering.
    ServerDown {
        /// The server.
        server: MachineId,
    },
    /// A server answers again.
    ServerUp {
        /// The server.
        server: MachineId,
    },
    /// A trust is added.
    TrustAdded {
        /// The trusting domain.
        trusting: DomainId,
        /// The trusted domain.
        trusted: DomainId,
    },
    /// A trust is removed.
    TrustRemoved {
        /// The trusting domain.
        trusting: DomainId,
        /// The trusted domain.
        trusted: DomainId,
    },
    /// An account or group may read a package's copy on a distribution point from now on
    ReadGranted {
        /// The package.
        package: PackageId,
        /// The distribution point share of the copy.
        share: ShareId,
        /// The account or group.
        account: AccountId,
    },
    /// An account or group may no longer read a package's copy.
    ReadRevoked {
        /// The package.
        package: PackageId,
        /// The distribution point share of the copy.
        share: ShareId,
        /// The account or group.
        account: AccountId,
    },
    /// A group gains a member. A timeline file's loader checks that
    /// the group can hold it, as the scenario loader does; [`super::Timeline::handle`] applies
    /// it as given.
    MemberAdded {
        /// The group.
        group: AccountId,
        /// The member.
        member: AccountId,
    },
    /// A group loses a member.
    MemberRemoved {
        /// The group.
        group: AccountId,
        /// The member.
        member: AccountId,
    },
    /// A Configuration Manager site adds a network access account, last in its order.
    /// A timeline file's loader checks it as the scenario loader does
    /// (`CM-NAA-LIMITS`); [`super::Timeline::handle`] applies it as given.
    NetworkAccessAccountAdded {
        /// The account.
        account: AccountId,
    },
    /// A Configuration Manager site stops using a network access account: it stays on
    /// the clients that had it (`X-CM-RESIDUE`, CRED-4).
    NetworkAccessAccountRemoved {
        /// The account.
        account: AccountId,
    },
    /// A Configuration Manager site starts pushing the client to a target of its client
    /// push (`CM-PUSH-AUTO`: a machine it discovers; or by hand): it tries at once, and
    /// every hour after for up to seven days until an account installs
    /// (`CM-PUSH-RETRY`). A timeline file's loader checks that the machine is a push
    /// target of the site at that moment; [`super::Timeline::try_handle`] makes the same
    /// check.
    PushStarted {
        /// The target.
        target: MachineId,
    },
    /// A Configuration Manager site sets a collection variable the scenario declares
    /// `pending` (or set again one `removed`): the collection's members receive it
    /// (`X-CM-TS-TARGETS`).
    CollectionVariableAdded {
        /// The collection.
        collection: CollectionId,
        /// The variable, an index into the collection's variables.
        variable: u32,
    },
    /// A Configuration Manager site removes a collection variable: it stays on the
    /// members that had it (`X-CM-TS-RESIDUE`, CRED-4).
    CollectionVariableRemoved {
        /// The collection.
        collection: CollectionId,
        /// The variable, an index into the collection's variables.
        variable: u32,
    },
    /// A Configuration Manager site makes a deployment the scenario declares `pending`
    /// (or makes again one `removed`).
    DeploymentAdded {
        /// The deployment, an index into the site's deployments.
        deployment: u32,
    },
    /// A Configuration Manager site removes a deployment: what its task sequence
    /// carries stays on the members that had it (`X-CM-TS-RESIDUE`).
    DeploymentRemoved {
        /// The deployment, an index into the site's deployments.
        deployment: u32,
    },
}

/// An event the estate of the moment refuses ([`super::Timeline::try_handle`]), in the words
/// the loader reports it with at the event's place in a timeline file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct EventRefused {
    /// The event's field at fault (`member`, `account`).
    pub field: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Applies an event that changes the estate (a read grant, a group member) to `estate`,
/// copying it at the first change; other events leave it alone.
pub(crate) fn apply_change(estate: &mut Cow<'_, Estate>, event: Event) {
    match event {
        Event::ReadGranted {
            package,
            share,
            account,
        }
        | Event::ReadRevoked {
            package,
            share,
            account,
        } => {
            let on = matches!(event, Event::ReadGranted { .. });
            let e = estate.to_mut();
            for copy in &mut e.packages[package.index()].copies {
                if copy.share == share {
                    copy.read.retain(|&a| a != account);
                    if on {
                        copy.read.push(account);
                        copy.read.sort_unstable();
                    }
                }
            }
        }
        Event::MemberAdded { group, member } | Event::MemberRemoved { group, member } => {
            let on = matches!(event, Event::MemberAdded { .. });
            let e = estate.to_mut();
            let members = &mut e.accounts[group.index()].members;
            members.retain(|&m| m != member);
            if on {
                members.push(member);
                members.sort_unstable();
            }
            e.index_memberships();
        }
        Event::NetworkAccessAccountAdded { account } => {
            let e = estate.to_mut();
            let cm = &mut e.site.configmgr;
            cm.previous_network_access_accounts
                .retain(|&a| a != account);
            if !cm.network_access_accounts.contains(&account) {
                cm.network_access_accounts.push(account);
            }
            e.accounts[account.index()].role = Some(SmsRole::NetworkAccess);
        }
        Event::NetworkAccessAccountRemoved { account } => {
            let cm = &mut estate.to_mut().site.configmgr;
            if let Some(i) = cm
                .network_access_accounts
                .iter()
                .position(|&a| a == account)
            {
                cm.network_access_accounts.remove(i);
                // X-CM-RESIDUE: every client of the site had it.
                if !cm.previous_network_access_accounts.contains(&account) {
                    cm.previous_network_access_accounts.push(account);
                }
            }
        }
        Event::CollectionVariableAdded {
            collection,
            variable,
        }
        | Event::CollectionVariableRemoved {
            collection,
            variable,
        } => {
            let removed = matches!(event, Event::CollectionVariableRemoved { .. });
            let osd = &mut estate.to_mut().site.configmgr.osd;
            if let Some(v) = osd
                .collections
                .get_mut(collection.index())
                .and_then(|c| c.variables.get_mut(variable as usize))
            {
                v.removed = removed;
                v.pending = false;
            }
        }
        Event::DeploymentAdded { deployment } | Event::DeploymentRemoved { deployment } => {
            let removed = matches!(event, Event::DeploymentRemoved { .. });
            let osd = &mut estate.to_mut().site.configmgr.osd;
            if let Some(d) = osd.deployments.get_mut(deployment as usize) {
                d.removed = removed;
                d.pending = false;
            }
        }
        _ => {}
    }
}
