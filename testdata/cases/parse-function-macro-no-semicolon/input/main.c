/* Tests: a macro that defines a function, used at file scope without a
 * `;` after it (macro-param-same-name v7), does not swallow the function
 * that follows: tree-sitter read `DEF_GETTER(alpha)` as the start of the
 * next declaration, and the lazy statics of the functions after it were
 * lost in parse errors. The file's macro on two lines in a row, a
 * header's macro over several lines with two arguments' worth of pasting,
 * and an indented use. */
#include <Python.h>
#include "defs.h"

static PyObject *lookup(const char *name) { return PyUnicode_FromString(name); }

#define DEF_GETTER(func) \
    static PyObject *get_##func(void) { return lookup(#func); }
#define DEF_PAIR(a, b) static int a##_##b(void) { return 0; }

DEF_GETTER(alpha)
DEF_GETTER(beta)

static PyObject *
get_clock(PyObject *self, PyObject *unused)
{
    static PyObject *func = NULL;       /*~ OV101 func */
    if (func == NULL) {
        func = get_alpha();
        if (func == NULL)
            return NULL;
    }
    (void)get_beta;
    return Py_NewRef(func);
}

DEFINE_IDENTITY(clock)

static PyObject *
get_names(PyObject *self, PyObject *unused)
{
    static PyObject *names = NULL;      /*~ OV101 names */
    if (names == NULL && (names = PyList_New(0)) == NULL)
        return NULL;
    return Py_NewRef(names);
}

  DEF_PAIR(left, right)

static PyObject *
get_zero(PyObject *self, PyObject *unused)
{
    static PyObject *zero = NULL;       /*~ OV101 zero */
    if (zero == NULL && (zero = PyLong_FromLong(left_right())) == NULL)
        return NULL;
    (void)clock_identity;
    return Py_NewRef(zero);
}
