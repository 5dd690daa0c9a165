/* Tests: a function-like macro named like a static (`#define func(x)
 * call_##x()`) is expanded only where a `(` follows the name, which no use
 * of the static spells: the declaration is the static's own name, and the
 * fix is safe (before session 13: unsafe, "`func` is a macro of this
 * translation unit").  Control: an object-like macro of that name
 * (`#define label label_text`) renames the declaration: unsafe. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define func(x) call_##x()
#define label label_text

static PyObject *call_clock(void) { return PyLong_FromLong(0); }

static PyObject *label = NULL;          /*~ OV101 label_text */

static PyObject *
get_clock(PyObject *self, PyObject *unused)
{
    static PyObject *func = NULL;       /*~ OV101 func */
    if (func == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        if (mod == NULL) {
            return NULL;
        }
        func = PyObject_GetAttrString(mod, "monotonic");
        Py_DECREF(mod);
        if (func == NULL) {
            return NULL;
        }
    }
    return PyObject_CallNoArgs(func);
}

static PyObject *
clock0(PyObject *self, PyObject *unused)
{
    return func(clock);                 /* the macro: `call_clock()` */
}

static PyObject *
get_label(PyObject *self, PyObject *unused)
{
    if (label == NULL) {
        label = PyUnicode_FromString("x");
        if (label == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(label);
}

#define wrapped(x) wrap_##x
static PyObject *wrapped = NULL;        /*~ OV101 wrapped */

static PyObject *
get_wrapped(PyObject *self, PyObject *unused)
{
    if (wrapped == NULL) {
        wrapped = PyUnicode_FromString("w");
        if (wrapped == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(wrapped);
}
