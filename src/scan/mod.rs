//! The input stage: find the files to scan, read them safely, and skip
//! those whose text proves they hold no site before anything is parsed.

pub mod discover;
pub(crate) mod lexer;
pub mod prefilter;
pub mod source;
pub mod unit;
