/* Tests: a single-phase init (m_size -1) calls errors_init() of errors.c,
 * which calls make_error_class() of util.c, which fills `BadThing`
 * lazily: util.c's unit alone cannot tell who calls it; linked by name,
 * the tree shows the path across three files (unsafe, naming it). */
#include <Python.h>
#include "errors.h"

static PyObject *
fail(PyObject *self, PyObject *unused)
{
    return raise_bad();
}

static PyMethodDef methods[] = {{"fail", fail, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "single", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_single(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    if (errors_init(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
