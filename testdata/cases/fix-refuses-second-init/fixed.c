/* Tests: a static that refuses a second initialisation with an exception
 * and is emptied only at teardown (m_clear) is a cache, not per-operation
 * state: OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, config_error);   /*~ OV102 config_error */

static int
config_setup(PyObject *module)
{
    if (Py_ONCEVAR(config_error) != NULL) {
        PyErr_SetString(PyExc_ImportError, "the module cannot be set up twice");
        return -1;
    }
    Py_ONCEVAR(config_error) = PyErr_NewException("config.Error", NULL, NULL);
    if (Py_ONCEVAR(config_error) == NULL) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "Error", Py_ONCEVAR(config_error));
}

static int
config_clear(PyObject *module)
{
    Py_CLEAR(Py_ONCEVAR(config_error));
    return 0;
}
