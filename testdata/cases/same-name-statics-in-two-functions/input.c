/* Tests: two different block-scope statics that share a name.
 *   in `encode`, `table` is lazily built under a NULL guard -> OV101
 *   in `decode`, `table` is overwritten on every call (last-argument memo,
 *   state not cache) -> not a site
 * A finding must not be attributed to the wrong declaration. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
encode(PyObject *self, PyObject *text)
{
    static PyObject *table = NULL;   /*~ OV101 table */
    if (table == NULL) {
        table = PyDict_New();
        if (table == NULL) {
            return NULL;
        }
    }
    return PyObject_CallMethod(text, "translate", "O", table);
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
