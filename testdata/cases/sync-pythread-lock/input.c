/* Tests: in a module without the GIL, guard and write between
 * PyThread_acquire_lock and PyThread_release_lock -> synchronised: OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

#include "pythread.h"
#include <pthread.h>

/* One lock for the process, made once (the fixture's own: it was never
 * allocated, and the first `get` acquired a NULL lock). */
static PyThread_type_lock registry_lock;
static pthread_once_t registry_lock_once = PTHREAD_ONCE_INIT;
static PyObject *registry;   /*~ OV101 registry */

static void
allocate_registry_lock(void)
{
    registry_lock = PyThread_allocate_lock();
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    PyObject *result;
    pthread_once(&registry_lock_once, allocate_registry_lock);
    if (registry_lock == NULL) {
        return PyErr_NoMemory();
    }
    PyThread_acquire_lock(registry_lock, WAIT_LOCK);
    if (registry == NULL) {
        registry = PyDict_New();
    }
    result = Py_XNewRef(registry);
    PyThread_release_lock(registry_lock);
    return result;
}

static PyMethodDef locked_methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot locked_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef locked_module = {
    PyModuleDef_HEAD_INIT, "locked", NULL, 0, locked_methods, locked_slots,
};

PyMODINIT_FUNC
PyInit_locked(void)
{
    return PyModuleDef_Init(&locked_module);
}
