/* Tests: a borrowed value stored in a static and made strong by a function
 * of the file: one whose body increfs its parameter and hands it back,
 * called as a statement (hold, breaker's v21 shape); a void one (keep);
 * one that returns Py_NewRef of its parameter, its result dropped
 * (newref_of); a function called after the store that increfs the static
 * itself (remember_hook). Each slot owns what it holds as it is. A helper
 * that increfs its parameter and hands it back to a caller that keeps the
 * result (kept_elsewhere) cannot say who owns that reference: unsafe. A
 * helper that takes no reference (show) leaves the borrowed value to get
 * Py_XNewRef. */
#include <Python.h>

static PyObject *via_hold = NULL;        /*~ OV101 via_hold */
static PyObject *via_void = NULL;        /*~ OV101 via_void */
static PyObject *via_newref = NULL;      /*~ OV101 via_newref */
static PyObject *hook = NULL;            /*~ OV101 hook */
static PyObject *kept_elsewhere = NULL;  /*~ OV101 kept_elsewhere */
static PyObject *shown = NULL;           /*~ OV101 shown */
static PyObject *other;                  /*~ OV101 other */

static PyObject *
hold(PyObject *o)
{
    Py_INCREF(o);
    return o;
}

static void
keep(PyObject *obj)
{
    if (obj != NULL) {
        Py_INCREF(obj);
    }
}

static PyObject *
newref_of(PyObject *o)
{
    return Py_NewRef(o);
}

static void
remember_hook(void)
{
    Py_XINCREF(hook);
}

static int
show(PyObject *o)
{
    return PyObject_Print(o, stdout, 0);
}

static PyObject *
get(PyObject *self, PyObject *args)
{
    if (via_hold == NULL) {
        via_hold = PySys_GetObject("displayhook");
        if (via_hold == NULL) {
            Py_RETURN_NONE;
        }
        hold(via_hold);
    }
    if (via_void == NULL) {
        via_void = PySys_GetObject("excepthook");
        keep(via_void);
    }
    if (via_newref == NULL) {
        via_newref = PyTuple_GetItem(args, 0);
        if (via_newref == NULL) {
            return NULL;
        }
        newref_of(via_newref);
    }
    if (hook == NULL) {
        hook = PySys_GetObject("breakpointhook");
        remember_hook();
    }
    if (kept_elsewhere == NULL) {
        kept_elsewhere = PySys_GetObject("stdout");
        if (kept_elsewhere == NULL) {
            return NULL;
        }
        other = hold(kept_elsewhere);
    }
    if (shown == NULL) {
        shown = PySys_GetObject("stderr");
        if (shown != NULL && show(shown) < 0) {
            return NULL;
        }
    }
    return hold(via_hold);
}

static PyMethodDef methods[] = {
    {"get", get, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "incref_functions", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_incref_functions(void)
{
    return PyModuleDef_Init(&module);
}
