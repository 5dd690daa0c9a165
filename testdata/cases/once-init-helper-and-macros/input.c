/* Tests: statics set once while the module initialises are reported
 * (OV301) however the init is spelled and wherever the write sits: in a
 * helper that only the init reaches (directly, through a table of init
 * steps the init walks), with the init named by a function-like macro in
 * the declarator (`INIT_NAME(mod)(void)`). A static written by a helper
 * that a method also reaches is not set once. */
#include <Python.h>

#define INIT_NAME(n) PyInit_##n

static PyObject *loads = NULL;     /*~ OV301 loads */
static PyObject *dumps = NULL;     /*~ OV301 dumps */
static PyObject *version = NULL;   /*~ OV301 version */
static PyObject *last = NULL;

static PyObject *
pickle_attr(const char *name)
{
    PyObject *pickle = PyImport_ImportModule("pickle");
    PyObject *attr;
    if (pickle == NULL) {
        return NULL;
    }
    attr = PyObject_GetAttrString(pickle, name);
    Py_DECREF(pickle);
    return attr;
}

static int
grab_pickle(void)
{
    loads = pickle_attr("loads");
    dumps = pickle_attr("dumps");
    return (loads != NULL && dumps != NULL) ? 0 : -1;
}

static int
grab_version(void)
{
    version = PyUnicode_FromString("1.0");
    return version != NULL ? 0 : -1;
}

typedef int (*init_step)(void);
static init_step steps[] = {grab_version, NULL};

static int
remember(PyObject *value)
{
    Py_XSETREF(last, Py_NewRef(value));
    return 0;
}

static PyObject *
roundtrip(PyObject *self, PyObject *arg)
{
    PyObject *data = PyObject_CallOneArg(dumps, arg);
    PyObject *result;
    if (data == NULL) {
        return NULL;
    }
    result = PyObject_CallOneArg(loads, data);
    Py_DECREF(data);
    if (result != NULL && remember(result) < 0) {
        Py_CLEAR(result);
    }
    return result;
}

static PyMethodDef methods[] = {
    {"roundtrip", roundtrip, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "helpers", NULL, -1, methods
};

PyMODINIT_FUNC
INIT_NAME(helpers)(void)
{
    PyObject *module = PyModule_Create(&moduledef);
    init_step *step;
    if (module == NULL) {
        return NULL;
    }
    if (grab_pickle() < 0) {
        Py_DECREF(module);
        return NULL;
    }
    for (step = steps; *step != NULL; step++) {
        if ((*step)() < 0) {
            Py_DECREF(module);
            return NULL;
        }
    }
    if (remember(Py_None) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
