//! The lineage of the SMS 2.0 accounts in later products: what became of the client
//! connection account, the client token account and the Software Installation account
//! in SMS 2003 and Configuration Manager, and which of the attacks on their descendants
//! this crate's analysis answers.
//!
//! For now this module owns one thing, [`matrix`]: SpecterOps' Misconfiguration Manager
//! technique/defence matrix, transcribed from its pages at a pinned commit. Other
//! submodules of the lineage will be added next to it.

pub mod matrix;
