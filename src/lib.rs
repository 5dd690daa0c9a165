//! oncevar finds static pointers that C code written against the CPython
//! API initialises lazily, reports them, and rewrites them into registered,
//! per-interpreter, exit-clearable variables.
//!
//! The data flows one way, one module per step:
//! [`discover`] → [`source`] → [`parse`] → [`queries`] → [`candidates`] →
//! [`scope`] → [`evidence`] → [`classify`] → [`diagnostic`] → [`report`].
//! [`analyze`] runs the per-file steps; [`scan`] runs them over a tree in
//! parallel.

pub mod analyze;
pub mod candidates;
pub mod classify;
pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod evidence;
pub mod parse;
pub mod queries;
pub mod report;
pub mod rules;
pub mod scan;
pub mod scope;
pub mod source;
