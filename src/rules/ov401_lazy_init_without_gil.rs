//! OV401: lazy initialisation without synchronisation in a module that
//! claims to run without the GIL.

use super::{Matcher, Rule, SiteFacts, Subject};
use crate::diagnostic::{Code, Diagnostic, Severity};

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
    message,
    help,
    matcher: Matcher::Site(matches),
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
