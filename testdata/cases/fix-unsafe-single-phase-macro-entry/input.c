/* Tests: the module init written through the Python 2/3 compatibility
 * macros (MOD_INIT defined for both versions, MOD_DEF creating the module),
 * with the exception made by a helper it calls. The init is single-phase
 * with m_size -1, so the fix of the helper's static is unsafe and its
 * reason names the path; the module-level statics it sets without a guard
 * are OV301. A cache filled only by a method stays safe. */
#include <Python.h>

#if PY_MAJOR_VERSION >= 3
#define MOD_ERROR_VAL NULL
#define MOD_SUCCESS_VAL(val) val
#define MOD_INIT(name) PyMODINIT_FUNC PyInit_##name(void)
#define MOD_DEF(ob, name, doc, methods) \
    static struct PyModuleDef moduledef = { \
        PyModuleDef_HEAD_INIT, name, doc, -1, methods, }; \
    ob = PyModule_Create(&moduledef);
#else
#define MOD_ERROR_VAL
#define MOD_SUCCESS_VAL(val)
#define MOD_INIT(name) void init##name(void)
#define MOD_DEF(ob, name, doc, methods) \
    ob = Py_InitModule3(name, methods, doc);
#endif

static PyObject *CompatError;            /*~ OV101 CompatError */
static PyObject *json_loads;             /*~ OV301 json_loads */
static PyObject *seen = NULL;            /*~ OV101 seen */

static int
register_error(PyObject *m)
{
    if (!CompatError) {
        CompatError = PyErr_NewException("compat.Error", NULL, NULL);
        if (!CompatError) {
            return -1;
        }
    }
    Py_INCREF(CompatError);
    return PyModule_AddObject(m, "Error", CompatError);
}

static PyObject *
remember(PyObject *self, PyObject *obj)
{
    if (seen == NULL && (seen = PySet_New(NULL)) == NULL) {
        return NULL;
    }
    if (PySet_Add(seen, obj) < 0) {
        return NULL;
    }
    return PyObject_CallOneArg(json_loads, obj);
}

static PyMethodDef compat_methods[] = {
    {"remember", remember, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

MOD_INIT(compat)
{
    PyObject *m, *json;
    MOD_DEF(m, "compat", NULL, compat_methods)
    if (m == NULL) {
        return MOD_ERROR_VAL;
    }
    if (register_error(m) < 0) {
        return MOD_ERROR_VAL;
    }
    json = PyImport_ImportModule("json");
    if (json == NULL) {
        return MOD_ERROR_VAL;
    }
    if (!(json_loads = PyObject_GetAttrString(json, "loads"))) {
        Py_DECREF(json);
        return MOD_ERROR_VAL;
    }
    Py_DECREF(json);
    return MOD_SUCCESS_VAL(m);
}
