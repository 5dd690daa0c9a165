/* Tests: a lock taken around the guard but released before the write (and
 * a lock taken only after the guard) do not synchronise the site -> OV401. */
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

static PyMutex early_mutex;
Py_ONCEVAR_DECLARE(PyObject *, early);   /*~ OV401 early */
Py_ONCEVAR_DECLARE(PyObject *, late);    /*~ OV401 late */

static PyObject *
get(PyObject *self, PyObject *unused)
{
    int missing;
    PyMutex_Lock(&early_mutex);
    missing = Py_ONCEVAR(early) == NULL;
    PyMutex_Unlock(&early_mutex);
    if (Py_ONCEVAR_GET(early) == NULL) {
        Py_ONCEVAR_SET(early, PyList_New(0));
    }
    if (Py_ONCEVAR_GET(late) == NULL) {
        PyMutex_Lock(&early_mutex);
        Py_ONCEVAR_SET(late, PyList_New(0));
        PyMutex_Unlock(&early_mutex);
    }
    (void)missing;
    return Py_XNewRef(Py_ONCEVAR(early));
}

static PyMethodDef early_methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot early_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef early_module = {
    PyModuleDef_HEAD_INIT, "early", NULL, 0, early_methods, early_slots,
};

PyMODINIT_FUNC
PyInit_early(void)
{
    return PyModuleDef_Init(&early_module);
}
