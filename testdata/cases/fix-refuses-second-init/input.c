/* Tests: a static that refuses a second initialisation with an exception
 * and is emptied only at teardown (m_clear) is a cache, not per-operation
 * state: OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *config_error = NULL;   /*~ OV102 config_error */

static int
config_setup(PyObject *module)
{
    if (config_error != NULL) {
        PyErr_SetString(PyExc_ImportError, "the module cannot be set up twice");
        return -1;
    }
    config_error = PyErr_NewException("config.Error", NULL, NULL);
    if (config_error == NULL) {
        return -1;
    }
    return PyModule_AddObjectRef(module, "Error", config_error);
}

static int
config_clear(PyObject *module)
{
    Py_CLEAR(config_error);
    return 0;
}
