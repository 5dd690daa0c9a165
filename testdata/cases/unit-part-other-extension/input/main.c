/* Tests: a file that a scanned file includes is part of its translation
 * unit whatever its extension (unity-split v6): a part `parts/cache.inc`,
 * a part it includes in turn, and a `table.def` beside main.c. Their
 * sites are reported in their own files and fixed there (dumps_name is
 * released here, in m_clear). Before, the walk took .c and .h files only,
 * and none of the three was reported. */
#include <Python.h>
#include "parts/cache.inc"
#include "table.def"

static int
mod_clear(PyObject *m)
{
    Py_CLEAR(dumps_name);
    return 0;
}

static PyObject *
names(PyObject *self, PyObject *unused)
{
    PyObject *d = get_dumps_name(), *l = get_loads_name(), *t = get_empty_table();
    PyObject *r = (d && l && t) ? PyTuple_Pack(3, d, l, t) : NULL;
    Py_XDECREF(d);
    Py_XDECREF(l);
    Py_XDECREF(t);
    return r;
}

static PyMethodDef methods[] = {{"names", names, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "parts", NULL, 0, methods, NULL, NULL, mod_clear, NULL,
};
PyMODINIT_FUNC PyInit_parts(void) { return PyModuleDef_Init(&def); }
