/* A module that claims to run without the GIL: its lazy caches are OV401.
 * Built against the free-threaded headers (../branches/python313t, whose
 * pyconfig.h defines Py_GIL_DISABLED), they race on this build; the same
 * file built against a GIL build's headers only on another build. */
#include <Python.h>

#ifdef Py_GIL_DISABLED
static PyObject *nogil_cache = NULL; /*~ OV401 nogil_cache */

static PyObject *
get_cache(PyObject *self, PyObject *unused)
{
    if (nogil_cache == NULL) {
        nogil_cache = PyDict_New();
        if (nogil_cache == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(nogil_cache);
}
#else
/* With the GIL: not this build's branch when Py_GIL_DISABLED is defined. */
static PyObject *gil_cache = NULL;

static PyObject *
get_cache(PyObject *self, PyObject *unused)
{
    if (gil_cache == NULL) {
        gil_cache = PyDict_New();
        if (gil_cache == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(gil_cache);
}
#endif

static PyMethodDef nogil_methods[] = {
    {"get_cache", get_cache, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot nogil_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef nogil_module = {
    PyModuleDef_HEAD_INIT, "nogil", NULL, 0, nogil_methods, nogil_slots,
};

PyMODINIT_FUNC
PyInit_nogil(void)
{
    return PyModuleDef_Init(&nogil_module);
}
