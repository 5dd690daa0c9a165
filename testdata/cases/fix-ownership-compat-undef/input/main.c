/* Tests: `#undef` ends a macro's definition (C11 6.10.3.5). A header's
 * Python 2 default, undefined and defined again under `#if
 * PY_MAJOR_VERSION >= 3` (TEXT_FROM) or unconditionally (NAME_FROM), and
 * the same in this file with `#if PY_VERSION_HEX >= 0x03000000`
 * (LIST_NEW): the first definition is none of the macro's meanings, so
 * each store is a new reference and the key owns it, safe (on a52e324
 * all three were unsafe: "expands to code where PyString_FromString is
 * called"). Control: the redefinition under `#ifdef Py_DEBUG` leaves the
 * first (borrowed) spelling live in other builds: the fix stays unsafe. */
#include <Python.h>
#include "compat.h"

#define LIST_NEW(n) PySys_GetObject("argv")
#if PY_VERSION_HEX >= 0x03000000
#undef LIST_NEW
#define LIST_NEW(n) PyList_New(n)
#endif

#define DEBUG_TEXT(s) PySys_GetObject(s)
#ifdef Py_DEBUG
#undef DEBUG_TEXT
#define DEBUG_TEXT(s) PyUnicode_FromString(s)
#endif

static PyObject *text = NULL;    /*~ OV101 text */
static PyObject *name = NULL;    /*~ OV101 name */
static PyObject *list = NULL;    /*~ OV101 list */
static PyObject *debug = NULL;   /*~ OV101 debug */

static PyObject *
get(PyObject *self, PyObject *arg)
{
    if (text == NULL) {
        text = TEXT_FROM("t");
        if (text == NULL)
            return NULL;
    }
    if (name == NULL) {
        name = NAME_FROM("n");
        if (name == NULL)
            return NULL;
    }
    if (list == NULL) {
        list = LIST_NEW(0);
        if (list == NULL)
            return NULL;
    }
    if (debug == NULL) {
        debug = DEBUG_TEXT("d");
        if (debug == NULL)
            return NULL;
    }
    return PyTuple_Pack(4, text, name, list, debug);
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "undefs", NULL, 0, methods, slots};
PyMODINIT_FUNC PyInit_undefs(void) { return PyModuleDef_Init(&def); }
