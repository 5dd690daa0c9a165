/* Lazy sites in a module that keeps the GIL: each blocks an own GIL (it is
 * shared by every interpreter); for free threading only the one whose
 * guard and write share no lock blocks. A set-once static blocks an own
 * GIL only. */
#include <Python.h>

static PyObject *decimal_type = NULL; /*~ OV101 decimal_type */
static PyObject *locked_cache = NULL; /*~ OV101 locked_cache */
static PyObject *Error;               /*~ OV301 Error */
static PyMutex cache_lock;

static PyObject *
get_decimal(PyObject *self, PyObject *unused)
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
get_cache(PyObject *self, PyObject *unused)
{
    PyMutex_Lock(&cache_lock);
    if (locked_cache == NULL) {
        locked_cache = PyDict_New();
    }
    PyMutex_Unlock(&cache_lock);
    return Py_XNewRef(locked_cache);
}

static PyMethodDef lazy_methods[] = {
    {"get_decimal", get_decimal, METH_NOARGS, NULL},
    {"get_cache", get_cache, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
lazy_exec(PyObject *m)
{
    Error = PyErr_NewException("lazy.error", NULL, NULL);
    return PyModule_AddObjectRef(m, "error", Error);
}

static PyModuleDef_Slot lazy_slots[] = {
    {Py_mod_exec, lazy_exec},
    {0, NULL},
};

static struct PyModuleDef lazy_module = {
    PyModuleDef_HEAD_INIT, "lazy", NULL, 0, lazy_methods, lazy_slots,
};

PyMODINIT_FUNC
PyInit_lazy(void) /*~ module lazy multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&lazy_module);
}
/*~ blocks lazy OV101 decimal_type both */
/*~ blocks lazy OV101 locked_cache pig */
/*~ blocks lazy OV301 Error pig */
