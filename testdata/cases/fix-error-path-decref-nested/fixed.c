/* Tests: the error path's `Py_DECREF` sits in an inner block whose
 * enclosing block then returns NULL (or -1): still an error path, the key
 * stays owning. A `Py_DECREF` with normal code after it, in another
 * initialiser, gives the reference away (the key only borrows). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, greeting);   /*~ OV101 greeting */
Py_ONCEVAR_DECLARE_BORROWED(PyObject *, shared_dict);   /*~ OV101 shared_dict */

static PyObject *
greet(PyObject *self, PyObject *name)
{
    if (Py_ONCEVAR(greeting) == NULL) {
        Py_ONCEVAR(greeting) = PyUnicode_FromString("hello, ");
        if (Py_ONCEVAR(greeting) == NULL) {
            return NULL;
        }
        if (PyUnicode_GetLength(Py_ONCEVAR(greeting)) == 0) {
            if (PyErr_Occurred() == NULL) {
                Py_DECREF(Py_ONCEVAR(greeting));
            }
            PyErr_SetString(PyExc_ValueError, "empty greeting");
            return NULL;
        }
    }
    return PyUnicode_Concat(Py_ONCEVAR(greeting), name);
}

static int
module_exec(PyObject *module)
{
    if (Py_ONCEVAR(shared_dict) == NULL) {
        Py_ONCEVAR(shared_dict) = PyDict_New();
        if (Py_ONCEVAR(shared_dict) == NULL) {
            return -1;
        }
        if (PyModule_AddObjectRef(module, "shared", Py_ONCEVAR(shared_dict)) < 0) {
            return -1;
        }
        Py_DECREF(Py_ONCEVAR(shared_dict));
    }
    return 0;
}
