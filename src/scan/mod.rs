//! The input stage: find the files to scan, read them safely, and skip
//! those whose text proves they hold no site before anything is parsed;
//! group them into translation units and decide which `#if` branches the
//! build compiles (by oncevar's own evaluator, [`cond`], or as the
//! compiler's preprocessor says, [`compiled`]).

pub mod compiled;
pub mod cond;
pub mod discover;
pub mod elements;
pub mod includers;
pub mod index;
pub(crate) mod lexer;
pub mod macros;
pub mod prefilter;
pub(crate) mod shape;
pub mod source;
pub mod stdin;
pub mod unit;
