/* _speedups.c - C accelerators for the pure-Python "speedups" package. */
#include "../include/speedups.h"

static PyObject *SpeedupsError;
static PyObject *str_lower = NULL;
static PyObject *json_encoder = NULL;

/* Entities for escape_html; a constant table, indexed by character. */
static const char *const html_entities[] = {
    "&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", NULL,
};
static const char html_specials[] = "&<>\"'";

static PyObject *
escape_html(PyObject *module, PyObject *text)
{
    static PyObject *empty_str = NULL;
    PyObject *result, *tmp;

    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "escape_html() expects str");
        return NULL;
    }
    if (!empty_str) {
        empty_str = PyUnicode_New(0, 0);
        if (!empty_str) {
            return NULL;
        }
    }
    if (PyUnicode_GET_LENGTH(text) == 0) {
        return Py_NewRef(empty_str);
    }
    result = Py_NewRef(text);
    for (int i = 0; html_entities[i] != NULL; i++) {
        PyObject *needle = PyUnicode_FromStringAndSize(&html_specials[i], 1);
        PyObject *repl = PyUnicode_FromString(html_entities[i]);
        if (needle == NULL || repl == NULL) {
            Py_XDECREF(needle);
            Py_XDECREF(repl);
            Py_DECREF(result);
            return NULL;
        }
        tmp = PyUnicode_Replace(result, needle, repl, -1);
        Py_DECREF(needle);
        Py_DECREF(repl);
        Py_DECREF(result);
        if (tmp == NULL) {
            return NULL;
        }
        result = tmp;
    }
    return result;
}

/* "Pkg.Module.Name" -> "name": the lower-cased last dotted component. */
static PyObject *
casefold_key(PyObject *module, PyObject *name)
{
    PyObject *dot, *parts, *last, *key;

    if (str_lower == NULL) {
        str_lower = PyUnicode_InternFromString("lower");
        if (str_lower == NULL) {
            return NULL;
        }
    }
    dot = speedups_dot();   /* a local named like the header's static */
    if (dot == NULL) {
        return NULL;
    }
    parts = PyUnicode_RSplit(name, dot, 1);
    if (parts == NULL) {
        return NULL;
    }
    last = PyList_GET_ITEM(parts, PyList_GET_SIZE(parts) - 1);
    key = PyObject_CallMethodNoArgs(last, str_lower);
    Py_DECREF(parts);
    return key;
}

static PyObject *
encode_json(PyObject *module, PyObject *obj)
{
    if (json_encoder == NULL) {
        PyObject *json = PyImport_ImportModule("json");
        if (json == NULL) {
            return NULL;
        }
        json_encoder = PyObject_CallMethod(json, "JSONEncoder", NULL);
        Py_DECREF(json);
        if (json_encoder == NULL) {
            return NULL;
        }
    }
    return PyObject_CallMethod(json_encoder, "encode", "O", obj);
}

static PyObject *
memo_upper(PyObject *module, PyObject *key)
{
    PyObject *value = speedups_memo_get(key, PyObject_Str);
    if (value == NULL && !PyErr_Occurred()) {
        PyErr_SetObject(SpeedupsError, key);
    }
    return value;
}

static PyObject *
normalize_ws(PyObject *module, PyObject *text)
{
    return speedups_normalize_ws(text);
}

static PyMethodDef speedups_methods[] = {
    {"escape_html", escape_html, METH_O, "Escape &, <, >, \" and '."},
    {"casefold_key", casefold_key, METH_O, "Lower-cased lookup key."},
    {"encode_json", encode_json, METH_O, "json.dumps() with a shared encoder."},
    {"memo_upper", memo_upper, METH_O, "Memoised str()."},
    {"normalize_ws", normalize_ws, METH_O, "Runs of whitespace as one space."},
    {NULL, NULL, 0, NULL},
};

static void
speedups_free(void *module)
{
    Py_CLEAR(json_encoder);
    speedups_cache_fini();
}

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_speedups",
    .m_doc = "C accelerators for speedups.",
    .m_size = -1,
    .m_methods = speedups_methods,
    .m_free = speedups_free,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    PyObject *m = PyModule_Create(&speedups_module);
    if (m == NULL) {
        return NULL;
    }
    SpeedupsError = PyErr_NewException("_speedups.Error", PyExc_LookupError, NULL);
    if (SpeedupsError == NULL || PyModule_AddObjectRef(m, "Error", SpeedupsError) < 0
        || speedups_cache_exec(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
