//! The tree-sitter queries in `queries/`, embedded in the binary, compiled
//! once, with every capture name mapped to an index up front. A query that
//! names a capture the Rust side does not know, or misses one it needs, is a
//! bug caught at start-up (and by a unit test), not a silent non-match.

use std::sync::OnceLock;

use tree_sitter::{Language, Node, Query, QueryMatch};

pub const DECLARATIONS_SOURCE: &str = include_str!("../../queries/declarations.scm");
pub const EVIDENCE_SOURCE: &str = include_str!("../../queries/evidence.scm");

/// The node captured as `index` in a match, if the match has one.
pub fn captured<'t>(m: &QueryMatch<'_, 't>, index: u32) -> Option<Node<'t>> {
    m.captures()
        .iter()
        .find(|c| c.index == index)
        .map(|c| c.node)
}

pub fn language() -> Language {
    tree_sitter_c::LANGUAGE.into()
}

/// Capture indexes of `declarations.scm`.
pub struct Declarations {
    pub query: Query,
    pub declaration: u32,
    pub declarator: u32,
    pub typedef_type: u32,
    pub typedef_name: u32,
    pub struct_name: u32,
    pub struct_body: u32,
}

/// Capture indexes of `evidence.scm`.
pub struct Evidence {
    pub query: Query,
    pub write: u32,
    pub write_target: u32,
    pub write_operator: u32,
    pub write_value: u32,
    pub update_target: u32,
    pub address: u32,
    pub address_target: u32,
    pub test_subject: u32,
    pub test_is_null: u32,
    pub test_not_null: u32,
    pub release: u32,
    pub release_function: u32,
    pub release_target: u32,
    pub macro_name: u32,
    pub macro_parameters: u32,
    pub macro_body: u32,
}

pub struct Queries {
    pub declarations: Declarations,
    pub evidence: Evidence,
}

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("queries/{file}: {error}")]
    Syntax {
        file: &'static str,
        error: tree_sitter::QueryError,
    },
    #[error("queries/{file}: capture @{name} is not known to oncevar")]
    UnknownCapture { file: &'static str, name: String },
    #[error("queries/{file}: capture @{name} is required but missing")]
    MissingCapture {
        file: &'static str,
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
                "test.subject",
                "test.is_null",
                "test.not_null",
                "zero",
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
            test_subject: c.index("test.subject")?,
            test_is_null: c.index("test.is_null")?,
            test_not_null: c.index("test.not_null")?,
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

    /// The process-wide compiled queries.
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
