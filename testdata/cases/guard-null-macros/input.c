/* Tests: NULL guards spelled through macros of the unit (breaker
 * or-guard-several v16, v22): a predicate macro whose expansion tests its
 * one argument (`((v) == NULL)`, `(NULL == (v))`, `(!(v))`, one through
 * another, negated as `!PRESENT(v)`), and an object-like macro for a null
 * pointer constant (`#define NIL ((PyObject *)0)`) compared with and
 * given as the declaration's initialiser. Controls: a macro that tests
 * more than its argument (`||`) is no NULL test, and one that compares
 * something else with NULL neither; their statics are set again at each
 * call (no site). */
#include <Python.h>

#define NIL ((PyObject *)0)
#define MISSING(v) ((v) == NULL)
#define ABSENT(v) (NULL == (v))
#define IS_NULL(o) (!(o))
#define UNSET(o) IS_NULL(o)
#define PRESENT(v) ((v) != NIL)

static PyObject *opener = NIL;                  /*~ OV101 opener */
static PyObject *closer = NIL;                  /*~ OV101 closer */

static PyObject *
wrap(PyObject *self, PyObject *arg)
{
    if (opener == NIL || closer == (PyObject *)0) {
        opener = PyUnicode_FromString("[");
        closer = PyUnicode_FromString("]");
        if (opener == NIL || closer == NIL)
            return NULL;
    }
    return PyUnicode_FromFormat("%U%U%U", opener, arg, closer);
}

static PyObject *k_x, *k_y;                     /*~ OV101 k_x */ /*~ OV101 k_y */

static PyObject *
point_keys(PyObject *self, PyObject *unused)
{
    if (MISSING(k_x) || ABSENT(k_y)) {
        k_x = PyUnicode_InternFromString("x");
        k_y = PyUnicode_InternFromString("y");
        if (k_x == NULL || k_y == NULL)
            return NULL;
    }
    return PyTuple_Pack(2, k_x, k_y);
}

static PyObject *
empty_tuple(PyObject *self, PyObject *unused)
{
    static PyObject *empty;                     /*~ OV101 empty */
    if (UNSET(empty)) {
        empty = PyTuple_New(0);
        if (UNSET(empty))
            return NULL;
    }
    return Py_NewRef(empty);
}

static PyObject *dot;                           /*~ OV101 dot */

static PyObject *
get_dot(PyObject *self, PyObject *unused)
{
    if (!PRESENT(dot)) {
        dot = PyUnicode_InternFromString(".");
        if (!PRESENT(dot))
            return NULL;
    }
    return Py_NewRef(dot);
}

/* Controls. */
static int expired;
#define STALE(v) ((v) == NULL || expired)
#define NO_TYPE(v) (Py_TYPE(v) == NULL)

static PyObject *refreshed, *typed;

static PyObject *
get_refreshed(PyObject *self, PyObject *unused)
{
    if (STALE(refreshed)) {
        Py_XSETREF(refreshed, PyDict_New());
        expired = 0;
    }
    if (NO_TYPE(typed))
        typed = PyList_New(0);
    return Py_BuildValue("(OO)", refreshed, typed);
}

static PyMethodDef methods[] = {
    {"wrap", wrap, METH_O, NULL},
    {"point_keys", point_keys, METH_NOARGS, NULL},
    {"empty_tuple", empty_tuple, METH_NOARGS, NULL},
    {"dot", get_dot, METH_NOARGS, NULL},
    {"refreshed", get_refreshed, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "nullmacros", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_nullmacros(void)
{
    return PyModuleDef_Init(&def);
}
