//! What the project says about a run: its configuration (`oncevar.toml`),
//! its baseline of known sites, and the suppression comments in its code.

pub mod baseline;
pub mod compdb;
pub mod config;
pub(crate) mod suppress;
