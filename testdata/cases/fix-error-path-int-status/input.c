/* Tests: an int (or Py_ssize_t) function passes the failing call's status
 * on: the test around the drop says what the returned local holds. Under
 * `r < 0`, `rc == -1`, `0 > rc`, `-1 == rc`, `(rc = f()) < 0`, `rc < 0 &&
 * ...` or the else arm of `rc >= 0`, it is negative: an error, so the drop
 * gives nothing away (owning key). Before, only NULL tests were read, and
 * the local's earlier value (a call that returns an int) counted as a
 * success: every key borrowed, the realworld leak kept. Under `!rc` it is
 * zero, an int's success (BORROWED; it was owning, a release of a
 * reference never held); under `if (rc)` only nonzero, and under a test
 * that is not read (a macro), not known: unsafe. */
#include <Python.h>

#define FAILED(r) ((r) < 0)

static PyObject *less = NULL;          /*~ OV101 less */
static PyObject *minus_one = NULL;     /*~ OV101 minus_one */
static PyObject *mirrored = NULL;      /*~ OV101 mirrored */
static PyObject *in_condition = NULL;  /*~ OV101 in_condition */
static PyObject *and_occurred = NULL;  /*~ OV101 and_occurred */
static PyObject *else_arm = NULL;      /*~ OV101 else_arm */
static PyObject *ssize = NULL;         /*~ OV101 ssize */
static PyObject *zero = NULL;          /*~ OV101 zero */
static PyObject *nonzero = NULL;       /*~ OV101 nonzero */
static PyObject *by_macro = NULL;      /*~ OV101 by_macro */
static PyObject *pointer = NULL;       /*~ OV101 pointer */

static int
is_less(PyObject *arg)
{
    int r;

    if (less == NULL) {
        less = PyUnicode_FromString("a");
        if (less == NULL)
            return -1;
        r = PyObject_RichCompareBool(arg, Py_None, Py_EQ);
        if (r < 0) {
            Py_DECREF(less);
            return r;
        }
    }
    return PyObject_RichCompareBool(arg, less, Py_EQ);
}

static int
add_minus_one(PyObject *dict)
{
    int rc = 0;

    if (minus_one == NULL) {
        minus_one = PyUnicode_FromString("b");
        if (minus_one == NULL)
            return -1;
        rc = PyDict_SetItemString(dict, "first", Py_None);
        if (rc == -1) {
            Py_DECREF(minus_one);
            goto done;
        }
    }
    rc = PyDict_SetItemString(dict, "b", minus_one);
done:
    return rc;
}

static int
add_mirrored(PyObject *dict)
{
    int rc = PyDict_SetItemString(dict, "first", Py_None);

    if (mirrored == NULL) {
        mirrored = PyUnicode_FromString("c");
        if (mirrored == NULL)
            return -1;
        if (0 > rc) {
            Py_DECREF(mirrored);
            return rc;
        }
        if (-1 == rc) {
            Py_DECREF(mirrored);
            return rc;
        }
    }
    return PyDict_SetItemString(dict, "c", mirrored);
}

static int
append_in_condition(PyObject *list)
{
    int rc;

    if (in_condition == NULL) {
        in_condition = PyUnicode_FromString("d");
        if (in_condition == NULL)
            return -1;
        if ((rc = PyList_Append(list, Py_None)) < 0) {
            Py_DECREF(in_condition);
            return rc;
        }
    }
    return PyList_Append(list, in_condition);
}

static int
append_and_occurred(PyObject *list)
{
    int rc = PyList_Append(list, Py_None);

    if (and_occurred == NULL) {
        and_occurred = PyUnicode_FromString("e");
        if (and_occurred == NULL)
            return -1;
        if (rc < 0 && PyErr_Occurred()) {
            Py_DECREF(and_occurred);
            return rc;
        }
    }
    return PyList_Append(list, and_occurred);
}

static int
append_else_arm(PyObject *list)
{
    int rc = PyList_Append(list, Py_None);

    if (else_arm == NULL) {
        else_arm = PyUnicode_FromString("f");
        if (else_arm == NULL)
            return -1;
        if (rc >= 0) {
            rc = PyList_Append(list, else_arm);
        }
        else {
            Py_DECREF(else_arm);
            return rc;
        }
    }
    return rc;
}

static Py_ssize_t
length_of(PyObject *obj)
{
    Py_ssize_t n = PyObject_Length(obj);

    if (ssize == NULL) {
        ssize = PyUnicode_FromString("g");
        if (ssize == NULL)
            return -1;
        if (n == -1) {
            Py_DECREF(ssize);
            return n;
        }
    }
    return n;
}

/* Zero is an int's success: the drop gives the reference away. */
static int
check_zero(PyObject *obj)
{
    int rc = PyObject_IsTrue(obj);

    if (zero == NULL) {
        zero = PyUnicode_FromString("h");
        if (zero == NULL)
            return -1;
        if (!rc) {
            Py_DECREF(zero);
            return rc;
        }
    }
    return rc;
}

/* Nonzero may be 1, a success: not known. */
static int
check_nonzero(PyObject *obj)
{
    int rc = PyObject_IsTrue(obj);

    if (nonzero == NULL) {
        nonzero = PyUnicode_FromString("i");
        if (nonzero == NULL)
            return -1;
        if (rc) {
            Py_DECREF(nonzero);
            return rc;
        }
    }
    return 0;
}

/* A test the walk does not read: not known. */
static int
check_by_macro(PyObject *list)
{
    int rc = PyList_Append(list, Py_None);

    if (by_macro == NULL) {
        by_macro = PyUnicode_FromString("j");
        if (by_macro == NULL)
            return -1;
        if (FAILED(rc)) {
            Py_DECREF(by_macro);
            return rc;
        }
    }
    return rc;
}

/* Control: a pointer's NULL test, as before. */
static PyObject *
get_pointer(PyObject *self, PyObject *arg)
{
    PyObject *res = PyObject_Repr(arg);

    if (pointer == NULL) {
        pointer = PyUnicode_FromString("k");
        if (pointer == NULL)
            return NULL;
        if (res == NULL) {
            Py_DECREF(pointer);
            return res;
        }
    }
    return res;
}

/* The dict and list are the run's own, so their calls succeed and no error
 * path's drop runs: one taken leaves its static naming a released object
 * (the realworld leak's shape), and after the fix each interpreter's
 * runtime would release it again (the e2e run crashed on 3.10.13 when the
 * probe's None went to PyDict_SetItemString). */
static PyObject *
run(PyObject *self, PyObject *arg)
{
    PyObject *dict = PyDict_New();
    PyObject *list = PyList_New(0);
    int failed = dict == NULL || list == NULL || is_less(arg) < 0
        || add_minus_one(dict) < 0 || add_mirrored(dict) < 0
        || append_in_condition(list) < 0 || append_and_occurred(list) < 0
        || append_else_arm(list) < 0 || length_of(list) < 0 || check_zero(arg) < 0
        || check_nonzero(arg) < 0 || check_by_macro(list) < 0;

    Py_XDECREF(dict);
    Py_XDECREF(list);
    if (failed)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"run", run, METH_O, NULL},
    {"get_pointer", get_pointer, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "intstatus", NULL, 0, methods};
PyMODINIT_FUNC PyInit_intstatus(void) { return PyModuleDef_Init(&def); }
