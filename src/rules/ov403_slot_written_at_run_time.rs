//! OV403: a per-interpreter slot (`Py_ONCEVAR`) assigned while the module
//! runs, outside a lock.

use super::{Blocking, Blocks, Labels, Matcher, Rule, Subject};
use crate::analysis::audit::{Found, UnitFacts};
use crate::analysis::state::When;
use crate::diagnostic::{ClaimKind, Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV403,
    name: "slot-written-at-run-time",
    summary: "Per-interpreter slot assigned while the module runs, outside a lock",
    severity: Severity::Warning,
    why: "A per-interpreter slot (Py_ONCEVAR, what `oncevar check --fix` makes of \
a lazy cache) is no longer shared by interpreters, but one interpreter's \
threads still share it. Filling it with `Py_ONCEVAR(v) = make();` under a \
NULL test is fine while the GIL serialises threads; without the GIL two \
threads can both see NULL and both store (one reference leaks, and a reader \
can see the pointer before the object is complete). The runtime publishes a \
first value with Py_ONCEVAR_SET (a compare-and-swap) for that case.",
    example: r#"Py_ONCEVAR_DECLARE(PyObject *, pattern);
...
if (Py_ONCEVAR(pattern) == NULL) {
    Py_ONCEVAR(pattern) = PyUnicode_FromString("[a-z]+");
}"#,
    fix: r#"Not rewritten in place. Publish the first value instead (`oncevar audit --fix` writes this for the lazy caches it fixes):

if (Py_ONCEVAR_GET(pattern) == NULL) {
    if (Py_ONCEVAR_SET(pattern, PyUnicode_FromString("[a-z]+")) == NULL) {
        return NULL;
    }
}"#,
    message,
    help,
    matcher: Matcher::Module(find),
    blocks: Blocks {
        per_interpreter_gil: false,
        free_threading: Blocking::Yes,
    },
    contradicts: &[ClaimKind::GilNotUsed],
    labels: Labels {
        primary: |_| "per-interpreter slot declared here".to_owned(),
        guard: "",
        write: "assigned while the module runs",
        release: "",
    },
};

/// Every slot that code running after the module's init assigns outside a
/// lock.
fn find<'t>(unit: &UnitFacts<'_, 't>) -> Vec<Found<'t>> {
    unit.slots
        .iter()
        .filter_map(|slot| {
            let writes: Vec<_> = slot
                .writes
                .iter()
                .filter(|w| matches!(w.when, When::RunTime | When::Exported) && !w.synchronised)
                .collect();
            let racing: Vec<_> = writes.iter().map(|w| w.node).collect();
            // Reached only through exported functions: see OV402.
            let mut entries: Vec<String> = Vec::new();
            if writes.iter().all(|w| w.when == When::Exported) {
                entries = writes
                    .iter()
                    .filter_map(|w| w.function)
                    .flat_map(|f| unit.life.entries(f))
                    .collect();
                entries.sort();
                entries.dedup();
            }
            (!racing.is_empty()).then(|| Found {
                name: slot.name.clone(),
                type_name: String::new(),
                detail: String::new(),
                name_node: slot.declaration,
                statement: slot.declaration.parent().unwrap_or(slot.declaration),
                evidence: racing,
                entries,
            })
        })
        .collect()
}

fn message(s: &Subject) -> String {
    format!(
        "per-interpreter slot `{}` is assigned while the module runs, outside a lock: without \
         the GIL two threads can both fill it",
        s.name
    )
}

fn help(d: &Diagnostic) -> String {
    format!(
        "publish the first value with `Py_ONCEVAR_SET({}, value)` (`oncevar rule OV403`)",
        d.variable
    )
}
