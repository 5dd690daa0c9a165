/* Statics in branches that another build of Python compiles: a newer
 * version, a free-threaded, limited-API or debug build. The database's
 * build (this machine's Python) compiles none of them, yet each is a
 * site. The free-threaded branch's claim is not this build's. */
#include <Python.h>

#if PY_VERSION_HEX >= 0x030D0000
static PyObject *
new_name(void)
{
    static PyObject *future = NULL;
    if (future == NULL) {
        future = PyUnicode_InternFromString("future");
        if (future == NULL)
            return NULL;
    }
    return Py_NewRef(future);
}
#endif

#ifdef Py_GIL_DISABLED
static PyObject *nogil_cache = NULL;
#endif

static PyObject *
get(PyObject *self, PyObject *unused)
{
#ifdef Py_GIL_DISABLED
    if (!nogil_cache && !(nogil_cache = PyDict_New()))
        return NULL;
    return Py_NewRef(nogil_cache);
#elif defined(Py_LIMITED_API)
    static PyObject *limited;
    if (limited == NULL) {
        limited = PyList_New(0);
        if (limited == NULL)
            return NULL;
    }
    return Py_NewRef(limited);
#else
    static PyObject *plain = NULL;
    if (plain == NULL) {
        plain = PyTuple_New(0);
        if (plain == NULL)
            return NULL;
    }
    return Py_NewRef(plain);
#endif
}

#ifdef Py_DEBUG
static PyObject *debug_hook;
static PyObject *
hook(PyObject *self, PyObject *unused)
{
    if (debug_hook == NULL) {
        debug_hook = PyImport_ImportModule("pdb");
    }
    return Py_XNewRef(debug_hook);
}
#endif

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
#ifdef Py_DEBUG
    {"hook", hook, METH_NOARGS, NULL},
#endif
    {NULL, NULL, 0, NULL}
};

static int
exec_module(PyObject *m)
{
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
#ifdef Py_GIL_DISABLED
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "versions", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_versions(void)
{
    return PyModuleDef_Init(&def);
}
