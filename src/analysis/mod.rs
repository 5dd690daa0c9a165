//! The analysis stage: parse a file, run the queries, find candidate
//! statics, resolve their references, gather evidence and classify each
//! one into a site (or not). `analyze` runs these steps for one parsed
//! text; `check` then has `fix` plan the fixes and turns the result
//! into diagnostics, so the analysis never depends on a later stage.

pub(crate) mod analyze;
pub mod audit;
pub mod callers;
pub mod callgraph;
pub(crate) mod candidates;
pub mod capi;
pub(crate) mod claims;
pub(crate) mod classify;
pub(crate) mod evidence;
pub mod parse;
pub mod queries;
pub(crate) mod scope;
pub(crate) mod state;
pub(crate) mod tables;
pub(crate) mod territory;
