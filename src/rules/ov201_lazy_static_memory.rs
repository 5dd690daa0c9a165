//! OV201: a static pointer to memory that is not a Python object, filled
//! lazily.

use super::{Blocking, Blocks, SITE_LABELS, Matcher, Rule, SiteFacts, Subject, ISOLATION};
use crate::diagnostic::{Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV201,
    name: "lazy-static-memory",
    summary: "Lazily initialised static pointer to non-object memory",
    severity: Severity::Warning,
    why: "A buffer, table or struct allocated on first use and kept in a static \
is never freed at finalisation and is shared by every interpreter. It is not a \
Python object, so the rewrite needs to know how to free it. A static that \
only ever stores memory it does not own (a pointer into its caller's data, \
an address, a string literal, a standard stream, what `getenv` or \
`PyCapsule_Import` returns) has nothing to free and is not reported.",
    example: r#"static char *buffer = NULL;
if (buffer == NULL) {
    buffer = PyMem_Malloc(256);
}"#,
    fix: r#"Reported only. Rewriting needs a free function for the memory (Py_ONCEVAR_DECLARE_RAW(char *, buffer, PyMem_Free)); until one is configured, move the memory into module state or free it in the module's m_free."#,
    message,
    help,
    matcher: Matcher::Site(matches),
    blocks: Blocks {
        per_interpreter_gil: true,
        free_threading: Blocking::Unsynchronised,
    },
    contradicts: ISOLATION,
    labels: SITE_LABELS,
};

/// A lazy site that holds no Python object, in code that keeps the GIL.
fn matches(site: &SiteFacts) -> bool {
    site.lazy && !site.object && !site.unsynchronised
}

fn message(s: &Subject) -> String {
    format!(
        "static `{}` `{}` caches process-wide memory, initialised lazily",
        s.type_name, s.name
    )
}

fn help(_: &Diagnostic) -> String {
    "free it at finalisation, or move it into module state (`oncevar rule OV201`)".to_owned()
}
