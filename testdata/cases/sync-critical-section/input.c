/* Tests: in a module without the GIL, guard and write inside a
 * Py_BEGIN_CRITICAL_SECTION(self) block are not synchronised: the section
 * locks `self` only, and two threads calling get() on two objects fill the
 * static at once -> OV401 (sync-critical-section-object has the
 * process-wide objects that do synchronise). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

#if PY_VERSION_HEX < 0x030D0000
#define Py_BEGIN_CRITICAL_SECTION(op) {
#define Py_END_CRITICAL_SECTION() }
#endif

static PyObject *names;   /*~ OV401 names */

static PyObject *
get(PyObject *self, PyObject *unused)
{
    PyObject *result;
    Py_BEGIN_CRITICAL_SECTION(self);
    if (!names) {
        names = PyList_New(0);
    }
    result = Py_XNewRef(names);
    Py_END_CRITICAL_SECTION();
    return result;
}

static PyMethodDef critical_methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot critical_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef critical_module = {
    PyModuleDef_HEAD_INIT, "critical", NULL, 0, critical_methods, critical_slots,
};

PyMODINIT_FUNC
PyInit_critical(void)
{
    return PyModuleDef_Init(&critical_module);
}
