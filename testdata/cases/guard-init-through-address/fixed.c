/* Tests: initialisation through the static's address inside the guard
 * condition: `if (v == NULL && init(&v) < 0)` -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static int
load_attr(const char *modname, const char *attr, PyObject **out)
{
    PyObject *mod = PyImport_ImportModule(modname);
    if (mod == NULL) {
        return -1;
    }
    *out = PyObject_GetAttrString(mod, attr);
    Py_DECREF(mod);
    return *out == NULL ? -1 : 0;
}

Py_ONCEVAR_DECLARE(PyObject *, deepcopy_func);   /*~ OV101 deepcopy_func */

static PyObject *
deepcopy(PyObject *self, PyObject *obj)
{
    if (Py_ONCEVAR(deepcopy_func) == NULL && load_attr("copy", "deepcopy", &Py_ONCEVAR(deepcopy_func)) < 0) {
        return NULL;
    }
    return PyObject_CallOneArg(Py_ONCEVAR(deepcopy_func), obj);
}
