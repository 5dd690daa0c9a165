//! OV401: lazy initialisation without synchronisation in a module that
//! claims to run without the GIL.

use super::{Blocking, Blocks, SITE_LABELS, Matcher, Rule, SiteFacts, Subject};
use crate::diagnostic::{ClaimKind, Code, Diagnostic, Severity};

/// The rule.
pub const RULE: Rule = Rule {
    code: Code::OV401,
    name: "lazy-init-without-gil",
    summary: "Lazy initialisation without synchronisation in a module that runs without the GIL",
    severity: Severity::Error,
    why: "The module claims Py_MOD_GIL_NOT_USED (a {Py_mod_gil, ...} slot or \
PyUnstable_Module_SetGIL), so on a free-threaded build its code runs in several \
threads at once. `if (v == NULL) v = make();` is then a data race: two threads \
can both see NULL and both create the object (one reference leaks, or worse, one \
thread keeps using an object the other replaced), and a reader can see the \
pointer before the object's fields. A guard and write inside a PyMutex \
lock/unlock pair or a PyThread_acquire_lock region (also through the unit's \
macros, such as LOCK() for PyMutex_Lock(&lock)), or a pthread_once/call_once \
callback are not reported. A Py_BEGIN_CRITICAL_SECTION block counts only on a \
process-wide object (a variable with static storage or its address): it locks \
the object it names, so a section on `self`, as Argument Clinic's \
@critical_section writes, lets two threads working on two objects fill the \
static at once. The site is also \
shared by every interpreter, as OV101 explains.",
    example: r#"static PyObject *cache = NULL;   /* module: {Py_mod_gil, Py_MOD_GIL_NOT_USED} */
if (cache == NULL) {
    cache = PyDict_New();
    if (cache == NULL) {
        return NULL;
    }
}"#,
    fix: r#"`oncevar check --fix` makes the static per-interpreter and publishes the first value with a compare-and-swap (`Py_ONCEVAR_SET`): a losing value is released, and every other read of the static becomes `Py_ONCEVAR_GET` (an acquire load on the free-threaded build):

Py_ONCEVAR_DECLARE(PyObject *, cache);
if (Py_ONCEVAR_GET(cache) == NULL) {
    if (Py_ONCEVAR_SET(cache, PyDict_New()) == NULL) {
        return NULL;
    }
}

The guard is an `if` without `else` whose whole condition is `v == NULL`, `NULL == v` or `!v`. Its block (or its only statement) stores `v = EXPR;`, the static's only assignment, with EXPR not reading it, and may then test it for NULL: the test then checks what the publication returns, never the slot, which another thread may have filled meanwhile. Statements on other objects may stand between the store and its check, such as the release of the module an attribute came from; the new object then waits in a local declared at the start of the block, and the check publishes it:

if (fn == NULL) {
    PyObject *mod = PyImport_ImportModule("time");
    if (mod == NULL) {
        return NULL;
    }
    fn = PyObject_GetAttrString(mod, "monotonic");
    Py_DECREF(mod);
    if (fn == NULL) {
        return NULL;
    }
}

becomes

if (Py_ONCEVAR_GET(fn) == NULL) {
    PyObject *fn_new;
    PyObject *mod = PyImport_ImportModule("time");
    if (mod == NULL) {
        return NULL;
    }
    fn_new = PyObject_GetAttrString(mod, "monotonic");
    Py_DECREF(mod);
    if (Py_ONCEVAR_SET(fn, fn_new) == NULL) {
        return NULL;
    }
}

A borrowed value is made strong first (`Py_XNewRef`), so the slot owns what it holds. Any other shape gets an unsafe fix that names the reason, one of these: {obstacles}. Lazily allocated memory (not an object) is reported only. By hand: take a PyMutex around the guard and the write."#,
    message,
    help,
    matcher: Matcher::Site(matches),
    blocks: Blocks {
        per_interpreter_gil: true,
        free_threading: Blocking::Yes,
    },
    contradicts: &[
        ClaimKind::PerInterpreterGil,
        ClaimKind::MultipleInterpreters,
        ClaimKind::GilNotUsed,
    ],
    labels: SITE_LABELS,
};

/// A lazy site (object or memory) whose guard and write share no lock
/// region, in a module that claims `Py_MOD_GIL_NOT_USED`.
fn matches(site: &SiteFacts) -> bool {
    site.lazy && site.unsynchronised
}

fn message(s: &Subject) -> String {
    format!(
        "static `{}` `{}` is initialised lazily without synchronisation in a module that runs \
         without the GIL: two threads can both create it (one leaks) and readers can see \
         different values",
        s.type_name, s.name
    )
}

fn help(d: &Diagnostic) -> String {
    if d.fix.is_some() {
        format!(
            "publish it once per interpreter with `Py_ONCEVAR_SET({}, value)` (compare-and-swap; \
             `oncevar check --diff` shows the fix)",
            d.variable
        )
    } else {
        "take a `PyMutex` around the guard and the write (`oncevar rule OV401`)".to_owned()
    }
}
