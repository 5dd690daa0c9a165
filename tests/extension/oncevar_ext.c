/* A small extension module with one lazily initialised static cache per
 * guard form oncevar rewrites. tests/extension.rs builds it, tests it,
 * rewrites it with `oncevar check --fix`, rebuilds it and tests it again;
 * under a debug build it also counts the references left at exit. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* file scope, `v == NULL` guard */
static PyObject *str_hello = NULL;
/* released in m_free: OV102 */
static PyObject *registry = NULL;
/* initialised through its address */
static PyObject *json_dumps = NULL;

static PyObject *
hello(PyObject *module, PyObject *unused)
{
    if (str_hello == NULL) {
        str_hello = PyUnicode_InternFromString("hello");
        if (str_hello == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(str_hello);
}

static PyObject *
empty(PyObject *module, PyObject *unused)
{
    /* block scope, fused guard `!v && !(v = f())` */
    static PyObject *empty_tuple = NULL;
    if (!empty_tuple && !(empty_tuple = PyTuple_New(0))) {
        return NULL;
    }
    return Py_NewRef(empty_tuple);
}

static PyObject *
json_module(PyObject *module, PyObject *unused)
{
    /* early return `if (v) return v;` */
    static PyObject *json = NULL;
    if (json) {
        return Py_NewRef(json);
    }
    json = PyImport_ImportModule("json");
    return Py_XNewRef(json);
}

static int
load_attr(const char *module, const char *name, PyObject **out)
{
    PyObject *m = PyImport_ImportModule(module);
    if (m == NULL) {
        return -1;
    }
    *out = PyObject_GetAttrString(m, name);
    Py_DECREF(m);
    return *out == NULL ? -1 : 0;
}

static PyObject *
dumps(PyObject *module, PyObject *obj)
{
    if (json_dumps == NULL && load_attr("json", "dumps", &json_dumps) < 0) {
        return NULL;
    }
    return PyObject_CallOneArg(json_dumps, obj);
}

static PyObject *
builtin_len(PyObject *module, PyObject *obj)
{
    /* a borrowed reference: the rewrite must store a strong one */
    static PyObject *len = NULL;
    if (len == NULL) {
        len = PyDict_GetItemString(PyEval_GetBuiltins(), "len");
        if (len == NULL) {
            PyErr_SetString(PyExc_RuntimeError, "no builtins.len");
            return NULL;
        }
    }
    return PyObject_CallOneArg(len, obj);
}

static PyObject *
new_list(PyObject *module, PyObject *unused)
{
    /* a borrowed static type: the rewrite stores a strong reference */
    static PyTypeObject *list_type = NULL;
    if (list_type == NULL) {
        list_type = &PyList_Type;
    }
    return PyObject_CallNoArgs((PyObject *)list_type);
}

static PyObject *
big(PyObject *module, PyObject *unused)
{
    /* ternary */
    static PyObject *million = NULL;
    PyObject *r = million ? million : (million = PyLong_FromLong(1000000));
    return Py_XNewRef(r);
}

static PyObject *
registry_dict(PyObject *module, PyObject *unused)
{
    if (registry == NULL) {
        registry = PyDict_New();
        if (registry == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(registry);
}

/* A look-alike that stays: state replaced on every call, not a cache. */
static PyObject *last_seen = NULL;

static PyObject *
remember(PyObject *module, PyObject *obj)
{
    Py_XSETREF(last_seen, Py_NewRef(obj));
    Py_RETURN_NONE;
}

static PyObject *
exercise(PyObject *module, PyObject *unused)
{
    PyObject *(*calls[])(PyObject *, PyObject *) = {hello, empty, json_module, new_list, big,
                                                    registry_dict};
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        PyObject *r = calls[i](module, NULL);
        if (r == NULL) {
            return NULL;
        }
        Py_DECREF(r);
    }
    PyObject *list = PyList_New(3);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < 3; i++) {
        PyList_SET_ITEM(list, i, PyLong_FromSsize_t(i));
    }
    PyObject *n = builtin_len(module, list);
    PyObject *s = n ? dumps(module, list) : NULL;
    Py_DECREF(list);
    Py_XDECREF(n);
    if (s == NULL) {
        return NULL;
    }
    Py_DECREF(s);
    Py_RETURN_NONE;
}

static void
ext_free(void *module)
{
    Py_CLEAR(registry);
}

static PyMethodDef ext_methods[] = {
    {"hello", hello, METH_NOARGS, NULL},
    {"empty", empty, METH_NOARGS, NULL},
    {"json_module", json_module, METH_NOARGS, NULL},
    {"dumps", dumps, METH_O, NULL},
    {"builtin_len", builtin_len, METH_O, NULL},
    {"new_list", new_list, METH_NOARGS, NULL},
    {"big", big, METH_NOARGS, NULL},
    {"registry", registry_dict, METH_NOARGS, NULL},
    {"remember", remember, METH_O, NULL},
    {"exercise", exercise, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot ext_slots[] = {
    {0, NULL},
};

static struct PyModuleDef ext_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "oncevar_ext",
    .m_size = 0,
    .m_methods = ext_methods,
    .m_slots = ext_slots,
    .m_free = ext_free,
};

PyMODINIT_FUNC
PyInit_oncevar_ext(void)
{
    return PyModuleDef_Init(&ext_module);
}
