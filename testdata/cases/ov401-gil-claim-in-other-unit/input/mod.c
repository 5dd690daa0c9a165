/* A module that claims to run without the GIL. */
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000
#  define Py_mod_gil 0
#  define Py_MOD_GIL_NOT_USED NULL
#endif

extern PyObject *get_clock(void);
extern PyObject *bridge_hop(void);

static PyObject *
clock_(PyObject *self, PyObject *unused)
{
    return get_clock();
}

static PyObject *
hop_(PyObject *self, PyObject *unused)
{
    return bridge_hop();
}

static PyMethodDef methods[] = {
    {"clock", clock_, METH_NOARGS, NULL},
    {"hop", hop_, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "ft", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_ft(void)
{
    return PyModuleDef_Init(&def);
}
