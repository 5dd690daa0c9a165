//! OV501: a module initialised in a single phase (`PyModule_Create`).

use super::{PROCESS_WIDE, Labels, Matcher, Rule, Subject};
use crate::analysis::audit::{Found, UnitFacts};
use crate::analysis::callgraph::{Creation, InitPhase};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV501,
    name: "single-phase-init",
    summary: "Module initialised in a single phase (PyModule_Create)",
    severity: Severity::Warning,
    why: "A single-phase module builds itself in its PyInit_ function, once: \
CPython keeps a copy of its dict and gives every later interpreter a copy of \
the first one's (or, with m_size >= 0, runs the init again without telling it \
which interpreter it serves). Since 3.12 an interpreter with its own GIL \
refuses to import such a module (ImportError: module ... does not support \
loading in subinterpreters), and whatever the init stored in statics is shared \
by every interpreter. Multi-phase init (PEP 489) is what makes a module \
isolatable: each interpreter gets its own module object, built by the exec \
slot.",
    example: r#"static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT, "spam", NULL, -1, spam_methods,
};
PyMODINIT_FUNC PyInit_spam(void) {
    PyObject *m = PyModule_Create(&spam_module);
    ...
    return m;
}"#,
    fix: r#"Not rewritten. Move the body of PyInit_ into an exec function, list it in the definition's slots, and return the definition:

static int spam_exec(PyObject *m) { ... return 0; }
static PyModuleDef_Slot spam_slots[] = {
    {Py_mod_exec, spam_exec},
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {0, NULL},
};
/* m_size 0 (or the size of a module state), m_slots = spam_slots */
PyMODINIT_FUNC PyInit_spam(void) { return PyModuleDef_Init(&spam_module); }

Then `oncevar audit` lists what the exec function sets in statics (OV301), which `--fix` makes per-interpreter."#,
    message,
    help,
    matcher: Matcher::Module(find),
    blocks: PROCESS_WIDE,
    contradicts: &[],
    labels: Labels {
        primary: |d| format!("`{}` creates the module here", d.type_name),
        guard: "",
        write: "",
        release: "",
    },
};

/// Every single-phase creation that a module init reaches, or a function
/// with external linkage (the init of another unit may call it), each
/// once, named by its module: the init's, else the definition's `m_name`,
/// else the function that creates it.
fn find<'t>(unit: &UnitFacts<'_, 't>) -> Vec<Found<'t>> {
    let graph = unit.graph;
    let mut out: Vec<Found<'t>> = Vec::new();
    let mut add = |module: String, creation: &Creation<'t>| {
        if creation.phase != InitPhase::Single
            || out.iter().any(|f| f.name_node == creation.site)
        {
            return;
        }
        let call = creation
            .site
            .parent()
            .filter(|p| p.kind() == "call_expression")
            .unwrap_or(creation.site);
        out.push(Found {
            name: module,
            type_name: creation.api.to_owned(),
            detail: creation.api.to_owned(),
            name_node: creation.site,
            statement: call,
            evidence: Vec::new(),
                entries: Vec::new(),
        });
    };
    for init in graph.module_inits() {
        for creation in &init.creations {
            add(init.module.clone(), creation);
        }
    }
    for (function, creation) in unit.exported_creations() {
        let module = creation
            .def
            .and_then(|d| graph.module_defs()[d].module_name.as_deref())
            .map(|n| n.trim_matches('"').to_owned())
            .unwrap_or_else(|| graph.functions()[function].name.clone());
        add(module, &creation);
    }
    out
}

fn message(s: &Subject) -> String {
    format!(
        "module `{}` is initialised in a single phase (`{}`): an interpreter with its own GIL \
         refuses to import it, and every interpreter shares what its init stores",
        s.name, s.detail
    )
}

fn help(_: &Diagnostic) -> String {
    "use multi-phase init: an exec slot and `PyModuleDef_Init` (`oncevar rule OV501`)".to_owned()
}
