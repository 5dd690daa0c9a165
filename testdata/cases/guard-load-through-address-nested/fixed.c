/* Tests: guard `if (!v)` whose body initialises through the address:
 *     if (!v) { if (load(&v) < 0) return NULL; }   -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static int
load_pattern(PyObject **result)
{
    PyObject *re = PyImport_ImportModule("re");
    if (re == NULL) {
        return -1;
    }
    *result = PyObject_CallMethod(re, "compile", "s", "[A-Za-z_][A-Za-z0-9_]*");
    Py_DECREF(re);
    return *result ? 0 : -1;
}

static PyObject *
is_identifier(PyObject *self, PyObject *text)
{
    Py_ONCEVAR_DECLARE(PyObject *, ident_re);   /*~ OV101 ident_re */

    if (!Py_ONCEVAR(ident_re)) {
        if (load_pattern(&Py_ONCEVAR(ident_re)) < 0) {
            return NULL;
        }
    }
    return PyObject_CallMethod(Py_ONCEVAR(ident_re), "fullmatch", "O", text);
}
