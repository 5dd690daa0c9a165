/* Every code once, one site accepted by a suppression comment, and one
 * suppression that accepts nothing (reported with --report-unused-ignores). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *SpamError;
static PyObject *json_dumps = NULL;
static char *scratch = NULL;

/* oncevar: ignore[OV101] -- interned once per process on purpose */
static PyObject *interned_empty = NULL;

static PyObject *
spam_dumps(PyObject *self, PyObject *obj)
{
    static PyObject *separators = NULL;  // oncevar: ignore[OV102]
    if (separators == NULL) {
        separators = Py_BuildValue("(ss)", ",", ":");
        if (separators == NULL) {
            return NULL;
        }
    }
    if (json_dumps == NULL) {
        PyObject *json = PyImport_ImportModule("json");
        if (json == NULL) {
            return NULL;
        }
        json_dumps = PyObject_GetAttrString(json, "dumps");
        Py_DECREF(json);
        if (json_dumps == NULL) {
            return NULL;
        }
    }
    return PyObject_CallFunction(json_dumps, "OO", obj, separators);
}

static PyObject *
spam_empty(PyObject *self, PyObject *unused)
{
    if (interned_empty == NULL) {
        interned_empty = PyUnicode_InternFromString("");
    }
    return Py_NewRef(interned_empty);
}

static PyObject *
spam_scratch(PyObject *self, PyObject *unused)
{
    if (scratch == NULL) {
        scratch = PyMem_Malloc(64);
        if (scratch == NULL) {
            return PyErr_NoMemory();
        }
    }
    return PyLong_FromVoidPtr(scratch);
}

static void
spam_free(void *module)
{
    Py_CLEAR(json_dumps);
}

static PyMethodDef spam_methods[] = {
    {"dumps", spam_dumps, METH_O, NULL},
    {"empty", spam_empty, METH_NOARGS, NULL},
    {"scratch", spam_scratch, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef spammodule = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spam",
    .m_size = 0,
    .m_methods = spam_methods,
    .m_free = spam_free,
};

PyMODINIT_FUNC
PyInit_spam(void)
{
    PyObject *m = PyModule_Create(&spammodule);
    if (m == NULL) {
        return NULL;
    }
    SpamError = PyErr_NewException("spam.error", NULL, NULL);
    if (PyModule_AddObjectRef(m, "error", SpamError) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
