/* Tests: a borrowed value made strong by an explicit Py_INCREF beside the
 * store (after it, or before it on the value) is already owned: the fix
 * adds no Py_XNewRef, the slot holds exactly one strong reference, and the
 * fix's reason names the rule. A borrowed value without one is wrapped. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
get_excepthook(PyObject *self, PyObject *unused)
{
    static PyObject *excepthook = NULL;   /*~ OV101 excepthook */

    if (excepthook == NULL) {
        excepthook = PySys_GetObject("excepthook");
        if (excepthook == NULL) {
            Py_RETURN_NONE;
        }
        Py_INCREF(excepthook);
    }
    return Py_NewRef(excepthook);
}

static PyObject *
get_default(PyObject *self, PyObject *unused)
{
    static PyObject *default_value = NULL;   /*~ OV101 default_value */

    if (default_value == NULL) {
        Py_INCREF(Py_None);
        default_value = Py_None;
    }
    return Py_NewRef(default_value);
}

static PyObject *
get_builtins(PyObject *self, PyObject *unused)
{
    static PyObject *builtins = NULL;   /*~ OV101 builtins */

    if (builtins == NULL) {
        builtins = PyEval_GetBuiltins();
    }
    return Py_XNewRef(builtins);
}
