/* e2e-audit: a single-phase module. `oncevar audit` says: blocked by OV501.
 * Predicted: an interpreter with its own GIL refuses to import it. */
#include <Python.h>

static PyObject *
answer(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(42);
}

static PyMethodDef singlephase_methods[] = {
    {"answer", answer, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef singlephase_module = {
    PyModuleDef_HEAD_INIT, "singlephase", NULL, -1, singlephase_methods,
};

PyMODINIT_FUNC
PyInit_singlephase(void)
{
    return PyModule_Create(&singlephase_module);
}
