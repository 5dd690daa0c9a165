/* Tests: Py_CLEAR in the module's m_clear function releases one cache
 * (OV102); a second cache in the same file is never released (OV101). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *time_monotonic = NULL;   /*~ OV102 time_monotonic */
static PyObject *time_sleep = NULL;       /*~ OV101 time_sleep */

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
    if (time_monotonic == NULL && (time_monotonic = load("monotonic")) == NULL) {
        return NULL;
    }
    return PyObject_CallNoArgs(time_monotonic);
}

static PyObject *
nap(PyObject *self, PyObject *secs)
{
    if (time_sleep == NULL && (time_sleep = load("sleep")) == NULL) {
        return NULL;
    }
    return PyObject_CallOneArg(time_sleep, secs);
}

static int
clockmod_clear(PyObject *module)
{
    Py_CLEAR(time_monotonic);
    return 0;
}

static struct PyModuleDef clockmod = {
    PyModuleDef_HEAD_INIT, .m_name = "clockmod", .m_clear = clockmod_clear,
};
