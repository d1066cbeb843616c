//! The workspace's commands, as a library so tests can run them too.

pub mod apis;
pub mod bench;
pub mod check;
pub mod corpus;
pub mod diff;
pub mod import;
pub mod postman;
pub mod progress;
pub mod regen;
pub mod scratch;
pub mod spec_examples;
pub mod spec_source;
pub mod verify;
pub mod workspace;
