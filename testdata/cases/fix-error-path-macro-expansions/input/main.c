/* Tests: a Py_DECREF of the cache followed by a macro of the unit that
 * leaves with an error is read through the macro's expansion: defined in
 * both branches of #ifdef Py_DEBUG (the path leaves the same way in each
 * build), two macro levels in a header, an object-like chain to a goto,
 * a comment inside a continued body, a logging `if` before the return,
 * a variadic macro, and error values that are object-like macros
 * (`return ERR_RC;`, `int rc = STATUS_ERROR;` ... `return rc;`). Each key
 * stays owning, safe. Controls: a macro whose branches leave differently
 * (NULL in one build, Py_None in the other) and one that returns a value
 * oncevar cannot read (a global of another file) stay unsafe; a macro that
 * leaves only under its own condition borrows, as before. */
#include <Python.h>
#include "errs.h"

#ifdef Py_DEBUG
#define FAIL() do { fprintf(stderr, "fail at %d\n", __LINE__); return NULL; } while (0)
#else
#define FAIL() return NULL
#endif

#ifdef Py_DEBUG
#define BAIL() return NULL
#else
#define BAIL() return Py_None
#endif

#define FAIL_LOG(v) do { if (v) { fputs("failed\n", stderr); } return NULL; } while (0)
#define STATUS_ERROR -1
#define STATUS_OK 0
#define NULL_OBJ ((PyObject *)NULL)
#define RETURN_IF(c) if (c) return NULL
extern PyObject *ERR_FROM_ELSEWHERE;
#define RETURN_ELSEWHERE() return ERR_FROM_ELSEWHERE

static PyObject *two_branches = NULL;   /*~ OV101 two_branches */
static PyObject *two_levels = NULL;     /*~ OV101 two_levels */
static PyObject *chained = NULL;        /*~ OV101 chained */
static PyObject *commented = NULL;      /*~ OV101 commented */
static PyObject *logging = NULL;        /*~ OV101 logging */
static PyObject *variadic = NULL;       /*~ OV101 variadic */
static PyObject *null_obj = NULL;       /*~ OV101 null_obj */
static PyObject *int_macro = NULL;      /*~ OV101 int_macro */
static PyObject *status = NULL;         /*~ OV101 status */
static PyObject *disagree = NULL;       /*~ OV101 disagree */
static PyObject *elsewhere = NULL;      /*~ OV101 elsewhere */
static PyObject *only_if = NULL;        /*~ OV101 only_if */

static PyObject *
first(PyObject *self, PyObject *arg)
{
    if (two_branches == NULL) {
        two_branches = PyUnicode_FromString("a");
        if (two_branches == NULL)
            return NULL;
        if (!PyUnicode_Check(arg)) {
            Py_DECREF(two_branches);
            FAIL();
        }
    }
    return PyUnicode_Concat(two_branches, arg);
}

static PyObject *
second(PyObject *self, PyObject *arg)
{
    if (two_levels == NULL) {
        two_levels = PyUnicode_FromString("b");
        if (two_levels == NULL)
            return NULL;
        if (PyObject_Length(arg) > 100) {
            Py_DECREF(two_levels);
            RAISE_NULL("argument too long");
        }
    }
    return PyUnicode_Concat(two_levels, arg);
}

static PyObject *
third(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (chained == NULL) {
        chained = PyUnicode_FromString("c");
        if (chained == NULL)
            GO_ERROR;
        if (PyErr_WarnEx(PyExc_UserWarning, "first", 1) < 0) {
            Py_DECREF(chained);
            GO_ERROR;
        }
    }
    res = PyTuple_Pack(2, chained, arg);
error:
    return res;
}

static PyObject *
fourth(PyObject *self, PyObject *arg)
{
    if (commented == NULL) {
        commented = PyUnicode_FromString("d");
        if (commented == NULL)
            FAIL_NULL();
        if (PyErr_WarnEx(PyExc_UserWarning, "first", 1) < 0) {
            Py_DECREF(commented);
            FAIL_NULL();
        }
    }
    return PyTuple_Pack(2, commented, arg);
}

static PyObject *
fifth(PyObject *self, PyObject *arg)
{
    if (logging == NULL) {
        logging = PyUnicode_FromString("e");
        if (logging == NULL)
            return NULL;
        if (PyErr_WarnEx(PyExc_UserWarning, "first", 1) < 0) {
            Py_DECREF(logging);
            FAIL_LOG(PyErr_Occurred());
        }
    }
    return PyTuple_Pack(2, logging, arg);
}

static PyObject *
sixth(PyObject *self, PyObject *arg)
{
    if (variadic == NULL) {
        variadic = PyUnicode_FromString("f");
        if (variadic == NULL)
            return NULL;
        if (PyErr_WarnEx(PyExc_UserWarning, "first", 1) < 0) {
            Py_DECREF(variadic);
            FAILV("%s failed at %d\n", "sixth", 1);
        }
    }
    return PyTuple_Pack(2, variadic, arg);
}

static PyObject *
seventh(PyObject *self, PyObject *arg)
{
    if (null_obj == NULL) {
        null_obj = PyUnicode_FromString("g");
        if (null_obj == NULL)
            return NULL_OBJ;
        if (PyErr_WarnEx(PyExc_UserWarning, "first", 1) < 0) {
            Py_DECREF(null_obj);
            return NULL_OBJ;
        }
    }
    return PyTuple_Pack(2, null_obj, arg);
}

static int
add_int_macro(PyObject *dict)
{
    if (int_macro == NULL) {
        int_macro = PyUnicode_FromString("h");
        if (int_macro == NULL)
            return ERR_RC;
        if (PyDict_Size(dict) > 100) {
            Py_DECREF(int_macro);
            RAISE_INT("dict too big");
        }
    }
    return PyDict_SetItemString(dict, "h", int_macro);
}

static int
add_status(PyObject *dict)
{
    int rc = STATUS_ERROR;

    if (status == NULL) {
        status = PyUnicode_FromString("i");
        if (status == NULL)
            goto done;
        if (PyErr_WarnEx(PyExc_UserWarning, "first", 1) < 0) {
            Py_DECREF(status);
            goto done;
        }
    }
    if (PyDict_SetItemString(dict, "i", status) < 0)
        goto done;
    rc = STATUS_OK;
done:
    return rc;
}

static PyObject *
control_disagree(PyObject *self, PyObject *arg)
{
    if (disagree == NULL) {
        disagree = PyUnicode_FromString("j");
        if (disagree == NULL)
            return NULL;
        if (!PyUnicode_Check(arg)) {
            Py_DECREF(disagree);
            BAIL();
        }
    }
    return PyUnicode_Concat(disagree, arg);
}

static PyObject *
control_elsewhere(PyObject *self, PyObject *arg)
{
    if (elsewhere == NULL) {
        elsewhere = PyUnicode_FromString("k");
        if (elsewhere == NULL)
            return NULL;
        if (!PyUnicode_Check(arg)) {
            Py_DECREF(elsewhere);
            RETURN_ELSEWHERE();
        }
    }
    return PyUnicode_Concat(elsewhere, arg);
}

static PyObject *
control_only_if(PyObject *self, PyObject *arg)
{
    if (only_if == NULL) {
        only_if = PyUnicode_FromString("l");
        if (only_if == NULL)
            return NULL;
        if (!PyUnicode_Check(arg)) {
            Py_DECREF(only_if);
            RETURN_IF(PyErr_Occurred());
        }
    }
    return PyUnicode_Concat(only_if, arg);
}

static PyObject *
joined(PyObject *self, PyObject *arg)
{
    if (add_int_macro(arg) < 0 || add_status(arg) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"first", first, METH_O, NULL},
    {"second", second, METH_O, NULL},
    {"third", third, METH_O, NULL},
    {"fourth", fourth, METH_O, NULL},
    {"fifth", fifth, METH_O, NULL},
    {"sixth", sixth, METH_O, NULL},
    {"seventh", seventh, METH_O, NULL},
    {"joined", joined, METH_O, NULL},
    {"control_disagree", control_disagree, METH_O, NULL},
    {"control_elsewhere", control_elsewhere, METH_O, NULL},
    {"control_only_if", control_only_if, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "expansions", NULL, 0, methods, slots};
PyMODINIT_FUNC PyInit_expansions(void) { return PyModuleDef_Init(&def); }
