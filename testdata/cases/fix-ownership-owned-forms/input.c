/* Tests: values that are provably new references, however they reach the
 * store: the owning slot keeps them as they are (no `Py_XNewRef`). */
#include <Python.h>

/* A new reference through a macro of the file. */
#define MAKE_NAME(s) PyUnicode_InternFromString(s)

static PyObject *json = NULL;       /*~ OV101 json */
static PyObject *name = NULL;       /*~ OV101 name */
static PyObject *called = NULL;     /*~ OV101 called */
static PyObject *strong = NULL;     /*~ OV101 strong */
static PyObject *either = NULL;     /*~ OV101 either */
static PyObject *increfed = NULL;   /*~ OV101 increfed */
static PyObject *nothing = NULL;    /*~ OV101 nothing */

/* A helper of the unit whose every return is new (or NULL), two deep. */
static PyObject *
import_json(void)
{
    return PyImport_ImportModule("json");
}

static PyObject *
load_json(int strict)
{
    PyObject *module;
    if (strict) {
        module = import_json();
        if (module == NULL) {
            return NULL;
        }
        return module;
    }
    return PyImport_ImportModule("simplejson");
}

static PyObject *
get(PyObject *self, PyObject *factory)
{
    if (json == NULL) {
        json = load_json(1);
    }
    if (name == NULL) {
        name = MAKE_NAME("name");
    }
    /* Listed in CPython 3.13's reference data only: that version decides. */
    if (called == NULL) {
        called = PyObject_CallNoArgs(factory);
    }
    if (strong == NULL) {
        strong = Py_XNewRef(PyDict_GetItemString(PyEval_GetBuiltins(), "len"));
    }
    if (either == NULL) {
        either = factory == Py_None ? PyLong_FromLong(0) : PyLong_FromLong(1);
    }
    if (increfed == NULL) {
        PyObject *item = PyTuple_GetItem(factory, 0);
        if (item == NULL) {
            return NULL;
        }
        Py_INCREF(item);
        increfed = item;
    }
    if (nothing == NULL) {
        nothing = PyErr_NoMemory();
    }
    return Py_XNewRef(json);
}
