//! OV102: a static object pointer filled lazily and released somewhere,
//! but still one slot for every interpreter.

use super::{Blocking, Blocks, SITE_LABELS, Matcher, Rule, SiteFacts, Subject, ISOLATION};
use crate::diagnostic::{Code, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV102,
    name: "lazy-static-object-released",
    summary: "Lazily initialised static Python object pointer, released but shared by every interpreter",
    severity: Severity::Warning,
    why: "The object is released somewhere (for example Py_CLEAR in a module's \
m_free function), so it does not leak at exit, but the static is still one \
process-wide slot: every sub-interpreter shares the object that the first \
interpreter created, and one interpreter's clear pulls it from under the others.",
    example: r#"static PyObject *cache = NULL;
static PyObject *get_cache(void) {
    if (cache == NULL) { cache = PyDict_New(); }
    return cache;
}
static void module_free(void *m) { Py_CLEAR(cache); }"#,
    fix: r#"Rewritten like OV101: each interpreter gets its own slot. The existing Py_CLEAR(Py_ONCEVAR(cache)) keeps working; the runtime also clears the slot when the interpreter finalises."#,
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

/// A lazy object site that is released, in code that keeps the GIL.
fn matches(site: &SiteFacts) -> bool {
    site.lazy && site.object && site.released && !site.unsynchronised
}

fn message(s: &Subject) -> String {
    format!(
        "static `{}` `{}` is initialised lazily: it is released, but shared by every interpreter",
        s.type_name, s.name
    )
}
