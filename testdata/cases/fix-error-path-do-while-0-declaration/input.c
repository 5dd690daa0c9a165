/* Tests: the paths out of a `do { ... } while (0)` and past a declaration
 * after a label. A `break` (or `continue`, which tests the 0) in a
 * do-while(0) goes on after it, to `return res;` with res still NULL: the
 * drop before it is on an error path and the key stays owning, safe (on
 * a52e324 both were unsafe: "the `break` leaves for the loop around it").
 * `exit: ;` followed by `PyObject *out = res; return out;` reads out's
 * value through its pointer declarator (also `PyObject *const out`): was
 * unsafe ("no local of the function"). Controls: a `break` out of a
 * `switch` inside the do-while(0), and one out of a real loop, stay
 * unsafe; a success path that breaks out with res set borrows. */
#include <Python.h>

static PyObject *broken = NULL;     /*~ OV101 broken */
static PyObject *continued = NULL;  /*~ OV101 continued */
static PyObject *declared = NULL;   /*~ OV101 declared */
static PyObject *qualified = NULL;  /*~ OV101 qualified */
static PyObject *switched = NULL;   /*~ OV101 switched */
static PyObject *looped = NULL;     /*~ OV101 looped */
static PyObject *succeeded = NULL;  /*~ OV101 succeeded */

static PyObject *
first(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    do {
        if (broken == NULL) {
            broken = PyUnicode_FromString("a");
            if (broken == NULL)
                break;
            if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
                Py_DECREF(broken);
                break;
            }
        }
        res = PyTuple_Pack(2, broken, arg);
    } while (0);
    return res;
}

static PyObject *
second(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    do {
        if (continued == NULL) {
            continued = PyUnicode_FromString("b");
            if (continued == NULL)
                continue;
            if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
                Py_DECREF(continued);
                continue;
            }
        }
        res = PyTuple_Pack(2, continued, arg);
    } while (0);
    return res;
}

static PyObject *
third(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (declared == NULL) {
        declared = PyUnicode_FromString("c");
        if (declared == NULL)
            goto exit;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
            Py_DECREF(declared);
            goto exit;
        }
    }
    res = PyTuple_Pack(2, declared, arg);
exit: ;
    PyObject *out = res;
    return out;
}

static PyObject *
fourth(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (qualified == NULL) {
        qualified = PyUnicode_FromString("d");
        if (qualified == NULL)
            goto exit;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
            Py_DECREF(qualified);
            goto exit;
        }
    }
    res = PyTuple_Pack(2, qualified, arg);
exit: ;
    PyObject *const out = res;
    return out;
}

static PyObject *
control_switch(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    do {
        if (switched == NULL) {
            switched = PyUnicode_FromString("e");
            if (switched == NULL)
                break;
        }
        /* arg is never NULL: case 0 is the control's shape only (the
         * fixture's own: switched on the truth of arg, the probe's None
         * dropped the static's object and returned NULL without an
         * exception). */
        switch (arg != NULL) {
        case 0:
            Py_DECREF(switched);
            break;
        default:
            res = PyTuple_Pack(2, switched, arg);
        }
    } while (0);
    return res;
}

static PyObject *
control_loop(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    for (int i = 0; i < 2; i++) {
        if (looped == NULL) {
            looped = PyUnicode_FromString("f");
            if (looped == NULL)
                break;
            if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
                Py_DECREF(looped);
                break;
            }
        }
        res = PyTuple_Pack(2, looped, arg);
    }
    return res;
}

static PyObject *
control_success(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    do {
        if (succeeded == NULL) {
            succeeded = PyUnicode_FromString("g");
            if (succeeded == NULL)
                break;
        }
        res = PyTuple_Pack(2, succeeded, arg);
        Py_DECREF(succeeded);
        break;
    } while (0);
    return res;
}

static PyMethodDef methods[] = {
    {"first", first, METH_O, NULL},
    {"second", second, METH_O, NULL},
    {"third", third, METH_O, NULL},
    {"fourth", fourth, METH_O, NULL},
    {"control_switch", control_switch, METH_O, NULL},
    {"control_loop", control_loop, METH_O, NULL},
    {"control_success", control_success, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "onceloop", NULL, 0, methods, slots};
PyMODINIT_FUNC PyInit_onceloop(void) { return PyModuleDef_Init(&def); }
