/* Tests: a borrowed value made strong by an explicit Py_INCREF beside the
 * store (after it, or before it on the value) is already owned: the fix
 * adds no Py_XNewRef, the slot holds exactly one strong reference, and the
 * fix's reason names the rule. A borrowed value without one is wrapped. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static PyObject *
get_excepthook(PyObject *self, PyObject *unused)
{
    Py_ONCEVAR_DECLARE(PyObject *, excepthook);   /*~ OV101 excepthook */

    if (Py_ONCEVAR(excepthook) == NULL) {
        Py_ONCEVAR(excepthook) = PySys_GetObject("excepthook");
        if (Py_ONCEVAR(excepthook) == NULL) {
            Py_RETURN_NONE;
        }
        Py_INCREF(Py_ONCEVAR(excepthook));
    }
    return Py_NewRef(Py_ONCEVAR(excepthook));
}

static PyObject *
get_default(PyObject *self, PyObject *unused)
{
    Py_ONCEVAR_DECLARE(PyObject *, default_value);   /*~ OV101 default_value */

    if (Py_ONCEVAR(default_value) == NULL) {
        Py_INCREF(Py_None);
        Py_ONCEVAR(default_value) = Py_None;
    }
    return Py_NewRef(Py_ONCEVAR(default_value));
}

static PyObject *
get_builtins(PyObject *self, PyObject *unused)
{
    Py_ONCEVAR_DECLARE(PyObject *, builtins);   /*~ OV101 builtins */

    if (Py_ONCEVAR(builtins) == NULL) {
        Py_ONCEVAR(builtins) = Py_XNewRef(PyEval_GetBuiltins());
    }
    return Py_XNewRef(Py_ONCEVAR(builtins));
}
