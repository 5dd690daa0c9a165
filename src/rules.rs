//! Rules are data: a code, a name, a one-line summary and a short document
//! (what it finds, why it matters, an example, how it is fixed). `oncevar
//! rule CODE` prints it; SARIF reuses the same text.

use crate::diagnostic::Code;

/// One rule's documentation, as `oncevar rule CODE` prints it and SARIF's
/// rule descriptors carry it (ruff's rule docs: what it does, why it is
/// bad, example, fix).
pub struct Rule {
    /// The code it reports.
    pub code: Code,
    /// A stable kebab-case name, accepted wherever a code is.
    pub name: &'static str,
    /// One line, no final full stop (SARIF's `shortDescription`).
    pub summary: &'static str,
    /// Why such a site is a problem: one prose paragraph on one line,
    /// wrapped when printed (SARIF's `fullDescription`).
    pub why: &'static str,
    /// C code showing a site, printed as written.
    pub example: &'static str,
    /// How oncevar rewrites it, and how to by hand: prose paragraphs (one
    /// line each, wrapped when printed) and code (kept as written).
    pub fix: &'static str,
}

/// Every rule, one per [`Code`], in code order.
pub const RULES: &[Rule] = &[
    Rule {
        code: Code::OV101,
        name: "lazy-static-object",
        summary: "Lazily initialised static Python object pointer, never released",
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
    },
    Rule {
        code: Code::OV102,
        name: "lazy-static-object-released",
        summary: "Lazily initialised static Python object pointer, released but shared by every interpreter",
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
    },
    Rule {
        code: Code::OV201,
        name: "lazy-static-memory",
        summary: "Lazily initialised static pointer to non-object memory",
        why: "A buffer, table or struct allocated on first use and kept in a static \
is never freed at finalisation and is shared by every interpreter. It is not a \
Python object, so the rewrite needs to know how to free it.",
        example: r#"static char *buffer = NULL;
if (buffer == NULL) {
    buffer = PyMem_Malloc(256);
}"#,
        fix: r#"Reported only. Rewriting needs a free function for the memory (Py_ONCEVAR_DECLARE_RAW(char *, buffer, PyMem_Free)); until one is configured, move the memory into module state or free it in the module's m_free."#,
    },
    Rule {
        code: Code::OV301,
        name: "static-object-set-once",
        summary: "Static Python object pointer set once outside a NULL guard",
        why: "The static is assigned unconditionally, typically in a module's init \
function or under a separate `initialized` flag. A second interpreter that \
imports the module overwrites it (leaking the first value) or, behind a flag, \
silently reuses the first interpreter's object.",
        example: r#"static PyObject *ErrorObject;
PyMODINIT_FUNC PyInit_spam(void) {
    ...
    ErrorObject = PyErr_NewException("spam.error", NULL, NULL);
}"#,
        fix: r#"Reported for information. Move the object into module state (PyModule_GetState) or a heap type; oncevar does not rewrite this pattern because the right home depends on how the module is initialised."#,
    },
    Rule {
        code: Code::OV401,
        name: "lazy-init-without-gil",
        summary: "Lazy initialisation without synchronisation in a module that runs without the GIL",
        why: "The module claims Py_MOD_GIL_NOT_USED (a {Py_mod_gil, ...} slot or \
PyUnstable_Module_SetGIL), so on a free-threaded build its code runs in several \
threads at once. `if (v == NULL) v = make();` is then a data race: two threads \
can both see NULL and both create the object (one reference leaks, or worse, one \
thread keeps using an object the other replaced), and a reader can see the \
pointer before the object's fields. A guard and write inside a PyMutex \
lock/unlock pair, a Py_BEGIN_CRITICAL_SECTION block, a PyThread_acquire_lock \
region or a pthread_once/call_once callback are not reported. The site is also \
shared by every interpreter, as OV101 explains.",
        example: r#"static PyObject *cache = NULL;   /* module: {Py_mod_gil, Py_MOD_GIL_NOT_USED} */
if (cache == NULL) {
    cache = PyDict_New();
    if (cache == NULL) {
        return NULL;
    }
}"#,
        fix: r#"`oncevar check --fix` makes the static per-interpreter and publishes the first value with a compare-and-swap; a losing value is released:

Py_ONCEVAR_DECLARE(PyObject *, cache);
if (Py_ONCEVAR_GET(cache) == NULL) {
    if (Py_ONCEVAR_SET(cache, PyDict_New()) == NULL) {
        return NULL;
    }
}

This is done for the common shape (a guard, one assignment from an expression, optionally a NULL check); other shapes get an unsafe fix that names the reason. By hand: take a PyMutex around the guard and the write."#,
    },
];

/// The rule of `code`.
///
/// # Panics
///
/// If [`RULES`] lacks the code: a bug that the unit test
/// `every_code_has_one_rule` catches.
pub fn rule(code: Code) -> &'static Rule {
    RULES
        .iter()
        .find(|r| r.code == code)
        .expect("every code has a rule")
}

impl Rule {
    /// The full document, as `oncevar rule CODE` prints it.
    pub fn document(&self) -> String {
        let indent = |text: &str| {
            text.lines()
                .map(|l| {
                    if l.is_empty() {
                        String::new()
                    } else {
                        format!("    {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        format!(
            "{code} ({name}): {summary}\n\n\
             Why it matters\n{why}\n\n\
             Example\n{example}\n\n\
             Fix\n{fix}\n\n\
             Suppress\n{suppress}\n",
            code = self.code,
            name = self.name,
            summary = self.summary,
            why = indent(&wrap(self.why, 76)),
            example = indent(self.example),
            fix = indent(&wrap_prose(self.fix, 76)),
            suppress = indent(&self.suppression()),
        )
    }

    /// How to accept one site, or turn the code off, in a project: the
    /// `Suppress` section of [`Rule::document`].
    pub fn suppression(&self) -> String {
        let (code, name) = (self.code, self.name);
        format!(
            "One site: a comment naming the code or the rule's name, on the\n\
             declaration's line or the line above.\n\
             \n\
             /* oncevar: ignore[{code}] */\n\
             static PyObject *cache = NULL;\n\
             \n\
             static PyObject *cache = NULL;  // oncevar: ignore[{name}]\n\
             \n\
             Every site of the code, or every site under a path (code or name):\n\
             \n\
             ignore = [\"{code}\"]                  # oncevar.toml\n\
             [per-path-ignores]\n\
             \"vendored/\" = [\"{name}\"]\n\
             \n\
             oncevar check --ignore {code}         # this run only"
        )
    }
}

/// Wraps the prose paragraphs of a text that mixes prose and code: a
/// paragraph on one long line is prose; anything with line breaks is code
/// and kept as written.
fn wrap_prose(text: &str, width: usize) -> String {
    text.split("\n\n")
        .map(|p| {
            if !p.contains('\n') && p.len() > width {
                wrap(p, width)
            } else {
                p.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Wraps a paragraph at spaces (first fit; a word longer than a line, or
/// with a hyphen, stays whole).
fn wrap(text: &str, width: usize) -> String {
    let options = textwrap::Options::new(width)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::fill(text, options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_rule() {
        for code in Code::ALL {
            assert_eq!(RULES.iter().filter(|r| r.code == code).count(), 1);
            let doc = rule(code).document();
            assert!(doc.starts_with(code.as_str()));
            assert!(
                doc.contains("Why it matters") && doc.contains("Example") && doc.contains("Fix")
            );
        }
    }
}
