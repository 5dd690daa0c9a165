/* Tests: a function that returns nothing has no error value, so no exit
 * of it says whether the path after the drop failed: a tp_finalize that
 * reports its error with PyErr_WriteUnraisable and jumps to its end, a
 * warm-up helper that clears the error and returns, a helper whose drop
 * runs off the end. Each is unknown (unsafe, with the reason). Before,
 * every exit of a void function was a success: the drops were read as
 * giving the reference away, and the keys borrowed (the realworld leak
 * kept, safe). */
#include <Python.h>

static PyObject *close_name = NULL;    /*~ OV101 close_name */
static PyObject *fmt = NULL;           /*~ OV101 fmt */
static PyObject *falls_off = NULL;     /*~ OV101 falls_off */
static PyObject *int_control = NULL;   /*~ OV101 int_control */

static PyObject *fmt_user;
static PyObject *falls_off_user;

static void
res_finalize(PyObject *self)
{
    PyObject *et, *ev, *tb;
    PyObject *r;

    PyErr_Fetch(&et, &ev, &tb);
    if (close_name == NULL) {
        close_name = PyUnicode_InternFromString("close");
        if (close_name == NULL) {
            PyErr_WriteUnraisable(self);
            goto done;
        }
        if (PyErr_WarnEx(PyExc_ResourceWarning, "unclosed resource", 1) < 0) {
            Py_DECREF(close_name);
            PyErr_WriteUnraisable(self);
            goto done;
        }
    }
    r = PyObject_CallMethodNoArgs(self, close_name);
    if (r == NULL)
        PyErr_WriteUnraisable(self);
    Py_XDECREF(r);
done:
    PyErr_Restore(et, ev, tb);
}

static void
warm_fmt(void)
{
    if (fmt == NULL) {
        fmt = PyUnicode_FromString("%s=%r");
        if (fmt == NULL) {
            PyErr_Clear();
            return;
        }
        if (PyErr_WarnEx(PyExc_UserWarning, "warming", 1) < 0) {
            Py_DECREF(fmt);
            PyErr_Clear();
            return;
        }
    }
    fmt_user = fmt;
}

static void
warm_falls_off(void)
{
    if (falls_off == NULL) {
        falls_off = PyUnicode_FromString("x");
        if (falls_off != NULL && PyErr_WarnEx(PyExc_UserWarning, "x", 1) < 0) {
            Py_DECREF(falls_off);
            PyErr_Print();
        }
    }
    falls_off_user = falls_off;
}

/* Control: an int function's -1 is its error value. */
static int
warm_int(void)
{
    if (int_control == NULL) {
        int_control = PyUnicode_FromString("y");
        if (int_control == NULL)
            return -1;
        if (PyErr_WarnEx(PyExc_UserWarning, "y", 1) < 0) {
            Py_DECREF(int_control);
            return -1;
        }
    }
    return 0;
}

static PyObject *
warm(PyObject *self, PyObject *unused)
{
    warm_fmt();
    warm_falls_off();
    if (warm_int() < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyType_Slot res_slots[] = {
    {Py_tp_finalize, res_finalize},
    {0, NULL}};
static PyType_Spec res_spec = {"voidfn.Res", sizeof(PyObject), 0,
                               Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, res_slots};

static int
voidfn_exec(PyObject *m)
{
    PyObject *t = PyType_FromModuleAndSpec(m, &res_spec, NULL);
    int rc;

    if (t == NULL)
        return -1;
    rc = PyModule_AddObjectRef(m, "Res", t);
    Py_DECREF(t);
    return rc;
}

static PyMethodDef methods[] = {{"warm", warm, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {{Py_mod_exec, voidfn_exec}, {0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "voidfn", NULL, 0, methods, slots};
PyMODINIT_FUNC PyInit_voidfn(void) { return PyModuleDef_Init(&def); }
