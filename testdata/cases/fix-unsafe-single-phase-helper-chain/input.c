/* Tests: statics filled (under a NULL guard) in helpers that a single-phase
 * module init reaches (m_size -1): directly, two calls deep, through a
 * function-like macro of the file, and through a function pointer handed to
 * another helper. The init runs once per process: a later interpreter gets
 * a copy of the first one's module dict and never runs it, so each fix is
 * unsafe and its reason names the path from PyInit_chain. A lazy cache that
 * only a method fills stays safe, even when the init reads it. */
#include <Python.h>

#define ADD_CONSTANTS(m) add_constants(m)

static PyObject *ChainError = NULL;     /*~ OV101 ChainError */
static PyObject *str_name = NULL;       /*~ OV101 str_name */
static PyObject *default_tuple = NULL;  /*~ OV101 default_tuple */
static PyObject *version_info = NULL;   /*~ OV101 version_info */
static PyObject *call_cache = NULL;     /*~ OV101 call_cache */

static PyObject *
make_error(void)
{
    if (ChainError == NULL) {
        ChainError = PyErr_NewException("chain.ChainError", NULL, NULL);
    }
    return ChainError;
}

static int
add_types(PyObject *m)
{
    PyObject *error = make_error();
    if (error == NULL) {
        return -1;
    }
    Py_INCREF(error);
    if (PyModule_AddObject(m, "ChainError", error) < 0) {
        Py_DECREF(error);
        return -1;
    }
    return 0;
}

static int
add_constants(PyObject *m)
{
    if (default_tuple == NULL) {
        default_tuple = PyTuple_New(0);
        if (default_tuple == NULL) {
            return -1;
        }
    }
    return PyModule_AddObject(m, "EMPTY", Py_NewRef(default_tuple));
}

static int
add_version(PyObject *m)
{
    if (!version_info) {
        version_info = Py_BuildValue("(ii)", 1, 0);
    }
    return version_info ? PyModule_AddObject(m, "version", Py_NewRef(version_info)) : -1;
}

static int
run_step(int (*step)(PyObject *), PyObject *m)
{
    return step(m);
}

static PyObject *
name_of(PyObject *self, PyObject *obj)
{
    if (str_name == NULL) {
        str_name = PyUnicode_InternFromString("__name__");
        if (str_name == NULL) {
            return NULL;
        }
    }
    return PyObject_GetAttr(obj, str_name);
}

static PyObject *
call(PyObject *self, PyObject *callable)
{
    if (call_cache == NULL) {
        call_cache = PyDict_New();
        if (call_cache == NULL) {
            return NULL;
        }
    }
    return PyObject_CallOneArg(callable, call_cache);
}

static PyMethodDef chain_methods[] = {
    {"name_of", name_of, METH_O, NULL},
    {"call", call, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef chain_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "chain",
    .m_size = -1,
    .m_methods = chain_methods,
};

static PyObject *
setup(PyObject *m)
{
    if (add_types(m) < 0 || ADD_CONSTANTS(m) < 0 || run_step(add_version, m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    if (call_cache != NULL && PyModule_AddObject(m, "cache", Py_NewRef(call_cache)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

PyMODINIT_FUNC
PyInit_chain(void)
{
    PyObject *m = PyModule_Create2(&chain_module, PYTHON_API_VERSION);
    if (m == NULL) {
        return NULL;
    }
    return setup(m);
}
