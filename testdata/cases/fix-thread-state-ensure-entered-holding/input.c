/* Tests: PyGILState_Ensure() ... PyGILState_Release() gives the thread
 * back the state it was entered with. A helper that wraps its work in
 * Ensure/Release and is only called by methods (which hold a thread
 * state), directly or through a helper of the same shape, keeps its
 * thread state after the Release: its static's fix stays safe. Controls:
 * the same helper given to a C library as a callback (it may run on a
 * thread with no state), and one called inside Py_BEGIN_ALLOW_THREADS,
 * are unsafe after the Release. */
#include <Python.h>

typedef void (*callback_fn)(void *);
extern void library_register(callback_fn fn, void *arg);

static PyObject *held_key = NULL;       /*~ OV101 held_key */
static PyObject *nested_key = NULL;     /*~ OV101 nested_key */
static PyObject *callback_key = NULL;   /*~ OV101 callback_key */
static PyObject *released_key = NULL;   /*~ OV101 released_key */

static PyObject *
make_key(const char *s)
{
    return PyUnicode_InternFromString(s);
}

static int
held_helper(PyObject *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    int rc = PyObject_IsTrue(arg);
    PyGILState_Release(g);
    if (held_key == NULL && (held_key = make_key("held")) == NULL)
        return -1;
    return rc;
}

static int
nested_inner(PyObject *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    int rc = PyObject_Not(arg);
    PyGILState_Release(g);
    if (nested_key == NULL && (nested_key = make_key("nested")) == NULL)
        return -1;
    return rc;
}

static int
nested_outer(PyObject *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyGILState_Release(g);
    return nested_inner(arg);
}

static void
callback_helper(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject_Print((PyObject *)arg, stdout, 0);
    PyGILState_Release(g);
    if (callback_key == NULL)
        callback_key = make_key("callback");
}

static void
released_helper(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject_Print((PyObject *)arg, stdout, 0);
    PyGILState_Release(g);
    if (released_key == NULL)
        released_key = make_key("released");
}

static PyObject *
check(PyObject *self, PyObject *arg)
{
    if (held_helper(arg) < 0 || nested_outer(arg) < 0)
        return NULL;
    return PyTuple_Pack(2, held_key, nested_key);
}

static PyObject *
later(PyObject *self, PyObject *arg)
{
    library_register(callback_helper, arg);
    Py_BEGIN_ALLOW_THREADS
    released_helper(arg);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"check", check, METH_O, NULL},
    {"later", later, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "ensure_held", NULL, 0, methods
};

PyMODINIT_FUNC
PyInit_ensure_held(void)
{
    return PyModuleDef_Init(&def);
}
