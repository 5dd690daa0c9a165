/* Tests: one disjunctive NULL guard fills several statics at once:
 * `if (!a || b == NULL || NULL == c)` -> OV101 for each, fixed together. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *open_paren = NULL;    /*~ OV101 open_paren */
static PyObject *close_paren = NULL;   /*~ OV101 close_paren */

static PyObject *
wrap_call(PyObject *self, PyObject *inner)
{
    static PyObject *comma;   /*~ OV101 comma */

    if (!open_paren || close_paren == NULL || NULL == comma) {
        open_paren = PyUnicode_InternFromString("(");
        close_paren = PyUnicode_InternFromString(")");
        comma = PyUnicode_InternFromString(", ");
        if (open_paren == NULL || close_paren == NULL || comma == NULL) {
            return NULL;
        }
    }
    return PyUnicode_FromFormat("%U%S%U%U", open_paren, inner, comma, close_paren);
}
