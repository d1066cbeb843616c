//! What each vendor does differently, one module per vendor, layered on the
//! vendor-blind [`secgen_runtime`] core.
//!
//! A generated crate's `api.yaml` names the items it uses from here (its error
//! body, envelope and region types) by path, and the generated crate re-exports
//! its vendor's module as `vendor`. Nothing in the runtime imports this crate.
//!
//! | module | what it holds |
//! |---|---|
//! | [`sophos_factory`] | the 9 regional hosts, the `{status, errors}` error body |
//! | [`sophos_central`] | Sophos ID credentials, `whoami`, [`sophos_central::Session`] routing to tenant hosts with id headers, the gateway error body |
//! | [`cisco_amp`] | the 3 regional hosts, the `{version, metadata, data, errors}` envelope and its error body |
//! | [`cloud_soar`] | the `{name, value}` incident field |
//!
//! With the feature `fake`, each module also has a `fake` module: what the
//! generated crates' fakes answer as that vendor does (error bodies, rate-limit
//! headers, envelopes; for Sophos Central, a `Session` connected to the fake).

pub mod cisco_amp;
pub mod cloud_soar;
pub mod sophos_central;
pub mod sophos_factory;
