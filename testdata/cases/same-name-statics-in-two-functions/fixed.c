/* Tests: two different block-scope statics that share a name.
 *   in `encode`, `table` is lazily built under a NULL guard -> OV101
 *   in `decode`, `table` is overwritten on every call (last-argument memo,
 *   state not cache) -> not a site
 * A finding must not be attributed to the wrong declaration. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static PyObject *
encode(PyObject *self, PyObject *text)
{
    Py_ONCEVAR_DECLARE(PyObject *, table);   /*~ OV101 table */
    if (Py_ONCEVAR(table) == NULL) {
        Py_ONCEVAR(table) = PyDict_New();
        if (Py_ONCEVAR(table) == NULL) {
            return NULL;
        }
    }
    return PyObject_CallMethod(text, "translate", "O", Py_ONCEVAR(table));
}

static PyObject *
decode(PyObject *self, PyObject *mapping)
{
    static PyObject *table = NULL;
    PyObject *previous = table;
    table = mapping;
    if (previous == NULL) {
        Py_RETURN_NONE;
    }
    return Py_NewRef(previous);
}
