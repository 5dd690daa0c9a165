/* Variants of the init-set statics the audit fixes: one declared in a
 * header, one set through the unit's macro in a helper that exec calls,
 * one given away to the module (PyModule_AddObject steals it: the key only
 * borrows), the exec slot named through a cast, reads through a helper of
 * a method and in a getter, releases in m_clear. */
#include "state.h"

static PyObject *via_macro;      /*~ OV301 via_macro fix=safe */
static PyObject *through_cast;   /*~ OV301 through_cast fix=safe */

static PyObject *
lookup(PyObject *key)
{
    return PyDict_GetItemWithError(shared_cache, key);
}

static PyObject *
get(PyObject *self, PyObject *key)
{
    PyObject *found = lookup(key);
    if (found == NULL) {
        PyErr_SetObject(ModError, key);
        return NULL;
    }
    return PyTuple_Pack(3, found, via_macro, through_cast);
}

static PyObject *
get_cache(PyObject *self, void *closure)
{
    return Py_NewRef(shared_cache);
}

static int
fill(PyObject *m)
{
    SET_CACHE(via_macro, PyDict_New());
    return via_macro == NULL ? -1 : 0;
}

static int add_holder(PyObject *m);

static int
mod_exec(PyObject *m)
{
    if (add_holder(m) < 0) {
        return -1;
    }
    shared_cache = PyDict_New();
    if (shared_cache == NULL) {
        return -1;
    }
    ModError = PyErr_NewException("mod.error", NULL, NULL);
    if (PyModule_AddObject(m, "error", ModError) < 0) {
        return -1;
    }
    through_cast = PyList_New(0);
    return fill(m);
}

static int
mod_clear(PyObject *m)
{
    Py_CLEAR(shared_cache);
    Py_CLEAR(via_macro);
    Py_CLEAR(through_cast);
    return 0;
}

static PyMethodDef methods[] = {
    {"get", get, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef getset[] = {
    {"cache", get_cache, NULL, NULL, NULL},
    {NULL},
};

static PyType_Slot holder_slots[] = {
    {Py_tp_getset, getset},
    {0, NULL},
};

static PyType_Spec holder_spec = {
    "mod.Holder", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT, holder_slots,
};

static int
add_holder(PyObject *m)
{
    PyObject *holder = PyType_FromSpec(&holder_spec);
    if (holder == NULL) {
        return -1;
    }
    int added = PyModule_AddObjectRef(m, "Holder", holder);
    Py_DECREF(holder);
    return added;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, (void *)mod_exec},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "mod", NULL, 0, methods, slots, NULL, mod_clear,
};

PyMODINIT_FUNC
PyInit_mod(void) /*~ module mod multi-phase pig=blocked ft=ok after-fix=ok */
{
    return PyModuleDef_Init(&def);
}
