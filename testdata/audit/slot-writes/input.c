/* What `oncevar check --fix` makes of two lazy caches in a module that keeps
 * the GIL: per-interpreter slots, so an own GIL is no longer blocked; one is
 * filled by a plain assignment, which races without the GIL; the other is
 * published with Py_ONCEVAR_SET; a third is set in exec. */
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, pattern); /*~ OV403 pattern */
Py_ONCEVAR_DECLARE(PyObject *, published);
Py_ONCEVAR_DECLARE(PyObject *, error);

static PyObject *
get_pattern(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(pattern) == NULL) {
        Py_ONCEVAR(pattern) = PyUnicode_FromString("[a-z]+");
        if (Py_ONCEVAR(pattern) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(pattern));
}

static PyObject *
get_published(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR_GET(published) == NULL) {
        if (Py_ONCEVAR_SET(published, PyDict_New()) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR_GET(published));
}

static PyMethodDef slot_methods[] = {
    {"get_pattern", get_pattern, METH_NOARGS, NULL},
    {"get_published", get_published, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
slot_exec(PyObject *m)
{
    Py_ONCEVAR(error) = PyErr_NewException("slots.error", NULL, NULL);
    return Py_ONCEVAR(error) == NULL ? -1 : 0;
}

static PyModuleDef_Slot slot_slots[] = {
    {Py_mod_exec, slot_exec},
    {0, NULL},
};

static struct PyModuleDef slot_module = {
    PyModuleDef_HEAD_INIT, "slots", NULL, 0, slot_methods, slot_slots,
};

PyMODINIT_FUNC
PyInit_slots(void) /*~ module slots multi-phase pig=ok ft=blocked */
{
    return PyModuleDef_Init(&slot_module);
}
/*~ blocks slots OV403 pattern ft */
