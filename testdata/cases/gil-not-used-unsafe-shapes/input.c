/* Tests: OV401 shapes that Py_ONCEVAR_SET cannot take over -> unsafe fixes
 * naming the reason (the object is filled after it is stored; the guard
 * also tests something else), and lazily allocated memory -> OV401,
 * reported only. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

static PyObject *defaults;    /*~ OV401 defaults */
static PyObject *fallback;    /*~ OV401 fallback */
static char *scratch;         /*~ OV401 scratch */
static int use_fallback;

static PyObject *
get_defaults(PyObject *self, PyObject *unused)
{
    if (defaults == NULL) {
        defaults = PyDict_New();
        if (defaults == NULL) {
            return NULL;
        }
        if (PyDict_SetItemString(defaults, "level", Py_None) < 0) {
            return NULL;
        }
    }
    return Py_NewRef(defaults);
}

static PyObject *
get_fallback(PyObject *self, PyObject *unused)
{
    if (fallback == NULL && use_fallback) {
        fallback = PyList_New(0);
    }
    /* None while the flag is off (the fixture's own: it returned NULL
     * without an exception, a SystemError and a debug build's abort). */
    return fallback != NULL ? Py_NewRef(fallback) : Py_NewRef(Py_None);
}

static PyObject *
get_scratch(PyObject *self, PyObject *unused)
{
    if (scratch == NULL) {
        scratch = PyMem_Malloc(64);
    }
    return PyBool_FromLong(scratch != NULL);
}

static PyMethodDef shapes_methods[] = {
    {"get_defaults", get_defaults, METH_NOARGS, NULL},
    {"get_fallback", get_fallback, METH_NOARGS, NULL},
    {"get_scratch", get_scratch, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot shapes_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef shapes_module = {
    PyModuleDef_HEAD_INIT, "shapes", NULL, 0, shapes_methods, shapes_slots,
};

PyMODINIT_FUNC
PyInit_shapes(void)
{
    return PyModuleDef_Init(&shapes_module);
}

/* `use_fallback` is set at run time, so it is a process-wide flag. */
static PyObject *
set_use_fallback(PyObject *self, PyObject *arg)
{
    use_fallback = PyObject_IsTrue(arg) > 0;
    Py_RETURN_NONE;
}
