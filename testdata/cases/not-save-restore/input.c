/* Tests (look-alike, no finding): a save/restore pattern.  The static holds
 * the "active" handler; calls swap it in and put the old value back.  The
 * NULL check just picks a default. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *active_handler = NULL;

static PyObject *
call_with_handler(PyObject *self, PyObject *args)
{
    PyObject *handler, *func;
    if (!PyArg_ParseTuple(args, "OO", &handler, &func)) {
        return NULL;
    }
    PyObject *saved = active_handler;
    active_handler = handler;
    PyObject *res = PyObject_CallNoArgs(func);
    active_handler = saved;
    return res;
}

static PyObject *
current_handler(PyObject *self, PyObject *unused)
{
    if (active_handler == NULL) {
        Py_RETURN_NONE;
    }
    return Py_NewRef(active_handler);
}
