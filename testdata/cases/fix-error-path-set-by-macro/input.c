/* Tests: the result an error-path walk reads at the shared return may be
 * set by a macro, not by `res = ...`: CPython's Py_CLEAR, Py_SETREF and
 * Py_XSETREF, and the unit's own macros whose body assigns a parameter or
 * a name. Set to NULL on the error path, the drop before it gives nothing
 * away (owning key); set to a new object on the success path, the drop
 * gives the reference away (BORROWED key). Before, each was read as no
 * assignment: the error-path keys borrowed (the leak kept), the success-
 * path keys stayed owning (a release of a reference never held, a crash).
 * A macro whose write cannot be read makes the path unknown (unsafe). */
#include <Python.h>

#define SET_RESULT(r, v) ((r) = (v))
#define STORE(r, v) SET_RESULT(r, v)
#define FAIL_RESULT(r) do { Py_XDECREF(r); (r) = NULL; } while (0)
#define CLEAR_RESULT Py_CLEAR(res)
#define SET_IF(r, v) if (v) (r) = (v)
#ifdef Py_DEBUG
#define SET_TWO(r, v) ((r) = (v))
#else
#define SET_TWO(r, v) ((r) = NULL)
#endif

static PyObject *cleared = NULL;       /*~ OV101 cleared */
static PyObject *xset_null = NULL;     /*~ OV101 xset_null */
static PyObject *macro_null = NULL;    /*~ OV101 macro_null */
static PyObject *object_like = NULL;   /*~ OV101 object_like */
static PyObject *xset_new = NULL;      /*~ OV101 xset_new */
static PyObject *set_new = NULL;       /*~ OV101 set_new */
static PyObject *unit_macro = NULL;    /*~ OV101 unit_macro */
static PyObject *two_levels = NULL;    /*~ OV101 two_levels */
static PyObject *unread = NULL;        /*~ OV101 unread */
static PyObject *disagree = NULL;      /*~ OV101 disagree */
static PyObject *by_function = NULL;   /*~ OV101 by_function */

static void
set_result(PyObject *r, PyObject *v)
{
    (void)r;
    (void)v;
}

/* The error label clears the result: CPython's own style. */
static PyObject *
with_clear(PyObject *self, PyObject *arg)
{
    PyObject *res = PyList_New(0);

    if (res == NULL)
        return NULL;
    if (cleared == NULL) {
        cleared = PyUnicode_FromString("a");
        if (cleared == NULL)
            goto error;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
            Py_DECREF(cleared);
            goto error;
        }
    }
    if (PyList_Append(res, cleared) < 0)
        goto error;
    goto exit;
error:
    Py_CLEAR(res);
exit:
    return res;
}

static PyObject *
with_xsetref_null(PyObject *self, PyObject *arg)
{
    PyObject *res = PyList_New(0);

    if (res == NULL)
        return NULL;
    if (xset_null == NULL) {
        xset_null = PyUnicode_FromString("b");
        if (xset_null == NULL || PyErr_WarnEx(PyExc_UserWarning, "x", 1) < 0) {
            Py_XDECREF(xset_null);
            Py_XSETREF(res, NULL);
            goto done;
        }
    }
done:
    return res;
}

static PyObject *
with_macro_null(PyObject *self, PyObject *arg)
{
    PyObject *res = PyList_New(0);

    if (res == NULL)
        return NULL;
    if (macro_null == NULL) {
        macro_null = PyUnicode_FromString("c");
        if (macro_null == NULL || PyErr_WarnEx(PyExc_UserWarning, "x", 1) < 0) {
            Py_XDECREF(macro_null);
            FAIL_RESULT(res);
            goto done;
        }
    }
done:
    return res;
}

static PyObject *
with_object_like(PyObject *self, PyObject *arg)
{
    PyObject *res = PyList_New(0);

    if (res == NULL)
        return NULL;
    if (object_like == NULL) {
        object_like = PyUnicode_FromString("d");
        if (object_like == NULL || PyErr_WarnEx(PyExc_UserWarning, "x", 1) < 0) {
            Py_XDECREF(object_like);
            goto error;
        }
    }
    return res;
error:
    CLEAR_RESULT;
    return res;
}

/* The success path: the module keeps the class alive, so the cache only
 * borrows once the drop is made, and the result set by the macro is a new
 * object. */
static PyObject *
with_xsetref_new(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (xset_new == NULL) {
        PyObject *mod = PyImport_ImportModule("collections");
        if (mod == NULL)
            goto exit;
        xset_new = PyObject_GetAttrString(mod, "OrderedDict");
        Py_DECREF(mod);
        if (xset_new == NULL)
            goto exit;
        Py_DECREF(xset_new);
    }
    Py_XSETREF(res, PyObject_CallOneArg(xset_new, arg));
exit:
    return res;
}

static PyObject *
with_setref_new(PyObject *self, PyObject *arg)
{
    PyObject *res = PyTuple_Pack(1, arg);

    if (res == NULL)
        return NULL;
    if (set_new == NULL) {
        PyObject *mod = PyImport_ImportModule("collections");
        if (mod == NULL) {
            Py_CLEAR(res);
            goto exit;
        }
        set_new = PyObject_GetAttrString(mod, "deque");
        Py_DECREF(mod);
        if (set_new == NULL) {
            Py_CLEAR(res);
            goto exit;
        }
        Py_DECREF(set_new);
    }
    Py_SETREF(res, PyObject_Call(set_new, res, NULL));
exit:
    return res;
}

static PyObject *
with_unit_macro(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (unit_macro == NULL) {
        PyObject *mod = PyImport_ImportModule("enum");
        if (mod == NULL)
            goto exit;
        unit_macro = PyObject_GetAttrString(mod, "Enum");
        Py_DECREF(mod);
        if (unit_macro == NULL)
            goto exit;
        Py_DECREF(unit_macro);
    }
    SET_RESULT(res, PyObject_CallOneArg(unit_macro, arg));
exit:
    return res;
}

static PyObject *
with_two_levels(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (two_levels == NULL) {
        PyObject *mod = PyImport_ImportModule("enum");
        if (mod == NULL)
            goto exit;
        two_levels = PyObject_GetAttrString(mod, "Flag");
        Py_DECREF(mod);
        if (two_levels == NULL)
            goto exit;
        Py_DECREF(two_levels);
    }
    STORE(res, PyObject_CallOneArg(two_levels, arg));
exit:
    return res;
}

/* A write under the macro's own condition, and a macro whose two
 * definitions set different values: not read, so not known. */
static PyObject *
with_unread(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (unread == NULL) {
        PyObject *mod = PyImport_ImportModule("enum");
        if (mod == NULL)
            goto exit;
        unread = PyObject_GetAttrString(mod, "IntEnum");
        Py_DECREF(mod);
        if (unread == NULL)
            goto exit;
        Py_DECREF(unread);
    }
    SET_IF(res, PyObject_CallOneArg(unread, arg));
exit:
    return res;
}

static PyObject *
with_disagree(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (disagree == NULL) {
        PyObject *mod = PyImport_ImportModule("enum");
        if (mod == NULL)
            goto exit;
        disagree = PyObject_GetAttrString(mod, "IntFlag");
        Py_DECREF(mod);
        if (disagree == NULL)
            goto exit;
        Py_DECREF(disagree);
    }
    SET_TWO(res, PyObject_CallOneArg(disagree, arg));
exit:
    return res;
}

/* Control: a function cannot set the local it is given by value, so the
 * result is still NULL at the return and the drop is on an error path. */
static PyObject *
with_function(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (by_function == NULL) {
        by_function = PyUnicode_FromString("e");
        if (by_function == NULL)
            goto exit;
        if (PyErr_WarnEx(PyExc_UserWarning, "x", 1) < 0) {
            Py_DECREF(by_function);
            set_result(res, NULL);
            goto exit;
        }
    }
    res = PyTuple_Pack(1, by_function);
exit:
    return res;
}

static PyMethodDef methods[] = {
    {"with_clear", with_clear, METH_O, NULL},
    {"with_xsetref_null", with_xsetref_null, METH_O, NULL},
    {"with_macro_null", with_macro_null, METH_O, NULL},
    {"with_object_like", with_object_like, METH_O, NULL},
    {"with_xsetref_new", with_xsetref_new, METH_O, NULL},
    {"with_setref_new", with_setref_new, METH_O, NULL},
    {"with_unit_macro", with_unit_macro, METH_O, NULL},
    {"with_two_levels", with_two_levels, METH_O, NULL},
    {"with_unread", with_unread, METH_O, NULL},
    {"with_disagree", with_disagree, METH_O, NULL},
    {"with_function", with_function, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "setbymacro", NULL, 0, methods};
PyMODINIT_FUNC PyInit_setbymacro(void) { return PyModuleDef_Init(&def); }
