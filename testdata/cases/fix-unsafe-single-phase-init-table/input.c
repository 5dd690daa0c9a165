/* Tests: a single-phase init (m_size -1, the module created by a helper)
 * that runs its steps through a table of function pointers of the unit: a
 * lazy exception created in one of those steps is set once per process,
 * so its fix is unsafe and names the path through the table. A lazy
 * static of a method stays safe, and so does one of a function in the
 * table of exports the init hands to PyCapsule_New (CPython keeps the
 * pointer for other modules and calls nothing in it). */
#include <Python.h>

static PyObject *Error = NULL;      /*~ OV101 Error */
static PyObject *empty = NULL;      /*~ OV101 empty */
static PyObject *api_name = NULL;   /*~ OV101 api_name */

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

static PyObject *
api_get_name(void)
{
    if (api_name == NULL) {
        api_name = PyUnicode_FromString("steps");
    }
    return api_name;
}

static void *exports[] = {(void *)api_get_name, NULL};

typedef int (*init_step)(PyObject *);

static init_step steps[] = {init_errors, NULL};

PyMODINIT_FUNC
PyInit_steps(void)
{
    PyObject *module = make_module();
    PyObject *capsule;
    init_step *step;
    if (module == NULL) {
        return NULL;
    }
    capsule = PyCapsule_New((void *)exports, "steps._C_API", NULL);
    if (capsule == NULL || PyModule_AddObject(module, "_C_API", capsule) < 0) {
        Py_XDECREF(capsule);
        Py_DECREF(module);
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
