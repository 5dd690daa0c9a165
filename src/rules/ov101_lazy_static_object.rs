//! OV101: a static object pointer filled lazily and never released.

use super::{Blocking, Blocks, SITE_LABELS, Matcher, Rule, SiteFacts, Subject, ISOLATION};
use crate::diagnostic::{Code, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV101,
    name: "lazy-static-object",
    summary: "Lazily initialised static Python object pointer, never released",
    severity: Severity::Warning,
    why: "The object is created the first time the code runs and kept in a \
process-wide static. Nothing releases it: it is still referenced when the \
interpreter finalises, so it leaks at Py_FinalizeEx(), hides from leak hunters, \
and survives into the next Py_Initialize() with stale state. Every \
sub-interpreter also sees the object created by whichever interpreter ran \
first, which breaks interpreter isolation (PEP 684).",
    example: r#"static PyObject *reconstructor = NULL;
if (reconstructor == NULL) {
    reconstructor = load_reconstructor();
    if (reconstructor == NULL) {
        return NULL;
    }
}"#,
    fix: r#"`oncevar check --fix` turns the static into a registered, per-interpreter key whose slot is released when the interpreter finalises:

Py_ONCEVAR_DECLARE(PyObject *, reconstructor);
if (Py_ONCEVAR(reconstructor) == NULL) {
    Py_ONCEVAR(reconstructor) = load_reconstructor();
    ...

Py_ONCEVAR(name) is an lvalue for this interpreter's slot, so reads, writes, `&`, Py_CLEAR() and Py_XDECREF() keep their meaning. The rewritten file includes oncevar.h (`oncevar runtime --write DIR`)."#,
    message,
    help: super::help_declare,
    matcher: Matcher::Site(matches),
    blocks: Blocks {
        per_interpreter_gil: true,
        free_threading: Blocking::Unsynchronised,
    },
    contradicts: ISOLATION,
    labels: SITE_LABELS,
};

/// A lazy object site with no release, in code that keeps the GIL.
fn matches(site: &SiteFacts) -> bool {
    site.lazy && site.object && !site.released && !site.unsynchronised
}

fn message(s: &Subject) -> String {
    format!(
        "static `{}` `{}` is initialised lazily and never released: it leaks at finalisation \
         and is shared by every interpreter",
        s.type_name, s.name
    )
}
