/* Tests: the reference ledger of a borrowed store nets the Py_INCREF
 * beside it against a give-away right after: returned on the first call,
 * or stolen by PyModule_AddObject, PyList_SetItem or PyTuple_SET_ITEM. The
 * incref's reference leaves, the slot owns none, so the fix wraps the
 * store in Py_XNewRef (the incref and the give-away stay as they were).
 * PyDict_SetItemString does not steal: there the slot owns the incref's
 * reference as it is. */
#include <Python.h>

static PyObject *returned;   /*~ OV101 returned */
static PyObject *added;      /*~ OV101 added */
static PyObject *listed;     /*~ OV101 listed */
static PyObject *packed;     /*~ OV101 packed */
static PyObject *kept;       /*~ OV101 kept */

static PyObject *
get_returned(PyObject *self, PyObject *unused)
{
    if (returned == NULL) {
        returned = PyDict_GetItemString(PyEval_GetBuiltins(), "print");
        if (returned == NULL) {
            return NULL;
        }
        Py_INCREF(returned);
        return returned;
    }
    return Py_NewRef(returned);
}

static int
add_hook(PyObject *m)
{
    if (added == NULL) {
        added = PyDict_GetItemString(PyEval_GetBuiltins(), "repr");
        if (added == NULL) {
            return -1;
        }
        Py_INCREF(added);
        if (PyModule_AddObject(m, "hook", added) < 0) {
            Py_DECREF(added);
            return -1;
        }
    }
    return 0;
}

static PyObject *
fill_list(PyObject *self, PyObject *list)
{
    if (listed == NULL) {
        listed = PyDict_GetItemString(PyEval_GetBuiltins(), "len");
        if (listed == NULL) {
            return NULL;
        }
        Py_INCREF(listed);
        if (PyList_SetItem(list, 0, listed) < 0) {
            return NULL;
        }
    }
    return Py_NewRef(listed);
}

static PyObject *
pack(PyObject *self, PyObject *unused)
{
    PyObject *t;
    if (packed == NULL) {
        packed = PyDict_GetItemString(PyEval_GetBuiltins(), "abs");
        if (packed == NULL) {
            return NULL;
        }
        Py_INCREF(packed);
        t = PyTuple_New(1);
        if (t == NULL) {
            return NULL;
        }
        PyTuple_SET_ITEM(t, 0, packed);
        return t;
    }
    return PyTuple_Pack(1, packed);
}

static PyObject *
keep(PyObject *self, PyObject *dict)
{
    if (kept == NULL) {
        kept = PyDict_GetItemString(PyEval_GetBuiltins(), "min");
        if (kept == NULL) {
            return NULL;
        }
        Py_INCREF(kept);
        if (PyDict_SetItemString(dict, "kept", kept) < 0) {
            return NULL;
        }
    }
    return Py_NewRef(kept);
}

static PyMethodDef methods[] = {
    {"get_returned", get_returned, METH_NOARGS, NULL},
    {"fill_list", fill_list, METH_O, NULL},
    {"pack", pack, METH_NOARGS, NULL},
    {"keep", keep, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {{Py_mod_exec, add_hook}, {0, NULL}};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "handed", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_handed(void)
{
    return PyModuleDef_Init(&def);
}
