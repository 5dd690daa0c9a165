/* Tests: `Py_IncRef(v)` (the function form, what stable-ABI code calls)
 * before a call that steals `v` keeps the static's own reference, as
 * `Py_INCREF(v)` does: the key stays owning. Before, only the macros were
 * read as increfs there, and the key was declared borrowing (the new
 * reference from PyUnicode_FromString then leaked in every interpreter). */
#include <Python.h>

static PyObject *viafunction = NULL;    /*~ OV101 viafunction */
static PyObject *viamacro = NULL;       /*~ OV101 viamacro */

static int
exec_m(PyObject *m)
{
    if (viafunction == NULL) {
        viafunction = PyUnicode_FromString("x");
        if (viafunction == NULL)
            return -1;
    }
    Py_IncRef(viafunction);
    if (PyModule_AddObject(m, "x", viafunction) < 0) {
        Py_DecRef(viafunction);
        return -1;
    }
    if (viamacro == NULL) {
        viamacro = PyUnicode_FromString("y");
        if (viamacro == NULL)
            return -1;
    }
    Py_INCREF(viamacro);
    if (PyModule_AddObject(m, "y", viamacro) < 0) {
        Py_DECREF(viamacro);
        return -1;
    }
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_m},
    {0, NULL}
};

static struct PyModuleDef mod = {
    PyModuleDef_HEAD_INIT, "m", NULL, 0, NULL, slots
};

PyMODINIT_FUNC
PyInit_m(void)
{
    return PyModuleDef_Init(&mod);
}
