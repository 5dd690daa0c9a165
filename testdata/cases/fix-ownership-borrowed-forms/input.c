/* Tests: values that are borrowed by their form or by CPython's reference
 * data, however they reach the store; an owning slot takes its own
 * reference (`Py_XNewRef`) around exactly the borrowed part, so a
 * destroyed interpreter never releases a reference it did not take. */
#include <Python.h>
#include <datetime.h>

/* A member read through a macro of the file. */
#define UTC_OF(api) ((api)->TimeZone_UTC)
/* A borrowing call through a macro of the file. */
#define OPTION(d, key) PyDict_GetItemString((d), (key))

static PyObject *utc = NULL;            /*~ OV101 utc */
static PyObject *utc_macro = NULL;      /*~ OV101 utc_macro */
static PyObject *utc_header = NULL;     /*~ OV101 utc_header */
static PyObject *sep = NULL;            /*~ OV101 sep */
static PyObject *builtins = NULL;       /*~ OV101 builtins */
static PyTypeObject *tuple_type = NULL; /*~ OV101 tuple_type */
static PyObject *error_type = NULL;     /*~ OV101 error_type */
static PyObject *fallback = NULL;       /*~ OV101 fallback */

/* A helper of the unit whose every return is borrowed (or NULL). */
static PyObject *
lookup_builtin(const char *name)
{
    PyObject *found = PyDict_GetItemString(PyEval_GetBuiltins(), name);
    if (found == NULL) {
        return NULL;
    }
    return found;
}

static PyObject *
get_utc(PyObject *self, PyObject *unused)
{
    if (utc == NULL) {
        PyDateTime_IMPORT;
        if (PyDateTimeAPI == NULL) {
            return NULL;
        }
        utc = PyDateTimeAPI->TimeZone_UTC;
    }
    if (utc_macro == NULL) {
        utc_macro = UTC_OF(PyDateTimeAPI);
    }
    if (utc_header == NULL) {
        utc_header = PyDateTime_TimeZone_UTC;
    }
    return Py_NewRef(utc);
}

static PyObject *
get_sep(PyObject *self, PyObject *options)
{
    if (sep == NULL) {
        sep = OPTION(options, "sep");
    }
    if (builtins == NULL) {
        builtins = lookup_builtin("len");
    }
    return Py_XNewRef(sep);
}

static PyObject *
get_types(PyObject *self, PyObject *arg)
{
    if (tuple_type == NULL) {
        tuple_type = (PyTypeObject *)&PyTuple_Type;
    }
    if (error_type == NULL) {
        error_type = PyExc_ValueError;
    }
    /* One arm new, one borrowed: only the borrowed arm takes a reference. */
    if (fallback == NULL) {
        fallback = arg == Py_None ? PyUnicode_FromString("-") : Py_None;
    }
    return Py_NewRef(fallback);
}
