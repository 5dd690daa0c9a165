/* e2e-audit: a multi-phase module whose only process-wide state is a lazy
 * cache. `oncevar audit` says: blocked by OV101 (fix safe); after --fix, ok
 * for an own GIL per interpreter. The script then adds the claim and loads
 * it in isolated sub-interpreters. */
#include <Python.h>

static PyObject *decimal_type = NULL;

/* The cached class, loaded on first use. */
static PyObject *
decimal_class(PyObject *self, PyObject *unused)
{
    if (decimal_type == NULL) {
        PyObject *module = PyImport_ImportModule("decimal");
        if (module == NULL) {
            return NULL;
        }
        decimal_type = PyObject_GetAttrString(module, "Decimal");
        Py_DECREF(module);
        if (decimal_type == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(decimal_type);
}

static PyObject *
to_decimal(PyObject *self, PyObject *arg)
{
    PyObject *cls = decimal_class(self, NULL);
    if (cls == NULL) {
        return NULL;
    }
    PyObject *result = PyObject_CallOneArg(cls, arg);
    Py_DECREF(cls);
    return result;
}

static PyMethodDef lazycache_methods[] = {
    {"to_decimal", to_decimal, METH_O, NULL},
    {"decimal_class", decimal_class, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot lazycache_slots[] = {
    /* CLAIM */
    {0, NULL},
};

static struct PyModuleDef lazycache_module = {
    PyModuleDef_HEAD_INIT, "lazycache", NULL, 0, lazycache_methods, lazycache_slots,
};

PyMODINIT_FUNC
PyInit_lazycache(void)
{
    return PyModuleDef_Init(&lazycache_module);
}
