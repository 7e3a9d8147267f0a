//! An estate and a state paired once: [`Bound::new`] checks that the state was made for
//! the estate (its [`Shape`]), so that the questions asked through the handle never
//! index one estate with another's ids. The check is made once, when the pair is made;
//! each question is then as fast and as infallible as [`super::resolve`].

use super::{Resolution, WhyNot, resolve, resolve_all, why_not};
use crate::model::{AdvertisementId, Estate, MachineId, Shape, State};

/// Why an estate and a state cannot be paired.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the state was made for another estate: it expects {expected}, the estate has {found}")]
pub struct PairingError {
    /// The shape the state was made for, in words.
    pub expected: String,
    /// The estate's shape, in words.
    pub found: String,
}

/// An estate and a state made for it.
#[derive(Debug, Clone, Copy)]
pub struct Bound<'a> {
    estate: &'a Estate,
    state: &'a State,
}

impl<'a> Bound<'a> {
    /// Pairs `estate` with `state`, or says why they do not belong together.
    pub fn new(estate: &'a Estate, state: &'a State) -> Result<Bound<'a>, PairingError> {
        if state.is_for(estate) {
            Ok(Bound { estate, state })
        } else {
            Err(PairingError {
                expected: state.shape().to_string(),
                found: Shape::of(estate).to_string(),
            })
        }
    }

    /// The estate.
    pub fn estate(&self) -> &'a Estate {
        self.estate
    }

    /// The state.
    pub fn state(&self) -> &'a State {
        self.state
    }

    /// Resolves `advertisement` on `client` ([`super::resolve`]).
    pub fn resolve(&self, advertisement: AdvertisementId, client: MachineId) -> Resolution {
        resolve(self.estate, self.state, advertisement, client)
    }

    /// Every (advertisement, target) pair, in advertisement order
    /// ([`super::resolve_all`]).
    pub fn resolve_all(&self) -> Vec<Resolution> {
        resolve_all(self.estate, self.state)
    }

    /// The single changes that would change `resolution`'s decision
    /// ([`super::why_not`]).
    pub fn why_not(&self, resolution: &Resolution) -> Vec<WhyNot> {
        why_not(self.estate, self.state, resolution)
    }
}
