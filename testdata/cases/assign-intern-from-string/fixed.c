/* Tests: lazily interned attribute names (PyUnicode_InternFromString), the
 * pre-_Py_IDENTIFIER idiom, in two functions -> OV101 x2. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, str_write);   /*~ OV101 str_write */
Py_ONCEVAR_DECLARE(PyObject *, str_flush);   /*~ OV101 str_flush */

static int
write_and_flush(PyObject *file, PyObject *data)
{
    if (Py_ONCEVAR(str_write) == NULL) {
        Py_ONCEVAR(str_write) = PyUnicode_InternFromString("write");
        if (Py_ONCEVAR(str_write) == NULL) {
            return -1;
        }
    }
    PyObject *r = PyObject_CallMethodOneArg(file, Py_ONCEVAR(str_write), data);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);

    if (Py_ONCEVAR(str_flush) == NULL) {
        Py_ONCEVAR(str_flush) = PyUnicode_InternFromString("flush");
        if (Py_ONCEVAR(str_flush) == NULL) {
            return -1;
        }
    }
    r = PyObject_CallMethodNoArgs(file, Py_ONCEVAR(str_flush));
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    return 0;
}
