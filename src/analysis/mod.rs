//! The analysis stage: parse a file, run the queries, find candidate
//! statics, resolve their references, gather evidence and classify each
//! one into a site (or not). [`analyze`] runs these steps for one file.

pub mod analyze;
pub(crate) mod candidates;
pub mod claims;
pub(crate) mod classify;
pub(crate) mod evidence;
pub mod parse;
pub mod queries;
pub(crate) mod scope;
