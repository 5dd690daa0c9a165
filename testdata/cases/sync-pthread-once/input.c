/* Tests: in a module without the GIL, guard and write in a callback run by
 * pthread_once -> synchronised: OV101, not OV401. The routine runs once per
 * process, so the fix is unsafe: a later interpreter would not fill its
 * own slot. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

#include <pthread.h>

static pthread_once_t units_once = PTHREAD_ONCE_INIT;
static PyObject *units;   /*~ OV101 units */

static void
make_units(void)
{
    if (units == NULL) {
        units = Py_BuildValue("(sss)", "s", "ms", "us");
    }
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    pthread_once(&units_once, make_units);
    return Py_XNewRef(units);
}

static PyMethodDef onced_methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot onced_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef onced_module = {
    PyModuleDef_HEAD_INIT, "onced", NULL, 0, onced_methods, onced_slots,
};

PyMODINIT_FUNC
PyInit_onced(void)
{
    return PyModuleDef_Init(&onced_module);
}
