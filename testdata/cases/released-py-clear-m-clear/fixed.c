/* Tests: Py_CLEAR in the module's m_clear function releases one cache
 * (OV102); a second cache in the same file is never released (OV101). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, time_monotonic);   /*~ OV102 time_monotonic */
Py_ONCEVAR_DECLARE(PyObject *, time_sleep);       /*~ OV101 time_sleep */

static PyObject *
load(const char *name)
{
    PyObject *t = PyImport_ImportModule("time");
    if (t == NULL) {
        return NULL;
    }
    PyObject *f = PyObject_GetAttrString(t, name);
    Py_DECREF(t);
    return f;
}

static PyObject *
now(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(time_monotonic) == NULL && (Py_ONCEVAR(time_monotonic) = load("monotonic")) == NULL) {
        return NULL;
    }
    return PyObject_CallNoArgs(Py_ONCEVAR(time_monotonic));
}

static PyObject *
nap(PyObject *self, PyObject *secs)
{
    if (Py_ONCEVAR(time_sleep) == NULL && (Py_ONCEVAR(time_sleep) = load("sleep")) == NULL) {
        return NULL;
    }
    return PyObject_CallOneArg(Py_ONCEVAR(time_sleep), secs);
}

static int
clockmod_clear(PyObject *module)
{
    Py_CLEAR(Py_ONCEVAR(time_monotonic));
    return 0;
}

static struct PyModuleDef clockmod = {
    PyModuleDef_HEAD_INIT, .m_name = "clockmod", .m_clear = clockmod_clear,
};
