/* Tests: guard inside a ternary, `return v ? v : (v = f());` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *empty_frozenset = NULL;   /*~ OV101 empty_frozenset */

static PyObject *
get_empty_frozenset(void)
{
    return empty_frozenset ? empty_frozenset
                           : (empty_frozenset = PyFrozenSet_New(NULL));
}

static PyObject *
empty(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(get_empty_frozenset());
}
