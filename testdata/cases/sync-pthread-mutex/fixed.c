/* Tests: in a module without the GIL, guard and write between
 * pthread_mutex_lock and pthread_mutex_unlock -> synchronised: OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#if PY_VERSION_HEX < 0x030D0000   /* stand-ins for older headers */
#define Py_mod_gil 4
#define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

#include <pthread.h>

static pthread_mutex_t pattern_mutex = PTHREAD_MUTEX_INITIALIZER;
Py_ONCEVAR_DECLARE(PyObject *, pattern);   /*~ OV101 pattern */

static PyObject *
get(PyObject *self, PyObject *unused)
{
    PyObject *result;
    pthread_mutex_lock(&pattern_mutex);
    if (Py_ONCEVAR(pattern) == NULL) {
        Py_ONCEVAR(pattern) = PyUnicode_FromString("[a-z]+");
    }
    result = Py_XNewRef(Py_ONCEVAR(pattern));
    pthread_mutex_unlock(&pattern_mutex);
    return result;
}

static PyMethodDef pmutexed_methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot pmutexed_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef pmutexed_module = {
    PyModuleDef_HEAD_INIT, "pmutexed", NULL, 0, pmutexed_methods, pmutexed_slots,
};

PyMODINIT_FUNC
PyInit_pmutexed(void)
{
    return PyModuleDef_Init(&pmutexed_module);
}
