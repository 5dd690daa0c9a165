//! What the project says about a run: its configuration (`oncevar.toml`),
//! its baseline of known sites, the suppression comments in its code, its
//! compilation database, and what of that database the user trusts enough
//! to run ([`trust`]).

pub mod baseline;
pub mod compdb;
pub mod config;
pub mod preprocess;
pub(crate) mod suppress;
pub mod trust;
