/* Tests: a module that runs without the GIL, whose guarded blocks name
 * the static again after the store in ways Py_ONCEVAR_SET does not take
 * over. Each unsafe fix names the real obstacle, not "the guarded block
 * uses the object after storing it" (which they said before): a NULL check
 * that also tests something else (`monotonic`, `perf`, spelled `!v ||`),
 * a second static stored in the same block (`open_mark`, beside
 * `close_mark`), a reference taken after a borrowed store (`hook`). */
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

static PyObject *
get_monotonic(PyObject *self, PyObject *unused)
{
    static PyObject *monotonic = NULL; /*~ OV401 monotonic */
    if (monotonic == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        int failed;
        if (mod == NULL) {
            return NULL;
        }
        monotonic = PyObject_GetAttrString(mod, "monotonic");
        failed = PyErr_Occurred() != NULL;
        Py_DECREF(mod);
        if (monotonic == NULL || failed) {
            return NULL;
        }
    }
    return PyObject_CallNoArgs(monotonic);
}

static PyObject *
get_perf(PyObject *self, PyObject *unused)
{
    static PyObject *perf; /*~ OV401 perf */
    if (!perf) {
        perf = PyUnicode_InternFromString("perf_counter");
        if (!perf || PyErr_Occurred()) {
            return NULL;
        }
    }
    return Py_NewRef(perf);
}

static PyObject *
marks(PyObject *self, PyObject *arg)
{
    static PyObject *open_mark = NULL; /*~ OV401 open_mark */
    static PyObject *close_mark = NULL; /*~ OV401 close_mark */
    if (open_mark == NULL) {
        open_mark = PyUnicode_FromString("<<");
        close_mark = PyUnicode_FromString(">>");
        if (open_mark == NULL || close_mark == NULL) {
            return NULL;
        }
    }
    return PyUnicode_FromFormat("%U%U%U", open_mark, arg, close_mark);
}

static PyObject *
get_hook(PyObject *self, PyObject *unused)
{
    static PyObject *hook = NULL; /*~ OV401 hook */
    if (hook == NULL) {
        hook = PySys_GetObject("displayhook");
        if (hook == NULL) {
            Py_RETURN_NONE;
        }
        Py_INCREF(hook);
    }
    return Py_NewRef(hook);
}

static PyMethodDef reasons_methods[] = {
    {"get_monotonic", get_monotonic, METH_NOARGS, NULL},
    {"get_perf", get_perf, METH_NOARGS, NULL},
    {"marks", marks, METH_O, NULL},
    {"get_hook", get_hook, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot reasons_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef reasons_module = {
    PyModuleDef_HEAD_INIT, "reasons", NULL, 0, reasons_methods, reasons_slots,
};

PyMODINIT_FUNC
PyInit_reasons(void)
{
    return PyModuleDef_Init(&reasons_module);
}
