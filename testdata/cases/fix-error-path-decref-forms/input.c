/* Tests: a cache whose new reference is dropped on an error path only
 * keeps an owning key (Py_ONCEVAR_DECLARE), however the error path is
 * written: Py_XDECREF, a goto to an error label whose block drops it, an
 * exception set between the drop and the return, an `else if` arm, a
 * macro of the file that returns NULL or jumps to the error label. A drop
 * followed by a macro that returns only under a condition gives the
 * reference away: that key borrows. */
#include <Python.h>

#define FAIL() do { return NULL; } while (0)
#define BAIL goto error
#define RETURN_IF(c) if (c) return NULL

static PyObject *xdecref = NULL;    /*~ OV101 xdecref */
static PyObject *labelled = NULL;   /*~ OV101 labelled */
static PyObject *raised = NULL;     /*~ OV101 raised */
static PyObject *else_arm = NULL;   /*~ OV101 else_arm */
static PyObject *via_fail = NULL;   /*~ OV101 via_fail */
static PyObject *via_bail = NULL;   /*~ OV101 via_bail */
static PyObject *given = NULL;      /*~ OV101 given */

static PyObject *
tags(PyObject *self, PyObject *arg)
{
    if (xdecref == NULL) {
        xdecref = PyUnicode_FromString("a");
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
            Py_XDECREF(xdecref);
            return NULL;
        }
    }
    if (labelled == NULL) {
        labelled = PyUnicode_FromString("b");
        if (labelled == NULL) {
            return NULL;
        }
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
            goto error;
        }
    }
    if (raised == NULL) {
        raised = PyUnicode_FromString("c");
        if (raised == NULL) {
            return NULL;
        }
        if (PyObject_Length(arg) < 0) {
            Py_DECREF(raised);
            PyErr_SetString(PyExc_ValueError, "no length");
            return NULL;
        }
    }
    if (else_arm == NULL) {
        else_arm = PyUnicode_FromString("d");
        if (else_arm == NULL) {
            return NULL;
        } else if (PyObject_Length(arg) < 0) {
            Py_DECREF(else_arm);
            return NULL;
        }
    }
    if (via_fail == NULL) {
        via_fail = PyUnicode_FromString("e");
        if (PyObject_Length(arg) < 0) {
            Py_DECREF(via_fail);
            FAIL();
        }
    }
    if (via_bail == NULL) {
        via_bail = PyUnicode_FromString("f");
        if (PyObject_Length(arg) < 0) {
            Py_DECREF(via_bail);
            BAIL;
        }
    }
    if (given == NULL) {
        given = PyUnicode_FromString("g");
        if (PyObject_Length(arg) < 0) {
            Py_DECREF(given);
            RETURN_IF(PyErr_Occurred());
        }
    }
    return PyTuple_Pack(6, xdecref, labelled, raised, else_arm, via_fail, via_bail);
error:
    Py_DECREF(labelled);
    return NULL;
}

static PyMethodDef methods[] = {
    {"tags", tags, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "decref_forms", NULL, 0, methods, slots
};

PyMODINIT_FUNC
PyInit_decref_forms(void)
{
    return PyModuleDef_Init(&def);
}
