/* Tests (realistic, modelled on an AST unparser that spells infinity as an
 * overflowing literal): a file-scope string built once with the fused
 * `!v && !(v = f())` guard and never released -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"
#include <float.h>

Py_ONCEVAR_DECLARE(PyObject *, overflow_literal);   /*~ OV101 overflow_literal */

static int
append_float_repr(PyObject *parts, PyObject *value)
{
    PyObject *repr = PyObject_Repr(value);
    if (repr == NULL) {
        return -1;
    }
    if (PyUnicode_CompareWithASCIIString(repr, "inf") == 0) {
        if (!Py_ONCEVAR(overflow_literal) &&
            !(Py_ONCEVAR(overflow_literal) = PyUnicode_FromFormat("1e%d", 1 + DBL_MAX_10_EXP))) {
            Py_DECREF(repr);
            return -1;
        }
        Py_SETREF(repr, Py_NewRef(Py_ONCEVAR(overflow_literal)));
    }
    int rc = PyList_Append(parts, repr);
    Py_DECREF(repr);
    return rc;
}
