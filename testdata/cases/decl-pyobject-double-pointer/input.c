/* Tests: `static PyObject **` — a pointer to an array of object pointers is
 * memory, not an object, so even though it holds objects it is OV201. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NSMALL 32

static PyObject **small_strings = NULL;   /*~ OV201 small_strings */

static PyObject *
small_str(PyObject *self, PyObject *arg)
{
    long i = PyLong_AsLong(arg);
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (i < 0 || i >= NSMALL) {
        return PyObject_Str(arg);
    }
    if (small_strings == NULL) {
        small_strings = PyMem_Calloc(NSMALL, sizeof(PyObject *));
        if (small_strings == NULL) {
            return PyErr_NoMemory();
        }
    }
    if (small_strings[i] == NULL) {
        small_strings[i] = PyUnicode_FromFormat("%ld", i);
        if (small_strings[i] == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(small_strings[i]);
}
