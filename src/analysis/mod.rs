//! The analysis stage: parse a file, run the queries, find candidate
//! statics, resolve their references, gather evidence and classify each
//! one into a site (or not). [`analyze`] runs these steps for one file.

pub mod analyze;
pub mod candidates;
pub mod classify;
pub mod evidence;
pub mod parse;
pub mod queries;
pub mod scope;
