/* Tests: in a function that reports failure with `return -1`, a
 * `Py_DECREF` of the cache followed by `return -1;` (a number literal of
 * its own, not a unary minus) is an error path too: the key stays owning
 * (Py_ONCEVAR_DECLARE), so the string is released when the interpreter
 * ends. */
#include <Python.h>

static PyObject *greeting;   /*~ OV101 greeting */

static int
init_greeting(void)
{
    greeting = PyUnicode_FromString("hello");
    if (greeting == NULL)
        return -1;
    if (PyErr_WarnEx(PyExc_UserWarning, "greeting created", 1) < 0) {
        Py_DECREF(greeting);
        greeting = NULL;
        return -1;
    }
    return 0;
}

static int
append_greeting(PyObject *list)
{
    if (greeting == NULL) {
        greeting = PyUnicode_FromString("hi");
        if (greeting == NULL)
            return -1;
        if (PyList_Append(list, greeting) < 0) {
            Py_DECREF(greeting);
            return -1;
        }
    }
    if (greeting == NULL && init_greeting() < 0)
        return -1;
    return PyList_Append(list, greeting);
}
