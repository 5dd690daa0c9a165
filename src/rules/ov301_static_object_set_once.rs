//! OV301: a static object pointer set once, outside a NULL guard.

use super::{PROCESS_WIDE, Labels, SITE_LABELS, Matcher, Rule, SiteFacts, Subject, ISOLATION};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV301,
    name: "static-object-set-once",
    summary: "Static Python object pointer set once outside a NULL guard",
    severity: Severity::Info,
    why: "The static is assigned unconditionally, typically in a module's init \
function or under a separate `initialized` flag. A second interpreter that \
imports the module overwrites it (leaking the first value) or, behind a flag, \
silently reuses the first interpreter's object.",
    example: r#"static PyObject *ErrorObject;
PyMODINIT_FUNC PyInit_spam(void) {
    ...
    ErrorObject = PyErr_NewException("spam.error", NULL, NULL);
}"#,
    fix: r#"`oncevar check` reports it for information. `oncevar audit --fix` rewrites it into a per-interpreter slot (Py_ONCEVAR_DECLARE, every use Py_ONCEVAR(name)) that each interpreter's exec slot fills and m_clear/m_free empties, when the unit's call graph proves it: every write is in code only the module's Py_mod_exec (or Py_mod_create) reaches, every read at run time, at teardown or after the write in the writing function. In a single-phase module the fix is unsafe: move to multi-phase init first. Module state (PyModule_GetState) is the recommended home beyond that."#,
    message,
    help,
    matcher: Matcher::Site(matches),
    blocks: PROCESS_WIDE,
    contradicts: ISOLATION,
    labels: Labels {
        guard: "set-once flag",
        ..SITE_LABELS
    },
};

/// A set-once site that holds an object (set-once memory is not reported).
fn matches(site: &SiteFacts) -> bool {
    !site.lazy && site.object
}

fn message(s: &Subject) -> String {
    format!(
        "static `{}` `{}` is set once outside a NULL guard: every interpreter shares it",
        s.type_name, s.name
    )
}

fn help(_: &Diagnostic) -> String {
    "move it into module state (`oncevar rule OV301`)".to_owned()
}
