//! OV505: a module init whose way of creating the module the unit does not
//! show.

use super::{Blocking, Blocks, Labels, Matcher, Rule, Subject};
use crate::analysis::audit::{Found, UnitFacts};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV505,
    name: "unresolved-module-init",
    summary: "Module init whose way of creating the module its unit does not show",
    severity: Severity::Warning,
    why: "Whether a module can be isolated starts with how it is created: \
single-phase (PyModule_Create in its PyInit_ function) or multi-phase \
(PyModuleDef_Init). When the init function calls code that is not in its \
translation unit (a helper in another file, a macro of a header that was not \
found), or when its definition did not parse, oncevar cannot tell, and an \
unknown is never taken for a yes.",
    example: r#"extern PyObject *create_module(void);   /* defined in another file */
PyMODINIT_FUNC PyInit_spam(void) {
    return create_module();
}"#,
    fix: r#"Not rewritten. Scan the files that define what the init calls together with it (name them on the command line, or give their folders with -I), or give a compilation database so that every header is found."#,
    message,
    help,
    matcher: Matcher::Module(find),
    // Not knowing how the module is created, oncevar does not know what
    // runs at init and what later: neither verdict can be a yes.
    blocks: Blocks {
        per_interpreter_gil: true,
        free_threading: Blocking::Yes,
    },
    contradicts: &[],
    labels: Labels {
        primary: |_| "module init defined here".to_owned(),
        guard: "",
        write: "",
        release: "",
    },
};

/// Every module init none of whose module-creating calls is compiled on
/// a CPython with an own GIL, and every init whose definition the parse
/// lost.
fn find<'t>(unit: &UnitFacts<'_, 't>) -> Vec<Found<'t>> {
    let graph = unit.graph;
    graph
        .module_inits()
        .iter()
        .filter(|init| {
            !init
                .creations
                .iter()
                .any(|c| unit.compiled_on_current_python(c.site.start_byte()))
        })
        .map(|init| {
            let function = graph.functions()[init.function].node;
            let name = graph
                .roots()
                .iter()
                .find(|r| r.function == init.function)
                .map_or(function, |r| r.site);
            Found {
                name: init.module.clone(),
                type_name: String::new(),
                detail: format!(
                    "`{}` reaches neither PyModule_Create nor PyModuleDef_Init in this \
                     translation unit",
                    graph.functions()[init.function].name
                ),
                name_node: name,
                statement: function,
                evidence: Vec::new(),
                entries: Vec::new(),
            }
        })
        .chain(unit.unparsed_inits().into_iter().map(|(name, node)| Found {
            name: name.trim_start_matches("PyInit_").to_owned(),
            type_name: String::new(),
            detail: format!("the definition of `{name}` did not parse"),
            name_node: node,
            statement: node,
            evidence: Vec::new(),
            entries: Vec::new(),
        }))
        .collect()
}

fn message(s: &Subject) -> String {
    format!(
        "how module `{}` is created is not known: {}",
        s.name, s.detail
    )
}

fn help(_: &Diagnostic) -> String {
    "scan what the init calls with it (more paths, -I, a compilation database) \
     (`oncevar rule OV505`)"
        .to_owned()
}
