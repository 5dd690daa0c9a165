/* A multi-phase module whose init a header's macro defines whole, through
 * another macro, with a `;` after the invocation and code after it: the
 * module is found as multi-phase, its exec slot sets an exception once
 * (OV301, fixed into a per-interpreter slot), and a counter its method
 * bumps is written at run time (OV402, no fix). */
#include <Python.h>
#include "modinit.h"

static PyObject *ParseError; /*~ OV301 ParseError fix=safe */
static long calls;           /*~ OV402 calls fix=none */

static PyObject *
parser_fail(PyObject *self, PyObject *unused)
{
    calls++;
    PyErr_SetString(ParseError, "bad input");
    return NULL;
}

static int
parser_exec(PyObject *m)
{
    ParseError = PyErr_NewException("parser.ParseError", NULL, NULL);
    if (ParseError == NULL) {
        return -1;
    }
    return PyModule_AddObjectRef(m, "ParseError", ParseError);
}

static PyMethodDef parser_methods[] = {
    {"fail", parser_fail, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot parser_slots[] = {
    {Py_mod_exec, parser_exec},
    {0, NULL},
};

static struct PyModuleDef parser_def = {
    PyModuleDef_HEAD_INIT, "parser", NULL, 0, parser_methods, parser_slots,
};

DEFINE_MODULE_INIT(parser); /*~ module parser multi-phase pig=blocked ft=blocked after-fix=blocked */

static int
unused_helper(void)
{
    return 0;
}
