/* Statics set once that the audit cannot prove fixable: each is unsafe with
 * its reason, and the module stays blocked after --fix. `reloaded` is also
 * written by a method (run time), `flagged` under a process-wide flag,
 * `pinned` is named at file scope (its address kept), `early` is read by a
 * helper exec calls before it is set, `exported` is read by a function
 * other units call. `settled`, set and read as the fix requires, is fixed. */
#include <Python.h>

static PyObject *reloaded;   /*~ OV301 reloaded fix=unsafe */
static PyObject *flagged;    /*~ OV301 flagged fix=unsafe */
static PyObject *pinned;     /*~ OV301 pinned fix=unsafe */
static PyObject *early;      /*~ OV301 early fix=unsafe */
static PyObject *exported;   /*~ OV301 exported fix=unsafe */
static PyObject *settled;    /*~ OV301 settled fix=safe */
static int initialized;
static PyObject **pinned_at = &pinned;

static int
init_reloaded(void)
{
    reloaded = PyDict_New();
    return reloaded == NULL ? -1 : 0;
}

static PyObject *
reload(PyObject *self, PyObject *unused)
{
    if (init_reloaded() < 0) {
        return NULL;
    }
    return Py_NewRef(reloaded);
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(4, flagged, *pinned_at, early, settled);
}

PyObject *
unsafe_registry(void)
{
    return exported;
}

static int
publish(PyObject *m)
{
    return PyModule_AddObjectRef(m, "early", early);
}

static int
unsafe_exec(PyObject *m)
{
    if (init_reloaded() < 0) {
        return -1;
    }
    if (!initialized) {
        flagged = PyList_New(0);
        initialized = 1;
    }
    pinned = PyList_New(0);
    if (publish(m) < 0) {
        return -1;
    }
    early = PyList_New(0);
    exported = PyList_New(0);
    settled = PyList_New(0);
    return settled == NULL ? -1 : 0;
}

static PyMethodDef unsafe_methods[] = {
    {"reload", reload, METH_NOARGS, NULL},
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot unsafe_slots[] = {
    {Py_mod_exec, unsafe_exec},
    {0, NULL},
};

static struct PyModuleDef unsafe_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "unsafe",
    .m_methods = unsafe_methods,
    .m_slots = unsafe_slots,
};

PyMODINIT_FUNC
PyInit_unsafe(void) /*~ module unsafe multi-phase pig=blocked ft=ok after-fix=blocked */
{
    return PyModuleDef_Init(&unsafe_module);
}
