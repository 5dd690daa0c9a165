/* Tests: double-checked locking in a module without the GIL (a fast test
 * outside, the guard and the write again under a PyMutex) -> synchronised:
 * OV101, not OV401. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

#if PY_VERSION_HEX < 0x030D0000
typedef struct { unsigned char bits; } PyMutex;
static inline void PyMutex_Lock(PyMutex *m) { (void)m; }
static inline void PyMutex_Unlock(PyMutex *m) { (void)m; }
#endif

static PyMutex kinds_mutex;
Py_ONCEVAR_DECLARE(PyObject *, kinds);   /*~ OV101 kinds */

static PyObject *
get(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(kinds) == NULL) {
        PyMutex_Lock(&kinds_mutex);
        if (Py_ONCEVAR(kinds) == NULL) {
            Py_ONCEVAR(kinds) = PySet_New(NULL);
        }
        PyMutex_Unlock(&kinds_mutex);
    }
    return Py_XNewRef(Py_ONCEVAR(kinds));
}

static PyMethodDef dcl_methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot dcl_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef dcl_module = {
    PyModuleDef_HEAD_INIT, "dcl", NULL, 0, dcl_methods, dcl_slots,
};

PyMODINIT_FUNC
PyInit_dcl(void)
{
    return PyModuleDef_Init(&dcl_module);
}
