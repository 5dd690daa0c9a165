/* Tests: guard inside a ternary, `return v ? v : (v = f());` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, empty_frozenset);   /*~ OV101 empty_frozenset */

static PyObject *
get_empty_frozenset(void)
{
    return Py_ONCEVAR(empty_frozenset) ? Py_ONCEVAR(empty_frozenset)
                           : (Py_ONCEVAR(empty_frozenset) = PyFrozenSet_New(NULL));
}

static PyObject *
empty(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(get_empty_frozenset());
}
