/* Tests: guard written with logical not, `if (!v)` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *str_encoding;   /*~ OV101 str_encoding */

static PyObject *
get_encoding(PyObject *self, PyObject *stream)
{
    if (!str_encoding) {
        str_encoding = PyUnicode_InternFromString("encoding");
        if (!str_encoding) {
            return NULL;
        }
    }
    return PyObject_GetAttr(stream, str_encoding);
}
