/* Tests: a conjunction early return before the writes,
 * `if (a != NULL && b != NULL) return 0;`, guards every static it tests. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, true_text);    /*~ OV101 true_text */
Py_ONCEVAR_DECLARE(PyObject *, false_text);   /*~ OV101 false_text */

static int
ensure_texts(void)
{
    if (Py_ONCEVAR(true_text) != NULL && Py_ONCEVAR(false_text)) {
        return 0;
    }
    Py_ONCEVAR(true_text) = PyUnicode_FromString("yes");
    Py_ONCEVAR(false_text) = PyUnicode_FromString("no");
    return (Py_ONCEVAR(true_text) && Py_ONCEVAR(false_text)) ? 0 : -1;
}

static PyObject *
render(PyObject *self, PyObject *arg)
{
    if (ensure_texts() < 0) {
        return NULL;
    }
    return Py_NewRef(PyObject_IsTrue(arg) ? Py_ONCEVAR(true_text) : Py_ONCEVAR(false_text));
}
