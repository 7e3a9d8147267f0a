//! Client push from an import (lineage-sources-2.md 1.1; interop-sources.md, the stored
//! accounts row): the collection lists the site's stored accounts but not their use, and
//! holds none of the push settings, so the command line names the push accounts
//! (`--push-account`, or `others`: every stored account not taken as a network access
//! account) and gives the settings (`--push-settings`, a scenario's `site.client_push`).
//! Each becomes a `given` fact; a stored account named turns from `other` to
//! `client_push`.

use super::ImportError;
use super::estate::Builder;
use crate::scenario::raw::{RawClientPush, RawProvenance, RawStoredRole};

/// The site's client push, from the options: `None` when neither is given; a usage error
/// when one is given without the other, or an account is already a network access
/// account, or the settings name accounts and `--push-account` does too. `find` resolves
/// a name or SID given to `--push-account`, as `--naa` does.
pub(super) fn client_push(
    b: &mut Builder<'_>,
    find: impl Fn(&Builder<'_>, &str) -> Result<String, ImportError>,
) -> Result<Option<RawClientPush>, ImportError> {
    let mut accounts: Vec<String> = Vec::new();
    for text in &b.o.push_accounts {
        if text.eq_ignore_ascii_case("others") {
            for s in &b.imported.stored_accounts {
                let name = s.account.to_string();
                if s.role != RawStoredRole::NetworkAccess && !accounts.contains(&name) {
                    accounts.push(name);
                }
            }
        } else {
            let name = find(b, text)?;
            if !accounts.contains(&name) {
                accounts.push(name);
            }
        }
    }
    let Some(settings) = b.o.client_push.clone() else {
        if b.o.push_accounts.is_empty() {
            return Ok(None);
        }
        return Err(ImportError::Choose(
            "--push-account: the collection holds no client push settings (automatic push, its targets, the version, the NTLM fallback); give them with --push-settings FILE, a JSON object in the form of a scenario's `site.client_push`".into(),
        ));
    };
    if !settings.accounts.is_empty() && !b.o.push_accounts.is_empty() {
        return Err(ImportError::Choose(
            "--push-settings names its accounts and --push-account names accounts too: give the push accounts once".into(),
        ));
    }
    let mut push = settings;
    if push.accounts.is_empty() {
        push.accounts = accounts.iter().map(|a| a.as_str().into()).collect();
    }
    let option = if accounts.is_empty() {
        "--push-settings"
    } else {
        "--push-account"
    };
    for s in &mut b.imported.stored_accounts {
        if !push
            .accounts
            .iter()
            .any(|a| a.eq_ignore_ascii_case(s.account.as_str()))
        {
            continue;
        }
        if s.role == RawStoredRole::NetworkAccess {
            return Err(ImportError::Choose(format!(
                "{option} `{}`: it is taken as a network access account, and an account is one or the other here",
                s.account
            )));
        }
        s.role = RawStoredRole::ClientPush;
        s.provenance = RawProvenance::Given;
        s.option = Some(option.into());
        s.rule = None;
    }
    for a in &accounts {
        b.given(
            "site.client_push.accounts".into(),
            a.clone(),
            "--push-account",
        );
    }
    b.given(
        "site.client_push".into(),
        format!(
            "version {}, {} push",
            push.version,
            if push.automatic.is_some() {
                "automatic"
            } else {
                "manual"
            }
        ),
        "--push-settings",
    );
    Ok(Some(push))
}
