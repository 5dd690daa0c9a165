/* Tests: a single-phase init (m_size -1, the module created by a helper)
 * that runs its steps through a table of function pointers of the unit: a
 * lazy exception created in one of those steps is set once per process,
 * so its fix is unsafe and names the path through the table. A lazy
 * static of a method stays safe. */
#include <Python.h>

static PyObject *Error = NULL;      /*~ OV101 Error */
static PyObject *empty = NULL;      /*~ OV101 empty */

static PyObject *
fail(PyObject *self, PyObject *unused)
{
    if (empty == NULL) {
        empty = PyTuple_New(0);
        if (empty == NULL) {
            return NULL;
        }
    }
    PyErr_SetObject(Error, empty);
    return NULL;
}

static PyMethodDef methods[] = {
    {"fail", fail, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "steps", NULL, -1, methods
};

static PyObject *
make_module(void)
{
    return PyModule_Create(&def);
}

static int
init_errors(PyObject *module)
{
    if (!Error) {
        Error = PyErr_NewException("steps.Error", PyExc_ValueError, NULL);
        if (!Error) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(module, "Error", Error);
}

typedef int (*init_step)(PyObject *);

static init_step steps[] = {init_errors, NULL};

PyMODINIT_FUNC
PyInit_steps(void)
{
    PyObject *module = make_module();
    init_step *step;
    if (module == NULL) {
        return NULL;
    }
    for (step = steps; *step != NULL; step++) {
        if ((*step)(module) < 0) {
            Py_DECREF(module);
            return NULL;
        }
    }
    return module;
}
