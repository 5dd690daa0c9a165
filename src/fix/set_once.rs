//! When the fix of a static set once (OV301) is proven: the audit rewrites
//! such a static into the same per-interpreter slot as a lazy cache
//! (`Py_ONCEVAR_DECLARE`), so that each interpreter's exec slot fills its
//! own and a module's `m_clear`/`m_free` empties only its interpreter's.
//! That keeps the module's behaviour only when, from the unit's call graph
//! ([`CallGraph`], [`Life`]):
//!
//! * every write that stores a value runs in code that the module's exec
//!   (or create) slot reaches and nothing at run time reaches: each
//!   interpreter that imports the module sets its own slot;
//! * every read runs after that write in the same interpreter: at run time
//!   (methods, getters, type slots, the unit's tables), at teardown, or in
//!   the writing function after the write;
//! * a write at teardown stores NULL, and a release (`Py_CLEAR`) runs in
//!   code some entry point of the unit reaches.
//!
//! Anything else is unsafe, with the reason: a single-phase module (OV501:
//! a later interpreter gets a copy of the first one's module dict and
//! never runs the init), a write at run time, a read the unit cannot place
//! (a function other translation units call, or none reaches), a write
//! under a process-wide flag.

use tree_sitter::Node;

use crate::analysis::callgraph::{CallGraph, FunctionId, InitOnce, Reach, RootKind};
use crate::analysis::classify::Verdict;
use crate::analysis::parse;
use crate::analysis::state::{self, Life, When};
use crate::diagnostic::{Reason, ReasonKind, Span};
use crate::fix::rewrite::OnceInits;
use crate::scan::source::Source;

/// What the unit's call graph says about its module's phases: what the
/// exec and create slots reach, and when each function runs.
pub(crate) struct ExecPhase {
    exec: Reach,
    life: Life,
}

impl ExecPhase {
    /// The phases of `graph`'s functions.
    pub(crate) fn of(graph: &CallGraph) -> ExecPhase {
        let starts: Vec<FunctionId> = graph
            .roots()
            .iter()
            .filter(|r| matches!(r.kind, RootKind::ModuleExec | RootKind::ModuleCreate))
            .map(|r| r.function)
            .collect();
        ExecPhase {
            exec: graph.reach(starts),
            life: Life::of(graph),
        }
    }
}

/// Why the per-interpreter fix of `name`, a static set once (`verdict`,
/// with its identifiers `references`), cannot be justified: one reason per
/// kind of fault (the first of each, located), none when every write,
/// read and release is placed as the module docs above require.
pub(crate) fn set_once_reasons(
    graph: &CallGraph,
    phase: &ExecPhase,
    once_inits: &OnceInits,
    source: &Source,
    verdict: &Verdict,
    references: &[Node],
    name: &str,
) -> Vec<Reason> {
    let bytes = &source.bytes;
    let at = |node: Node, message: String, kind: ReasonKind| {
        Reason::new(kind, message).at(&source.display_path, source.location(Span::of(node)))
    };
    let line = |node: Node| source.file_line(node.start_byte());
    let mut reasons: Vec<Reason> = Vec::new();
    if let Some(&flag) = verdict.guards.first() {
        reasons.push(at(
            flag,
            format!(
                "`{name}` is set under the test `{}` on line {}, which stays process-wide: a \
                 later interpreter that finds it passed would leave its own slot empty",
                source.text(Span::of(flag)),
                line(flag)
            ),
            ReasonKind::InitPhase,
        ));
    }
    // A single-phase init runs once per process: nothing later fills the
    // slots of another interpreter.
    for &write in &verdict.assignments {
        if let Some(path) = once_inits.single_phase_path(graph, write) {
            let (init, how) = path;
            reasons.push(at(
                write,
                format!(
                    "`{name}` is set in the single-phase init `{init}` ({how}; OV501), which \
                     runs once per process: a later interpreter gets a copy of the first one's \
                     module dict and never sets its own slot; move the module to multi-phase \
                     init (Py_mod_exec) first"
                ),
                ReasonKind::InitPhase,
            ));
            return reasons;
        }
    }
    let function_name = |f: FunctionId| graph.functions()[f].name.as_str();
    let mut write_reason: Option<Reason> = None;
    let mut read_reason: Option<Reason> = None;
    for &reference in references {
        let Some(function) = graph.function_at(reference) else {
            read_reason.get_or_insert_with(|| {
                at(
                    reference,
                    format!(
                        "`{name}` is used outside any function on line {}, where no \
                         interpreter's slot can be reached",
                        line(reference)
                    ),
                    ReasonKind::InitPhase,
                )
            });
            continue;
        };
        let f = function_name(function);
        let when = phase.life.when(function);
        let in_exec = phase.exec.contains(function);
        let placed = match when {
            When::Exported => Some(format!(
                "which other translation units call (through {}), at a time this unit does not \
                 show",
                phase
                    .life
                    .entries(function)
                    .iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            When::Unreached => Some("which no entry point of the unit reaches".to_owned()),
            _ => None,
        };
        // A write the classifier found (also through a macro of the unit,
        // `SET(v, f())`), or one by its shape.
        let contains = |n: &Node| {
            n.start_byte() <= reference.start_byte() && reference.end_byte() <= n.end_byte()
        };
        let write = verdict
            .assignments
            .iter()
            .copied()
            .find(contains)
            .or_else(|| {
                state::write_of(reference, false, bytes, &state::MacroWrites::default())
                    .map(|(w, _)| w)
            });
        if let Some(written) = write {
            let null = written.kind() == "assignment_expression"
                && written
                    .child_by_field_name("right")
                    .is_some_and(|v| parse::is_null_constant(v, bytes));
            let why = if let Some(placed) = placed {
                Some(placed)
            } else if (in_exec && when == When::Init) || (when == When::Teardown && null) {
                None
            } else if when == When::Teardown {
                Some("which runs at teardown, with a value other than NULL".to_owned())
            } else if when == When::RunTime {
                Some(
                    "which runs while the module runs (a method, a type slot or a table \
                     reaches it), not only in its exec slot"
                        .to_owned(),
                )
            } else {
                Some("which the module's exec and create slots do not reach".to_owned())
            };
            if let Some(why) = why {
                write_reason.get_or_insert_with(|| {
                    at(
                        written,
                        format!(
                            "`{name}` is written in `{f}` on line {}, {why}",
                            line(written)
                        ),
                        ReasonKind::InitPhase,
                    )
                });
            }
            continue;
        }
        let released = verdict.releases.iter().any(contains);
        let why = if let Some(placed) = placed {
            Some(placed)
        } else if released {
            None
        } else if in_exec {
            // In init code only after a write in the same function: a
            // helper that exec calls first would read another slot.
            let written_before = verdict.assignments.iter().any(|&w| {
                graph.function_at(w) == Some(function) && w.end_byte() <= reference.start_byte()
            });
            (!written_before).then(|| {
                "during the module's init, before any write of it in that function: nothing \
                 proves that exec has set this interpreter's slot by then"
                    .to_owned()
            })
        } else if matches!(when, When::RunTime | When::Teardown) {
            None
        } else {
            Some("which the module's exec slot does not reach, nor any run-time entry".to_owned())
        };
        if let Some(why) = why {
            read_reason.get_or_insert_with(|| {
                at(
                    reference,
                    format!(
                        "`{name}` is read in `{f}` on line {}, {why}",
                        line(reference)
                    ),
                    ReasonKind::InitPhase,
                )
            });
        }
    }
    reasons.extend(write_reason);
    reasons.extend(read_reason);
    reasons
}

impl OnceInits {
    /// The module init that runs once per process (single-phase, or not
    /// known to be multi-phase) and reaches `write`, with how that is
    /// known.
    pub(crate) fn single_phase_path(
        &self,
        graph: &CallGraph,
        write: Node,
    ) -> Option<(String, String)> {
        let function = graph.function_at(write)?;
        self.inits.iter().find_map(|(init, once, reach)| {
            reach.path(function)?;
            let how = match once {
                InitOnce::OncePerProcess(how) => how.clone(),
                InitOnce::Unknown(why) => {
                    format!("whether it runs once per process is unknown: {why}")
                }
                InitOnce::PerInterpreter => return None,
            };
            Some((graph.functions()[*init].name.clone(), how))
        })
    }
}
