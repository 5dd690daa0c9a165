/* Tests (look-alike, no finding): a static table of function pointers and
 * a lookup that checks entries against NULL.  Nothing is lazily created. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef PyObject *(*unary_op)(PyObject *);

static PyObject *op_neg(PyObject *o) { return PyNumber_Negative(o); }
static PyObject *op_pos(PyObject *o) { return PyNumber_Positive(o); }
static PyObject *op_abs(PyObject *o) { return PyNumber_Absolute(o); }

static unary_op unary_table[] = {op_neg, op_pos, op_abs, NULL};

static PyObject *(*invert_table[4])(PyObject *) = {
    PyNumber_Invert, NULL, NULL, NULL,
};

static PyObject *
apply_unary(PyObject *self, PyObject *args)
{
    int which;
    PyObject *value;
    if (!PyArg_ParseTuple(args, "iO", &which, &value)) {
        return NULL;
    }
    if (which < 0 || which >= 3 || unary_table[which] == NULL) {
        PyErr_SetString(PyExc_ValueError, "bad operator");
        return NULL;
    }
    if (which == 0 && invert_table[0] != NULL && PyLong_Check(value)) {
        return invert_table[0](value);
    }
    return unary_table[which](value);
}
