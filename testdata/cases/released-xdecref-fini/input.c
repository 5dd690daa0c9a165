/* Tests: release by `Py_XDECREF(v); v = NULL;` in a fini function that is
 * registered with Py_AtExit -> OV102. The fix is unsafe: Py_AtExit runs the
 * function after finalisation, where no per-interpreter slot can be found. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *pickle_dumps = NULL;   /*~ OV102 pickle_dumps */

static PyObject *
serialize(PyObject *self, PyObject *obj)
{
    if (!pickle_dumps) {
        PyObject *pickle = PyImport_ImportModule("pickle");
        if (!pickle) {
            return NULL;
        }
        pickle_dumps = PyObject_GetAttrString(pickle, "dumps");
        Py_DECREF(pickle);
        if (!pickle_dumps) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(pickle_dumps, obj);
}

static void
serializer_fini(void)
{
    Py_XDECREF(pickle_dumps);
    pickle_dumps = NULL;
}

static int
serializer_exec(PyObject *module)
{
    return Py_AtExit(serializer_fini);
}
