//! The tree-sitter queries in `queries/`, embedded in the binary, compiled
//! once, with every capture name mapped to an index up front. A query that
//! names a capture the Rust side does not know, or misses one it needs, is a
//! bug caught at start-up (and by a unit test), not a silent non-match. The
//! pattern is tree-sitter's own `tree-sitter-tags` crate's, which resolves
//! its capture names to indices once and rejects unknown ones.

use std::sync::OnceLock;

use tree_sitter::{Language, Node, Query, QueryMatch};

/// The text of `queries/declarations.scm`: every declarator of a `static`
/// declaration (the candidate sites), pointer typedefs, and struct bodies
/// (to tell Python object structs by their `PyObject_HEAD`).
pub const DECLARATIONS_SOURCE: &str = include_str!("../../queries/declarations.scm");
/// The text of `queries/evidence.scm`: the writes, updates, address-takings,
/// NULL tests and releases of any expression, and the file's function-like
/// macros, from which the analysis learns what a static's uses are.
pub const EVIDENCE_SOURCE: &str = include_str!("../../queries/evidence.scm");

/// The node captured as `index` in a match, if the match has one.
pub fn captured<'t>(m: &QueryMatch<'_, 't>, index: u32) -> Option<Node<'t>> {
    m.captures()
        .iter()
        .find(|c| c.index == index)
        .map(|c| c.node)
}

/// The C grammar (`tree-sitter-c`) every parser and query is built for.
pub fn language() -> Language {
    tree_sitter_c::LANGUAGE.into()
}

/// The compiled `declarations.scm` and the index of each capture that the
/// Rust side reads (pass them to [`captured`]).
pub struct Declarations {
    /// The compiled query.
    pub query: Query,
    /// `@declaration`: a whole `static` declaration.
    pub declaration: u32,
    /// `@declarator`: one declarator of it (one match per declarator).
    pub declarator: u32,
    /// `@typedef.type`: the type a pointer typedef points to.
    pub typedef_type: u32,
    /// `@typedef.name`: the name a pointer typedef declares.
    pub typedef_name: u32,
    /// `@struct.name`: the name of a struct type with a body (its tag or
    /// its typedef name).
    pub struct_name: u32,
    /// `@struct.body`: that struct's field list.
    pub struct_body: u32,
    /// `@alias.type`: the type a plain typedef names (`struct _ctx` in
    /// `typedef struct _ctx CtxObject;`).
    pub alias_type: u32,
    /// `@alias.name`: the name such a typedef declares.
    pub alias_name: u32,
    /// `@array.type`: the type of a typedef whose declarator is an array
    /// or a pointer (`PyObject` in `typedef PyObject *pair_t[2];`).
    pub array_type: u32,
    /// `@array.declarator`: that typedef's declarator (`*pair_t[2]`).
    pub array_declarator: u32,
}

/// The compiled `evidence.scm` and the index of each capture that the
/// Rust side reads. Each kind of evidence is keyed by its subject, the
/// expression that may name a static.
pub struct Evidence {
    /// The compiled query.
    pub query: Query,
    /// `@write`: a whole assignment expression (`=` or compound).
    pub write: u32,
    /// `@write.target`: its left-hand side.
    pub write_target: u32,
    /// `@write.operator`: its operator (`=`, `+=`, ...).
    pub write_operator: u32,
    /// `@write.value`: its right-hand side.
    pub write_value: u32,
    /// `@update.target`: the operand of `++` or `--`.
    pub update_target: u32,
    /// `@address`: a whole `&expr`.
    pub address: u32,
    /// `@address.target`: the operand of `&`.
    pub address_target: u32,
    /// `@release`: a whole call to a releasing function (`Py_CLEAR`,
    /// `Py_XDECREF`, `Py_XSETREF`, `PyMem_Free`, `free`, ...).
    pub release: u32,
    /// `@release.function`: that call's function name.
    pub release_function: u32,
    /// `@release.target`: that call's first argument.
    pub release_target: u32,
    /// `@macro.name`: the name of a function-like `#define`.
    pub macro_name: u32,
    /// `@macro.parameters`: its parameter list, parentheses included.
    pub macro_parameters: u32,
    /// `@macro.body`: its replacement text.
    pub macro_body: u32,
}

/// Both queries, compiled and with their captures resolved; built once per
/// process by [`Queries::get`].
pub struct Queries {
    /// `declarations.scm`.
    pub declarations: Declarations,
    /// `evidence.scm`.
    pub evidence: Evidence,
}

/// A query file that does not fit the Rust side: a bug in oncevar (the
/// files are embedded), reported at start-up rather than as silent
/// non-matches.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query does not compile against the C grammar (a syntax error, or
    /// a node kind or field name the grammar does not have).
    #[error("queries/{file}: {error}")]
    Syntax {
        /// The query's file name under `queries/`.
        file: &'static str,
        /// tree-sitter's reason, with its position in the query.
        error: tree_sitter::QueryError,
    },
    /// The query names a capture the Rust side does not read.
    #[error("queries/{file}: capture @{name} is not known to oncevar")]
    UnknownCapture {
        /// The query's file name under `queries/`.
        file: &'static str,
        /// The capture name, without `@`.
        name: String,
    },
    /// The Rust side reads a capture the query does not have.
    #[error("queries/{file}: capture @{name} is required but missing")]
    MissingCapture {
        /// The query's file name under `queries/`.
        file: &'static str,
        /// The capture name, without `@`.
        name: &'static str,
    },
}

/// Resolves capture names of one query, checking that the query uses
/// exactly the names the Rust side knows.
struct Captures<'q> {
    file: &'static str,
    query: &'q Query,
    known: &'static [&'static str],
}

impl Captures<'_> {
    fn check(&self) -> Result<(), QueryError> {
        for name in self.query.capture_names() {
            if !self.known.contains(name) {
                return Err(QueryError::UnknownCapture {
                    file: self.file,
                    name: name.to_string(),
                });
            }
        }
        Ok(())
    }

    fn index(&self, name: &'static str) -> Result<u32, QueryError> {
        self.query
            .capture_index_for_name(name)
            .ok_or(QueryError::MissingCapture {
                file: self.file,
                name,
            })
    }
}

fn compile(file: &'static str, source: &str) -> Result<Query, QueryError> {
    Query::new(&language(), source).map_err(|error| QueryError::Syntax { file, error })
}

impl Queries {
    /// Compiles both embedded queries and resolves their captures. Each
    /// call compiles afresh; use [`Queries::get`] for the shared copy.
    ///
    /// # Errors
    ///
    /// A [`QueryError`] when a query does not compile, uses a capture name
    /// that is not known, or lacks one that is read.
    pub fn compile() -> Result<Queries, QueryError> {
        let query = compile("declarations.scm", DECLARATIONS_SOURCE)?;
        let c = Captures {
            file: "declarations.scm",
            query: &query,
            known: &[
                "declaration",
                "storage",
                "declarator",
                "typedef.type",
                "typedef.name",
                "struct.name",
                "struct.body",
                "alias.type",
                "alias.name",
                "array.type",
                "array.declarator",
            ],
        };
        c.check()?;
        let declarations = Declarations {
            declaration: c.index("declaration")?,
            declarator: c.index("declarator")?,
            typedef_type: c.index("typedef.type")?,
            typedef_name: c.index("typedef.name")?,
            struct_name: c.index("struct.name")?,
            struct_body: c.index("struct.body")?,
            alias_type: c.index("alias.type")?,
            alias_name: c.index("alias.name")?,
            array_type: c.index("array.type")?,
            array_declarator: c.index("array.declarator")?,
            query,
        };

        let query = compile("evidence.scm", EVIDENCE_SOURCE)?;
        let c = Captures {
            file: "evidence.scm",
            query: &query,
            known: &[
                "write",
                "write.target",
                "write.operator",
                "write.value",
                "update.target",
                "address",
                "address.target",
                "release",
                "release.function",
                "release.target",
                "macro.name",
                "macro.parameters",
                "macro.body",
            ],
        };
        c.check()?;
        let evidence = Evidence {
            write: c.index("write")?,
            write_target: c.index("write.target")?,
            write_operator: c.index("write.operator")?,
            write_value: c.index("write.value")?,
            update_target: c.index("update.target")?,
            address: c.index("address")?,
            address_target: c.index("address.target")?,
            release: c.index("release")?,
            release_function: c.index("release.function")?,
            release_target: c.index("release.target")?,
            macro_name: c.index("macro.name")?,
            macro_parameters: c.index("macro.parameters")?,
            macro_body: c.index("macro.body")?,
            query,
        };
        Ok(Queries {
            declarations,
            evidence,
        })
    }

    /// The process-wide compiled queries, compiled on first use.
    ///
    /// # Errors
    ///
    /// The [`QueryError`] of that first [`Queries::compile`], returned
    /// again to every caller.
    pub fn get() -> Result<&'static Queries, &'static QueryError> {
        static QUERIES: OnceLock<Result<Queries, QueryError>> = OnceLock::new();
        QUERIES.get_or_init(Queries::compile).as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_queries_compile_with_known_captures() {
        Queries::compile().unwrap();
    }

    #[test]
    fn unknown_capture_names_are_rejected() {
        let query = compile("x.scm", "(identifier) @mystery").unwrap();
        let c = Captures {
            file: "x.scm",
            query: &query,
            known: &["write"],
        };
        assert!(matches!(c.check(), Err(QueryError::UnknownCapture { .. })));
        assert!(matches!(
            c.index("write"),
            Err(QueryError::MissingCapture { .. })
        ));
    }
}
