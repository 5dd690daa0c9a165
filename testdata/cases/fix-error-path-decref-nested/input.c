/* Tests: the error path's `Py_DECREF` sits in an inner block whose
 * enclosing block then returns NULL (or -1): still an error path, the key
 * stays owning. A `Py_DECREF` with normal code after it, in another
 * initialiser, gives the reference away (the key only borrows). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *greeting = NULL;   /*~ OV101 greeting */
static PyObject *shared_dict = NULL;   /*~ OV101 shared_dict */

static PyObject *
greet(PyObject *self, PyObject *name)
{
    if (greeting == NULL) {
        greeting = PyUnicode_FromString("hello, ");
        if (greeting == NULL) {
            return NULL;
        }
        if (PyUnicode_GetLength(greeting) == 0) {
            if (PyErr_Occurred() == NULL) {
                Py_DECREF(greeting);
            }
            PyErr_SetString(PyExc_ValueError, "empty greeting");
            return NULL;
        }
    }
    return PyUnicode_Concat(greeting, name);
}

static int
module_exec(PyObject *module)
{
    if (shared_dict == NULL) {
        shared_dict = PyDict_New();
        if (shared_dict == NULL) {
            return -1;
        }
        if (PyModule_AddObjectRef(module, "shared", shared_dict) < 0) {
            return -1;
        }
        Py_DECREF(shared_dict);
    }
    return 0;
}
