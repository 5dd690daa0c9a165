/* Tests: in a function that reports failure with `return -1`, a
 * `Py_DECREF` of the cache followed by `return -1;` (a number literal of
 * its own, not a unary minus) is an error path too: the key stays owning
 * (Py_ONCEVAR_DECLARE), so the string is released when the interpreter
 * ends. */
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, greeting);   /*~ OV101 greeting */

static int
init_greeting(void)
{
    Py_ONCEVAR(greeting) = PyUnicode_FromString("hello");
    if (Py_ONCEVAR(greeting) == NULL)
        return -1;
    if (PyErr_WarnEx(PyExc_UserWarning, "greeting created", 1) < 0) {
        Py_DECREF(Py_ONCEVAR(greeting));
        Py_ONCEVAR(greeting) = NULL;
        return -1;
    }
    return 0;
}

static int
append_greeting(PyObject *list)
{
    if (Py_ONCEVAR(greeting) == NULL) {
        Py_ONCEVAR(greeting) = PyUnicode_FromString("hi");
        if (Py_ONCEVAR(greeting) == NULL)
            return -1;
        if (PyList_Append(list, Py_ONCEVAR(greeting)) < 0) {
            Py_DECREF(Py_ONCEVAR(greeting));
            return -1;
        }
    }
    if (Py_ONCEVAR(greeting) == NULL && init_greeting() < 0)
        return -1;
    return PyList_Append(list, Py_ONCEVAR(greeting));
}
