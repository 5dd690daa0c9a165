//! The fix stage: plan the edits that turn a site into a registered,
//! per-interpreter variable (`rewrite`, with `refcounts` for ownership;
//! both private, run by the analysis), then apply, re-parse and write them
//! ([`apply`]) or render them as a unified diff ([`diff`]); [`verify`]
//! compile-checks a fixed file with the project's compilation database.

pub mod apply;
pub mod diff;
pub(crate) mod handoff;
pub(crate) mod helper_fill;
pub(crate) mod kept;
pub(crate) mod ownership;
pub(crate) mod refcounts;
pub(crate) mod rewrite;
pub(crate) mod set_once;
pub(crate) mod thread_state;
pub mod verify;
