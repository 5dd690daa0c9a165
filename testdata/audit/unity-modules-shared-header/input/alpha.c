/* Module alpha: a lazy cache of its own, and helper_convert through the
 * shared header's macro. */
#include "common.h"

static PyObject *alpha_cache; /*~ OV101 alpha_cache */

static PyObject *
alpha_get(PyObject *self, PyObject *arg)
{
    long value;
    if (CONVERT(arg, &value) < 0) {
        return NULL;
    }
    if (alpha_cache == NULL) {
        alpha_cache = PyDict_New();
        if (alpha_cache == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(alpha_cache);
}

static PyMethodDef alpha_methods[] = {
    {"get", alpha_get, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot alpha_slots[] = {
    {0, NULL},
};

static struct PyModuleDef alpha_module = {
    PyModuleDef_HEAD_INIT, "alpha", NULL, 0, alpha_methods, alpha_slots,
};

PyMODINIT_FUNC
PyInit_alpha(void) /*~ module alpha multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&alpha_module);
}
/*~ blocks alpha OV101 alpha_cache both */
/*~ blocks alpha OV101 int_type both */
/*~ blocks alpha OV101 spare_cache both */
