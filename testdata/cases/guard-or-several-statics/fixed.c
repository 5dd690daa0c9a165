/* Tests: one disjunctive NULL guard fills several statics at once:
 * `if (!a || b == NULL || NULL == c)` -> OV101 for each, fixed together. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, open_paren);    /*~ OV101 open_paren */
Py_ONCEVAR_DECLARE(PyObject *, close_paren);   /*~ OV101 close_paren */

static PyObject *
wrap_call(PyObject *self, PyObject *inner)
{
    Py_ONCEVAR_DECLARE(PyObject *, comma);   /*~ OV101 comma */

    if (!Py_ONCEVAR(open_paren) || Py_ONCEVAR(close_paren) == NULL || NULL == Py_ONCEVAR(comma)) {
        Py_ONCEVAR(open_paren) = PyUnicode_InternFromString("(");
        Py_ONCEVAR(close_paren) = PyUnicode_InternFromString(")");
        Py_ONCEVAR(comma) = PyUnicode_InternFromString(", ");
        if (Py_ONCEVAR(open_paren) == NULL || Py_ONCEVAR(close_paren) == NULL || Py_ONCEVAR(comma) == NULL) {
            return NULL;
        }
    }
    return PyUnicode_FromFormat("%U%S%U%U", Py_ONCEVAR(open_paren), inner, Py_ONCEVAR(comma), Py_ONCEVAR(close_paren));
}
