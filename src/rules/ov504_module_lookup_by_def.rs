//! OV504: `PyState_FindModule` / `PyState_AddModule`: finding the module by
//! its definition.

use super::{PROCESS_WIDE, Labels, Matcher, Rule, Subject, ISOLATION};
use crate::analysis::audit::{Found, UnitFacts};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// The calls that find or register a module by its definition.
const LOOKUPS: &[&str] = &[
    "PyState_FindModule",
    "PyState_AddModule",
    "PyState_RemoveModule",
];

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV504,
    name: "module-lookup-by-def",
    summary: "Module found by its definition (PyState_FindModule, PyState_AddModule)",
    severity: Severity::Warning,
    why: "PyState_FindModule finds the one module object that the current \
interpreter created from a definition; it only works for single-phase init. \
A definition with slots (multi-phase init, the kind an isolated module needs) \
is refused by PyState_AddModule, and PyState_FindModule returns NULL for it, \
so code that relies on it either keeps the module single-phase or fails once \
the module is converted. A module can be imported more than once in one \
interpreter, too, so 'the' module of a definition is not always the caller's.",
    example: r#"static PyObject *spam_error(void) {
    PyObject *m = PyState_FindModule(&spam_module);
    return get_state(m)->error;
}"#,
    fix: r#"Not rewritten. Reach the module from what CPython passes: the `self` of a module-level function is the module; a method of a heap type finds it with PyType_GetModuleByDef(Py_TYPE(self), &spam_module) (3.11+), or through its defining class (METH_METHOD)."#,
    message,
    help,
    matcher: Matcher::Module(find),
    blocks: PROCESS_WIDE,
    contradicts: ISOLATION,
    labels: Labels {
        primary: |d| format!("`{}` called here", d.variable),
        guard: "",
        write: "",
        release: "",
    },
};

/// Every call of a lookup, and every macro body that spells one (the
/// macro's uses then make the call).
fn find<'t>(unit: &UnitFacts<'_, 't>) -> Vec<Found<'t>> {
    let mut out = Vec::new();
    for &api in LOOKUPS {
        for name in unit.identifiers(api) {
            let Some(call) = name
                .parent()
                .filter(|p| p.kind() == "call_expression")
                .filter(|p| p.child_by_field_name("function") == Some(name))
            else {
                continue;
            };
            out.push(Found {
                name: api.to_owned(),
                type_name: String::new(),
                detail: String::new(),
                name_node: name,
                statement: call,
                evidence: Vec::new(),
                entries: Vec::new(),
            });
        }
        for body in unit.macro_bodies_naming(api) {
            out.push(Found {
                name: api.to_owned(),
                type_name: String::new(),
                detail: String::new(),
                name_node: body,
                statement: body.parent().unwrap_or(body),
                evidence: Vec::new(),
                entries: Vec::new(),
            });
        }
    }
    out
}

fn message(s: &Subject) -> String {
    format!(
        "`{}` finds the module by its definition, which only single-phase init supports: a \
         multi-phase module gets NULL",
        s.name
    )
}

fn help(_: &Diagnostic) -> String {
    "reach the module from the function's `self`, or with `PyType_GetModuleByDef` \
     (`oncevar rule OV504`)"
        .to_owned()
}
