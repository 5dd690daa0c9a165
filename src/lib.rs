//! oncevar finds static pointers that C code written against the CPython
//! API initialises lazily, reports them, and rewrites them into registered,
//! per-interpreter, exit-clearable variables.
//!
//! The data flows one way, one module per step:
//! [`discover`] → [`source`] → [`parse`] → [`queries`] → [`candidates`] →
//! [`scope`] → [`evidence`] → [`classify`] → [`diagnostic`] → [`report`];
//! for fixes, [`classify`] → [`rewrite`] (plan edits, with [`refcounts`]) →
//! [`fix`] (apply, re-parse, write) or [`diff`].
//! [`analyze`] runs the per-file steps; [`scan`] runs them over a tree in
//! parallel.

pub mod analyze;
pub mod baseline;
pub mod candidates;
pub mod classify;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod diff;
pub mod discover;
pub mod evidence;
pub mod fix;
pub mod parse;
pub mod prefilter;
pub mod queries;
pub mod refcounts;
pub mod report;
pub mod rewrite;
pub mod rules;
pub mod runtime;
pub mod scan;
pub mod scope;
pub mod source;
pub mod suppress;
