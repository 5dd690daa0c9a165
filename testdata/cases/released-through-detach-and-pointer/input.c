/* Tests: a release through a pointer to the static or through a local it
 * was detached into counts as the static's release (OV102). A pointer
 * `PyObject **slot = &v;` then `Py_CLEAR(*slot)`, `Py_SETREF(*slot, NULL)`
 * or `Py_DECREF(*slot); *slot = NULL;`; a project macro that detaches its
 * argument (`#define DETACH(dst, src) ((dst) = (src), (src) = NULL)`,
 * and a `do { … } while (0)` spelling) then `Py_XDECREF` of the local.
 * A detach whose local is handed to the caller (`return kept;`) hands the
 * reference on with it: a release too (OV102; no site before session 13,
 * see released-by-hand-off). Control: `Py_DECREF(*slot)` without emptying
 * leaves it dangling and is no release (OV101, never released). */
#include <Python.h>

#define DETACH(dst, src) ((dst) = (src), (src) = NULL)
#define TAKE_OUT(src, dst) do { (dst) = (src); (src) = NULL; } while (0)

static PyObject *hooks = NULL;                  /*~ OV102 hooks */
static PyObject *names = NULL;                  /*~ OV102 names */
static PyObject *extra = NULL;                  /*~ OV102 extra */
static PyObject *registry = NULL;               /*~ OV102 registry */
static PyObject *pending = NULL;                /*~ OV102 pending */
static PyObject *spare = NULL;                  /*~ OV102 spare */
static PyObject *dangling = NULL;               /*~ OV101 dangling */

static PyObject *
get_all(PyObject *self, PyObject *unused)
{
    if (hooks == NULL && (hooks = PyList_New(0)) == NULL)
        return NULL;
    if (names == NULL && (names = PyDict_New()) == NULL)
        return NULL;
    if (extra == NULL && (extra = PySet_New(NULL)) == NULL)
        return NULL;
    if (registry == NULL && (registry = PySet_New(NULL)) == NULL)
        return NULL;
    if (pending == NULL && (pending = PyList_New(0)) == NULL)
        return NULL;
    if (spare == NULL && (spare = PyList_New(0)) == NULL)
        return NULL;
    if (dangling == NULL && (dangling = PyList_New(0)) == NULL)
        return NULL;
    return PyTuple_Pack(7, hooks, names, extra, registry, pending, spare, dangling);
}

/* Releases when called with True only (the fixture's own: a second call
 * released `extra` when it was NULL, and `dangling`, which it leaves
 * dangling by design, again: a crash under the probe, which never passes
 * True). */
static PyObject *
shutdown(PyObject *self, PyObject *really)
{
    PyObject **slot = &hooks;
    PyObject **other = &names;
    PyObject **third = &extra;
    PyObject **bad = &dangling;
    PyObject *old, *queued;

    if (really != Py_True) {
        Py_RETURN_NONE;
    }
    Py_CLEAR(*slot);
    Py_SETREF(*other, NULL);
    Py_DECREF(*third);
    *third = NULL;
    Py_XDECREF(*bad);
    DETACH(old, registry);
    Py_XDECREF(old);
    TAKE_OUT(pending, queued);
    Py_XDECREF(queued);
    Py_RETURN_NONE;
}

static PyObject *
take_spare(PyObject *self, PyObject *unused)
{
    PyObject *kept;
    DETACH(kept, spare);
    if (kept == NULL) {   /* taken already (the fixture's own: NULL without an exception) */
        Py_RETURN_NONE;
    }
    return kept;
}

static PyMethodDef methods[] = {
    {"get_all", get_all, METH_NOARGS, NULL},
    {"shutdown", shutdown, METH_O, NULL},
    {"take_spare", take_spare, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "detached", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_detached(void)
{
    return PyModuleDef_Init(&def);
}
