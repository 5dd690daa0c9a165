//! OV502: a statically allocated type object (`static PyTypeObject X = {…}`).

use tree_sitter::Node;

use super::{PROCESS_WIDE, Labels, Matcher, Rule, Subject};
use crate::analysis::audit::{Found, UnitFacts};
use crate::analysis::callgraph::{file_scope_items, has_storage};
use crate::analysis::parse;
use crate::diagnostic::{ClaimKind, Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV502,
    name: "static-type",
    summary: "Statically allocated type object, shared by every interpreter",
    severity: Severity::Warning,
    why: "A PyTypeObject defined as a C variable is one object for the whole \
process: every interpreter that imports the module uses the same type, changes \
its reference count, its dict and its subclass list, and sees the attributes \
another interpreter set on it. With one GIL for all interpreters that is a \
leak of isolation; with a GIL per interpreter (PEP 684) those writes race. \
CPython's own static types get per-interpreter state from the core, which an \
extension cannot use; a heap type made per module (PyType_FromModuleAndSpec) \
is what an isolated module uses.",
    example: r#"static PyTypeObject Spam_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "spam.Spam",
    ...
};
static int spam_exec(PyObject *m) {
    if (PyType_Ready(&Spam_Type) < 0) return -1;
    return PyModule_AddType(m, &Spam_Type);
}"#,
    fix: r#"Not rewritten. Turn the type into a heap type created in the module's exec function and kept in the module state:

static PyType_Slot spam_slots[] = {{Py_tp_new, spam_new}, ..., {0, NULL}};
static PyType_Spec spam_spec = {"spam.Spam", sizeof(SpamObject), 0, Py_TPFLAGS_DEFAULT, spam_slots};
...
state->Spam_Type = PyType_FromModuleAndSpec(m, &spam_spec, NULL);

Code that compares with &Spam_Type then reads the type from the module state (PyType_GetModuleByDef gives the module from a method's defining class)."#,
    message,
    help,
    matcher: Matcher::Module(find),
    blocks: PROCESS_WIDE,
    contradicts: &[ClaimKind::PerInterpreterGil],
    labels: Labels {
        primary: |_| "type object defined here".to_owned(),
        guard: "",
        write: "used here",
        release: "",
    },
};

/// The type objects of the unit that code uses: file-scope variables of
/// type `PyTypeObject` (not pointers, not `extern` declarations), with
/// the calls that ready them or add them to a module as evidence. A
/// `static` one that no function names is dead code, not state.
fn find<'t>(unit: &UnitFacts<'_, 't>) -> Vec<Found<'t>> {
    let bytes = unit.bytes;
    let mut out = Vec::new();
    for declaration in file_scope_items(unit.root) {
        if declaration.kind() != "declaration" || has_storage(declaration, bytes, "extern") {
            continue;
        }
        let Some(base) = declaration.child_by_field_name("type") else {
            continue;
        };
        let base = crate::analysis::candidates::squash(base.utf8_text(bytes).unwrap_or(""));
        if base != "PyTypeObject" && base != "struct _typeobject" {
            continue;
        }
        let internal = has_storage(declaration, bytes, "static");
        let mut cursor = declaration.walk();
        for declarator in declaration.children_by_field_name("declarator", &mut cursor) {
            let Some(name) = type_object_name(declarator) else {
                continue;
            };
            let text = name.utf8_text(bytes).unwrap_or("").to_owned();
            let uses: Vec<Node<'t>> = unit
                .identifiers(&text)
                .into_iter()
                .filter(|n| *n != name && parse::enclosing_function(*n).is_some())
                .collect();
            if internal && uses.is_empty() {
                continue;
            }
            let evidence = uses
                .iter()
                .filter_map(|&n| readied_or_added(n, bytes))
                .collect::<Vec<_>>();
            // A tentative declaration (`static PyTypeObject X;`, to name
            // it before its body) and the definition are one variable,
            // reported at the definition.
            let defines = declarator.kind() == "init_declarator";
            if let Some(earlier) = out.iter().position(|f: &Found| f.name == text) {
                if !defines {
                    continue;
                }
                out.remove(earlier);
            }
            out.push(Found {
                name: text,
                type_name: base.clone(),
                detail: String::new(),
                name_node: name,
                statement: declaration,
                evidence: if evidence.is_empty() { uses.into_iter().take(1).collect() } else { evidence },
                entries: Vec::new(),
            });
        }
    }
    out
}

/// The name a declarator of a type object declares: `X`, `X = {…}`, or
/// an array `X[2]`; `None` for a pointer or a function.
fn type_object_name(declarator: Node) -> Option<Node> {
    let mut node = declarator;
    if node.kind() == "init_declarator" {
        node = node.child_by_field_name("declarator")?;
    }
    if node.kind() == "array_declarator" {
        node = node.child_by_field_name("declarator")?;
    }
    (node.kind() == "identifier").then_some(node)
}

/// The call that a use of a type object is an argument of, when it
/// readies the type or adds it to a module.
fn readied_or_added<'t>(name: Node<'t>, bytes: &[u8]) -> Option<Node<'t>> {
    let mut node = name;
    for _ in 0..4 {
        node = node.parent()?;
        if node.kind() == "call_expression" {
            let callee = node.child_by_field_name("function")?.utf8_text(bytes).ok()?;
            return (callee == "PyType_Ready"
                || callee.starts_with("PyModule_Add")
                || callee == "PyDict_SetItemString")
                .then_some(node);
        }
    }
    None
}

fn message(s: &Subject) -> String {
    format!(
        "type object `{}` is a static variable: every interpreter shares it, its reference \
         count and its dict",
        s.name
    )
}

fn help(_: &Diagnostic) -> String {
    "make it a heap type per module: `PyType_FromModuleAndSpec` in the exec function, kept in \
     the module state (`oncevar rule OV502`)"
        .to_owned()
}
