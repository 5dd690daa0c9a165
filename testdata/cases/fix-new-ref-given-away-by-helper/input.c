/* Tests: a new reference given away other than by a direct stealing call
 * leaves the static borrowing: through a function of the unit that hands
 * its parameter to PyModule_AddObject (also two helpers deep), or to
 * another static by Py_XSETREF. The key then borrows
 * (Py_ONCEVAR_DECLARE_BORROWED). A helper that takes its own reference
 * (Py_INCREF) before handing it on steals nothing: that key owns. */
#include <Python.h>

static PyObject *Error;      /*~ OV101 Error */
static PyObject *Warning;    /*~ OV101 Warning */
static PyObject *Notice;     /*~ OV101 Notice */
static PyObject *label;      /*~ OV101 label */
static PyObject *other;      /*~ OV101 other */

static int
give(PyObject *m, const char *name, PyObject *o)
{
    return PyModule_AddObject(m, name, o);
}

static int
give_twice_removed(PyObject *m, const char *name, PyObject *value)
{
    return give(m, name, value);
}

static int
add_ref(PyObject *m, const char *name, PyObject *o)
{
    Py_INCREF(o);
    if (PyModule_AddObject(m, name, o) < 0) {
        Py_DECREF(o);
        return -1;
    }
    return 0;
}

static int
m_exec(PyObject *m)
{
    if (Error == NULL) {
        Error = PyErr_NewException("given.Error", NULL, NULL);
        if (Error == NULL) {
            return -1;
        }
        if (give(m, "Error", Error) < 0) {
            return -1;
        }
    }
    if (Warning == NULL) {
        Warning = PyErr_NewException("given.Warning", NULL, NULL);
        if (Warning == NULL) {
            return -1;
        }
        if (give_twice_removed(m, "Warning", Warning) < 0) {
            return -1;
        }
    }
    if (Notice == NULL) {
        Notice = PyErr_NewException("given.Notice", NULL, NULL);
        if (Notice == NULL) {
            return -1;
        }
        if (add_ref(m, "Notice", Notice) < 0) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
get_label(PyObject *self, PyObject *unused)
{
    if (label == NULL) {
        label = PyUnicode_FromString("label");
        if (label == NULL) {
            return NULL;
        }
        Py_XSETREF(other, label);
    }
    return Py_NewRef(label);
}

static PyMethodDef methods[] = {
    {"get_label", get_label, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {{Py_mod_exec, m_exec}, {0, NULL}};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "given", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_given(void)
{
    return PyModuleDef_Init(&def);
}
