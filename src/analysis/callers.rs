//! Who calls a function that only other translation units call: a
//! function with external linkage that no root of its own unit reaches
//! (`util.c`'s exported `get_json`) runs when another unit's code calls it,
//! and a single-phase init there makes its lazy fill once per process. The
//! scan links the walked tree's units by name, as the audit does
//! ([`crate::audit::link`]): each unit that names such a function says
//! here what reaches the place that names it, and the scan follows the
//! names up (an exported function of that unit in turn) until an init, a
//! run-time root, or no caller decides.

use crate::analysis::callgraph::{CallGraph, FunctionId, InitOnce, Readers};
use crate::diagnostic::Span;
use tree_sitter::Node;

/// What reaches a place where a unit names another unit's function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// A module init that may run once per process reaches it: the
    /// functions from the init to the one naming it (each with its file's
    /// display path), and why the init runs once per process.
    Init {
        /// The functions, each with the file defining it.
        path: Vec<(String, String)>,
        /// Why the init runs once per process, or why that is unknown.
        once: InitOnce,
    },
    /// Only a function of that unit that other units call reaches it: the
    /// functions from it to the one naming it.
    Outside {
        /// That function's name.
        entry: String,
        /// The functions, each with the file defining it.
        path: Vec<(String, String)>,
    },
    /// It is named outside any function, in an initialiser whose reader
    /// is not known (a table other units may read, or one handed to the C
    /// API): the file and 1-based line.
    Unplaced {
        /// The file's display path.
        file: String,
        /// The 1-based line.
        line: usize,
    },
    /// The unit that names it could not be read (its call graph
    /// overflowed, or it does not parse): what reaches it there is not
    /// known. Why, naming the unit's file.
    Unread {
        /// `testdata/q.c: not analysed: …`.
        why: String,
    },
    /// Only the unit's other roots (methods, slots, multi-phase inits,
    /// teardown), or none, reach it; or it is an entry of one of CPython's
    /// tables that the interpreter calls at run time (a method, a slot).
    RunTime,
}

/// For each place of the unit (its tree's `root`, over `bytes`, with its
/// call `graph`) that names a function of `names` it does not define
/// ([`CallGraph::uses_of`]): the name and what reaches the place.
/// `file_of` gives the display path of the file holding a span of the
/// unit's text, and `line_of` its 1-based line there. In source order.
pub fn callers<'n>(
    graph: &CallGraph,
    root: Node,
    bytes: &[u8],
    names: &'n [String],
    file_of: &dyn Fn(Span) -> String,
    line_of: &dyn Fn(Span) -> usize,
) -> Vec<(&'n str, Caller)> {
    let uses = graph.uses_of(root, bytes, names);
    if uses.is_empty() {
        return Vec::new();
    }
    let functions = graph.functions();
    let named = |path: &[FunctionId]| -> Vec<(String, String)> {
        path.iter()
            .map(|&f| {
                (
                    functions[f].name.clone(),
                    file_of(Span::of(functions[f].node)),
                )
            })
            .collect()
    };
    let inits: Vec<_> = graph
        .module_inits()
        .iter()
        .filter_map(|init| match init.once(graph) {
            InitOnce::PerInterpreter => None,
            once => Some((once, graph.reach([init.function]))),
        })
        .collect();
    let outside: Vec<_> = graph
        .outside_entries()
        .into_iter()
        .map(|f| (f, graph.reach([f])))
        .collect();
    let mut found = Vec::new();
    for (name, node) in uses {
        // Named in a function, or in a table that functions of the unit
        // read; a table of CPython's is read at run time.
        let places = match graph.function_at(node) {
            Some(function) => vec![function],
            None => match graph.initialiser_readers(node, bytes) {
                Readers::Functions(readers) => readers,
                Readers::RunTime => {
                    found.push((name, Caller::RunTime));
                    continue;
                }
                Readers::Unknown => {
                    found.push((
                        name,
                        Caller::Unplaced {
                            file: file_of(Span::of(node)),
                            line: line_of(Span::of(node)),
                        },
                    ));
                    continue;
                }
            },
        };
        let before = found.len();
        for function in places {
            for (once, reach) in &inits {
                if let Some(path) = reach.path(function) {
                    found.push((
                        name,
                        Caller::Init {
                            path: named(&path),
                            once: once.clone(),
                        },
                    ));
                }
            }
            for (entry, reach) in &outside {
                if let Some(path) = reach.path(function) {
                    found.push((
                        name,
                        Caller::Outside {
                            entry: functions[*entry].name.clone(),
                            path: named(&path),
                        },
                    ));
                }
            }
        }
        if found.len() == before {
            found.push((name, Caller::RunTime));
        }
    }
    found
}
