/* Tests: a macro defined in several #if branches is read from each
 * definition that some Python 3 build compiles. A branch that no Python 3
 * build compiles is none of its meanings: the #else of
 * `#if PY_MAJOR_VERSION >= 3`, `#if PY_MAJOR_VERSION < 3`,
 * `#if PY_VERSION_HEX < 0x03000000`, and, in a header, the branches of a
 * flag the project defines from PY_MAJOR_VERSION (`#ifndef IS_PY3K`,
 * `#if !PY3`): all safe, owning. Branches that a build may both compile
 * and that agree (a list or a tuple, both new) are safe too. Controls: two
 * branches of a build flag that disagree (borrowed, new) and a Python 3
 * branch that calls a function known nowhere stay unsafe. */
#include <Python.h>
#include "compat.h"

#if PY_MAJOR_VERSION >= 3
#  define TEXT_FROM(s) PyUnicode_FromString(s)
#else
#  define TEXT_FROM(s) PyString_FromString(s)
#endif

#if PY_MAJOR_VERSION < 3
#define INT_FROM PyInt_FromLong
#else
#define INT_FROM PyLong_FromLong
#endif

#if PY_VERSION_HEX < 0x03000000
#define NAME_FROM(s) PyString_InternFromString(s)
#else
#define NAME_FROM(s) PyUnicode_InternFromString(s)
#endif

#ifdef USE_LIST
#define EMPTY_SEQ() PyList_New(0)
#else
#define EMPTY_SEQ() PyTuple_New(0)
#endif

#ifdef USE_BORROWED
#define FIRST(s) PyTuple_GetItem((s), 0)
#else
#define FIRST(s) PySequence_GetItem((s), 0)
#endif

#if PY_MAJOR_VERSION >= 3
#define LABEL_FROM(s) project_label(s)
#else
#define LABEL_FROM(s) PyString_FromString(s)
#endif

extern PyObject *project_label(const char *s);

static PyObject *text;      /*~ OV101 text */
static PyObject *number;    /*~ OV101 number */
static PyObject *name;      /*~ OV101 name */
static PyObject *raw;       /*~ OV101 raw */
static PyObject *count;     /*~ OV101 count */
static PyObject *empty;     /*~ OV101 empty */
static PyObject *first;     /*~ OV101 first */
static PyObject *label;     /*~ OV101 label */

static PyObject *
values(PyObject *self, PyObject *arg)
{
    if (text == NULL && (text = TEXT_FROM("text")) == NULL)
        return NULL;
    if (number == NULL && (number = INT_FROM(1)) == NULL)
        return NULL;
    if (name == NULL && (name = NAME_FROM("name")) == NULL)
        return NULL;
    if (raw == NULL && (raw = BYTES_FROM("raw")) == NULL)
        return NULL;
    if (count == NULL && (count = NUM_FROM(2)) == NULL)
        return NULL;
    if (empty == NULL && (empty = EMPTY_SEQ()) == NULL)
        return NULL;
    if (first == NULL && (first = FIRST(arg)) == NULL)
        return NULL;
    if (label == NULL && (label = LABEL_FROM("label")) == NULL)
        return NULL;
    return PyTuple_Pack(8, text, number, name, raw, count, empty, first, label);
}

static PyMethodDef methods[] = {
    {"values", values, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "compat_branches", NULL, 0, methods
};

PyMODINIT_FUNC
PyInit_compat_branches(void)
{
    return PyModuleDef_Init(&def);
}
