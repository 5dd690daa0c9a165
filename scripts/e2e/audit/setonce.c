/* e2e-audit: a multi-phase module that keeps an object in a static set in
 * its exec slot and released in m_free (backports.zoneinfo's shape).
 * `oncevar audit` says: blocked by OV301. Predicted misbehaviour: every
 * interpreter shares the static, so when a sub-interpreter that imported
 * the module is destroyed, its m_free empties it for the main interpreter
 * too, and `shared()` there returns NULL (SystemError). */
#include <Python.h>

static PyObject *sentinel;

static PyObject *
shared(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(sentinel);
}

static int
setonce_exec(PyObject *module)
{
    sentinel = PyUnicode_FromString("sentinel");
    return sentinel == NULL ? -1 : 0;
}

static void
setonce_free(void *module)
{
    Py_CLEAR(sentinel);
}

static PyMethodDef setonce_methods[] = {
    {"shared", shared, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot setonce_slots[] = {
    {Py_mod_exec, setonce_exec},
    /* CLAIM */
    {0, NULL},
};

static struct PyModuleDef setonce_module = {
    PyModuleDef_HEAD_INIT, "setonce", NULL, 0, setonce_methods, setonce_slots,
    NULL, NULL, setonce_free,
};

PyMODINIT_FUNC
PyInit_setonce(void)
{
    return PyModuleDef_Init(&setonce_module);
}
