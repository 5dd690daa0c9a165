/* The state and the pointer to it from the project's header; a helper of
 * exec sets an object through the pointer with a writing macro
 * (Py_XSETREF), and a method only reads through it: OV404 (own GIL), and
 * no run-time write (free threading ok). */
#include <Python.h>
#include "state.h"

static PyObject *
th_cached(PyObject *self, PyObject *unused)
{
    return Py_NewRef(header_st->cache);
}

static int
th_fill(void)
{
    Py_XSETREF(header_st->cache, PyDict_New());
    return header_st->cache == NULL ? -1 : 0;
}

static int
th_exec(PyObject *m)
{
    return th_fill();
}

static PyMethodDef th_methods[] = {
    {"cached", th_cached, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot th_slots[] = {
    {Py_mod_exec, th_exec},
    {0, NULL},
};

static struct PyModuleDef th_def = {
    PyModuleDef_HEAD_INIT, "th", NULL, 0, th_methods, th_slots,
};

PyMODINIT_FUNC
PyInit_th(void) /*~ module th multi-phase pig=blocked ft=ok */
{
    return PyModuleDef_Init(&th_def);
}
/*~ blocks th OV404 header_state pig */
