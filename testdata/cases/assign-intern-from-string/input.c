/* Tests: lazily interned attribute names (PyUnicode_InternFromString), the
 * pre-_Py_IDENTIFIER idiom, in two functions -> OV101 x2. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *str_write = NULL;   /*~ OV101 str_write */
static PyObject *str_flush = NULL;   /*~ OV101 str_flush */

static int
write_and_flush(PyObject *file, PyObject *data)
{
    if (str_write == NULL) {
        str_write = PyUnicode_InternFromString("write");
        if (str_write == NULL) {
            return -1;
        }
    }
    PyObject *r = PyObject_CallMethodOneArg(file, str_write, data);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);

    if (str_flush == NULL) {
        str_flush = PyUnicode_InternFromString("flush");
        if (str_flush == NULL) {
            return -1;
        }
    }
    r = PyObject_CallMethodNoArgs(file, str_flush);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    return 0;
}
