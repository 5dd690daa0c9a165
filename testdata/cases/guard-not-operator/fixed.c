/* Tests: guard written with logical not, `if (!v)` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, str_encoding);   /*~ OV101 str_encoding */

static PyObject *
get_encoding(PyObject *self, PyObject *stream)
{
    if (!Py_ONCEVAR(str_encoding)) {
        Py_ONCEVAR(str_encoding) = PyUnicode_InternFromString("encoding");
        if (!Py_ONCEVAR(str_encoding)) {
            return NULL;
        }
    }
    return PyObject_GetAttr(stream, Py_ONCEVAR(str_encoding));
}
