/* Tests: in a module without the GIL, guard and write inside a
 * PyMutex_Lock / PyMutex_Unlock pair -> synchronised: OV101, not OV401. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

#if PY_VERSION_HEX < 0x030D0000
typedef struct { unsigned char bits; } PyMutex;
static inline void PyMutex_Lock(PyMutex *m) { (void)m; }
static inline void PyMutex_Unlock(PyMutex *m) { (void)m; }
#endif

static PyMutex cache_mutex;
static PyObject *cache;   /*~ OV101 cache */

static PyObject *
get(PyObject *self, PyObject *unused)
{
    PyObject *result;
    PyMutex_Lock(&cache_mutex);
    if (cache == NULL) {
        cache = PyFrozenSet_New(NULL);
    }
    result = Py_XNewRef(cache);
    PyMutex_Unlock(&cache_mutex);
    return result;
}

static PyMethodDef mutexed_methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot mutexed_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef mutexed_module = {
    PyModuleDef_HEAD_INIT, "mutexed", NULL, 0, mutexed_methods, mutexed_slots,
};

PyMODINIT_FUNC
PyInit_mutexed(void)
{
    return PyModuleDef_Init(&mutexed_module);
}
