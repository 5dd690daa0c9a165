/* Functions the C runtime runs at unload or exit, after Py_FinalizeEx:
 * declared destructors directly, with a priority through a macro, by a
 * prototype; a cold function and a `destructor` return type are not. */
#include <Python.h>

#define AT_UNLOAD __attribute__((destructor(101)))
#define LATE AT_UNLOAD

static PyObject *plain;        /*~ OV101 plain */
static PyObject *by_macro;     /*~ OV101 by_macro */
static PyObject *by_prototype; /*~ OV101 by_prototype */
static PyObject *seldom;         /*~ OV101 seldom */
static PyObject *typed;        /*~ OV101 typed */

static PyObject *
get(PyObject *self, PyObject *unused)
{
    if (plain == NULL) {
        plain = PyUnicode_FromString("a");
    }
    if (by_macro == NULL) {
        by_macro = PyUnicode_FromString("b");
    }
    if (by_prototype == NULL) {
        by_prototype = PyUnicode_FromString("c");
    }
    if (seldom == NULL) {
        seldom = PyUnicode_FromString("d");
    }
    if (typed == NULL) {
        typed = PyUnicode_FromString("e");
    }
    return PyTuple_Pack(5, plain, by_macro, by_prototype, seldom, typed);
}

static void
cleanup(void)
{
    Py_XDECREF(plain);
}

static void __attribute__((destructor)) on_unload(void)
{
    cleanup();
}

static void LATE
on_unload_late(void)
{
    Py_XDECREF(by_macro);
}

static void forget(void) __attribute__((__destructor__));

static void
forget(void)
{
    Py_XDECREF(by_prototype);
}

static void __attribute__((cold))
rarely(PyObject *self)
{
    Py_XDECREF(seldom);
}

static void
dealloc_typed(PyObject *self)
{
    Py_XDECREF(typed);
}

static destructor
pick(void)
{
    return NULL;
}

static PyObject *
use(PyObject *self, PyObject *unused)
{
    rarely(self);
    dealloc_typed(self);
    return PyLong_FromVoidPtr((void *)pick());
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {"use", use, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "dtor", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_dtor(void)
{
    return PyModuleDef_Init(&def);
}
