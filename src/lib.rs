//! oncevar finds static pointers that C code written against the CPython
//! API initialises lazily, reports them, and rewrites them into registered,
//! per-interpreter, exit-clearable variables.
//!
//! The data flows one way, one folder per stage:
//! [`scan`] (discover, read, prefilter) → [`analysis`] (parse, queries,
//! candidates, scopes, evidence, classify) → [`diagnostic`] → [`report`];
//! for fixes, [`analysis`] → [`fix`] (plan edits, apply and re-parse, or
//! diff). [`project`] holds what the project configures (settings, the
//! baseline, suppressions); [`check`] runs the stages over a tree in
//! parallel, and [`converge`] applies its fixes round after round until
//! nothing changes. [`options`] holds the options that several stages read, so
//! none of them depends on another for its options.

// Every public item says what goes in and out and which errors come back:
// `cargo clippy -- -D warnings` (run by scripts/test.sh) fails otherwise.
#![warn(missing_docs)]
#![warn(clippy::missing_errors_doc, clippy::missing_panics_doc)]

pub mod analysis;
pub mod audit;
pub mod check;
pub mod converge;
pub mod diagnostic;
pub mod fix;
pub mod options;
pub mod project;
pub mod report;
pub mod rules;
pub mod runtime;
pub mod scan;
