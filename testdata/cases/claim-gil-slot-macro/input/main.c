/* Tests: a no-GIL claim made by a slot entry that a header's macro spells
 * (MOD_GIL_SLOT -> GIL_ENTRY(Py_MOD_GIL_NOT_USED) -> {Py_mod_gil, ...},)
 * is read as the literal entry is, so the unlocked lazy fill is OV401 and
 * its fix publishes with a compare-and-swap; a plain fix would keep the
 * race on the free-threaded build. */
#include <Python.h>
#include "ft_compat.h"

static PyObject *
get_clock(void)
{
    static PyObject *clock_fn = NULL;   /*~ OV401 clock_fn */
    if (clock_fn == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        if (mod == NULL) {
            return NULL;
        }
        clock_fn = PyObject_GetAttrString(mod, "monotonic");
        Py_DECREF(mod);
        if (clock_fn == NULL) {
            return NULL;
        }
    }
    return PyObject_CallNoArgs(clock_fn);
}

static PyObject *
clock_(PyObject *self, PyObject *unused)
{
    return get_clock();
}

static PyMethodDef slot_methods[] = {
    {"clock", clock_, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slot_slots[] = {
    MOD_GIL_SLOT
    {0, NULL}
};

static struct PyModuleDef slot_module = {
    PyModuleDef_HEAD_INIT, "slotmacro", NULL, 0, slot_methods, slot_slots,
};

PyMODINIT_FUNC
PyInit_slotmacro(void)
{
    return PyModuleDef_Init(&slot_module);
}
