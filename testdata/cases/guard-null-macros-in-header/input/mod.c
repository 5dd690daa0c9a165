/* Tests: the disjunctive guard through a predicate macro of a project
 * header, two levels (`MISSING(o)` -> `IS_NULL(o)` -> `(!(o))`, breaker
 * or-guard-several v22), and a header's typed NULL compared with. */
#include <Python.h>
#include "inc/pred.h"

static PyObject *lbrace, *rbrace;               /*~ OV101 lbrace */ /*~ OV101 rbrace */
static PyObject *colon;                         /*~ OV101 colon */

static PyObject *
wrap(PyObject *self, PyObject *arg)
{
    if (MISSING(lbrace) || MISSING(rbrace)) {
        lbrace = PyUnicode_InternFromString("{");
        rbrace = PyUnicode_InternFromString("}");
        if (MISSING(lbrace) || MISSING(rbrace))
            return NULL;
    }
    if (colon == NOTHING) {
        colon = PyUnicode_InternFromString(":");
        if (colon == NOTHING)
            return NULL;
    }
    return PyUnicode_FromFormat("%U%U%U%U", lbrace, arg, colon, rbrace);
}

static PyMethodDef methods[] = {{"wrap", wrap, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "predhdr", NULL, 0, methods};
PyMODINIT_FUNC PyInit_predhdr(void) { return PyModuleDef_Init(&def); }
