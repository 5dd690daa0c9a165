/* Tests: a safe fix that edits a line in a branch whose condition oncevar's
 * evaluator cannot decide (no compilation database: every name is unknown)
 * carries a note naming the innermost such directive and the first edited
 * line under it; the fix stays safe. A condition with a literal makes the
 * evaluator walk this unit. Controls: a branch that constants decide
 * (#if 1), a fix outside any branch, a site under the header's include
 * guard alone. */
#include <Python.h>
#include "cache.h"

#ifdef WITH_CACHE
static PyObject *cached_name = NULL;        /*~ OV101 cached_name */
#endif

static PyObject *
get_name(PyObject *self, PyObject *unused)
{
#ifdef WITH_CACHE
    if (cached_name == NULL) {
        cached_name = PyUnicode_FromString("name");
        if (cached_name == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(cached_name);
#else
    return PyUnicode_FromString("name");
#endif
}

/* Declared outside, filled only under an undecided test with a literal. */
static PyObject *level_str = NULL;          /*~ OV101 level_str */

static PyObject *
get_level(PyObject *self, PyObject *unused)
{
#if defined(FAST_PATH) && FAST_LEVEL > 1
    if (level_str == NULL) {
        level_str = PyUnicode_FromString("fast");
    }
    return Py_XNewRef(level_str);
#else
    return PyUnicode_FromString("slow");
#endif
}

/* An #else after an undecided #if is undecided too; a decided #if 1 inside
 * an undecided #ifndef names the #ifndef. */
#if HAVE_TABLES
static PyObject *table = NULL;              /*~ OV101 table */
#else
#  if 1
static PyObject *no_table = NULL;           /*~ OV101 no_table */
#  endif
#endif

static PyObject *
get_table(PyObject *self, PyObject *unused)
{
#if HAVE_TABLES
    if (table == NULL) {
        table = PyDict_New();
    }
    return Py_XNewRef(table);
#else
    if (no_table == NULL) {
        no_table = PyDict_New();
    }
    return Py_XNewRef(no_table);
#endif
}

/* Constants decide #if 1: no note. Outside any branch: no note. */
#if 1
static PyObject *always = NULL;             /*~ OV101 always */
#endif
static PyObject *plain = NULL;              /*~ OV101 plain */

static PyObject *
get_plain(PyObject *self, PyObject *unused)
{
#if 1
    if (always == NULL) {
        always = PyUnicode_FromString("always");
    }
#endif
    if (plain == NULL) {
        plain = PyUnicode_FromString("plain");
    }
    return PyTuple_Pack(3, plain, always, header_value());
}

static PyMethodDef methods[] = {
    {"get_name", get_name, METH_NOARGS, NULL},
    {"get_level", get_level, METH_NOARGS, NULL},
    {"get_table", get_table, METH_NOARGS, NULL},
    {"get_plain", get_plain, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "undecided", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_undecided(void)
{
    return PyModuleDef_Init(&module);
}
