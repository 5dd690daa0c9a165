//! OV402: state with static storage written while the module runs, outside
//! a lock.

use super::{Blocking, Blocks, Labels, Matcher, Rule, Subject};
use crate::analysis::audit::{Found, UnitFacts};
use crate::analysis::callgraph::has_storage;
use crate::analysis::candidates::Candidate;
use crate::analysis::state::{When, WriteKind};
use crate::diagnostic::{ClaimKind, Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV402,
    name: "static-written-at-run-time",
    summary: "Static state written while the module runs, outside a lock",
    severity: Severity::Warning,
    why: "A variable with static storage (a counter, a flag, a buffer, a \
pointer) is one for the whole process. Code that a method, a type slot or \
another unit calls writes it while other threads may read or write it: with \
the GIL that is serialised, but a free-threaded build (Py_MOD_GIL_NOT_USED) \
runs those threads at once, and interpreters with their own GIL (PEP 684) run \
at once too. The write is then a data race: a lost update, a torn value, a \
buffer two callers fill together. Writes while the module initialises (its \
exec function and what it calls) or is torn down are not counted; the import \
lock orders them.",
    example: r#"static long ncalls;
static char last_error[128];
static PyObject *spam_call(PyObject *self, PyObject *arg) {
    ncalls++;
    snprintf(last_error, sizeof last_error, "...");
    ...
}"#,
    fix: r#"Not rewritten. Keep per-module state in the module state (PyModule_GetState), per-call state on the stack, and state that must be process-wide under a PyMutex (or an atomic: _Py_atomic_add_ssize, C11 atomics)."#,
    message,
    help,
    matcher: Matcher::Module(find),
    blocks: Blocks {
        per_interpreter_gil: true,
        free_threading: Blocking::Yes,
    },
    contradicts: &[
        ClaimKind::PerInterpreterGil,
        ClaimKind::MultipleInterpreters,
        ClaimKind::GilNotUsed,
    ],
    labels: Labels {
        primary: |d| format!("`{}` with static storage declared here", d.type_name),
        guard: "",
        write: "written while the module runs",
        release: "",
    },
};

/// Every variable with static storage (not a site of the lazy or
/// set-once rules, which report those) that code running after the
/// module's init writes outside a lock.
fn find<'t>(unit: &UnitFacts<'_, 't>) -> Vec<Found<'t>> {
    let mut out = Vec::new();
    for state in unit.statics {
        if state
            .candidates
            .iter()
            .any(|c| unit.sites.contains(&c.name_node.start_byte()))
        {
            continue;
        }
        let racing: Vec<_> = state
            .writes
            .iter()
            .filter(|w| matches!(w.when, When::RunTime | When::Exported) && !w.synchronised)
            .collect();
        if racing.is_empty() {
            continue;
        }
        // Reached only through exported functions: the finding holds
        // unless the units that call them do so only while a module
        // initialises.
        let entries = if racing.iter().all(|w| w.when == When::Exported) {
            let mut names: Vec<String> = racing
                .iter()
                .filter_map(|w| w.function)
                .flat_map(|f| unit.life.entries(f))
                .collect();
            names.sort();
            names.dedup();
            names
        } else {
            Vec::new()
        };
        // Reported at the definition: the declaration with an initialiser,
        // else the first that is no `extern` declaration.
        let extern_ = |c: &&Candidate| has_storage(c.declaration, unit.bytes, "extern");
        let at = state
            .candidates
            .iter()
            .find(|c| c.declarator.kind() == "init_declarator")
            .or_else(|| state.candidates.iter().find(|c| !extern_(c)))
            .unwrap_or(&state.candidates[0]);
        let how = racing.iter().find_map(|w| match &w.kind {
            WriteKind::Address(callee) | WriteKind::Buffer(callee) => {
                Some(format!(", given to `{callee}`"))
            }
            WriteKind::Escapes => Some(", its address kept".to_owned()),
            WriteKind::Macro(callee) => Some(format!(", through `{callee}`")),
            _ => None,
        });
        out.push(Found {
            name: at.name.clone(),
            type_name: at.type_name.clone(),
            detail: how.unwrap_or_default(),
            name_node: at.name_node,
            statement: at.declaration,
            evidence: racing.iter().map(|w| w.node).collect(),
            entries,
        });
    }
    out
}

fn message(s: &Subject) -> String {
    format!(
        "`{}` `{}` has static storage and is written while the module runs, outside a lock{}: \
         without the GIL, or with a GIL per interpreter, those writes race",
        s.type_name, s.name, s.detail
    )
}

fn help(_: &Diagnostic) -> String {
    "keep it in the module state, or take a `PyMutex` around its writes and reads \
     (`oncevar rule OV402`)"
        .to_owned()
}
