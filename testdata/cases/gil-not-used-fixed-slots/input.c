/* Tests: code a fix already wrote (a per-interpreter slot declared with
 * Py_ONCEVAR_DECLARE, filled with a plain store) in a module that claims
 * to run without the GIL is OV403, though no `static` declares the slot:
 * the prefilter kept only files with a written static, so `check` said
 * nothing where `--no-prefilter` said OV403 (found by the fuzz target
 * `scan` on a mutated fixed snapshot). Control: a slot published with
 * Py_ONCEVAR_SET is no finding. */
#include <Python.h>
#include "oncevar.h"

static PyObject *
get(PyObject *self, PyObject *unused)
{
    Py_ONCEVAR_DECLARE(PyObject *, cache);      /*~ OV403 cache */
    if (Py_ONCEVAR(cache) == NULL)
        Py_ONCEVAR(cache) = PyList_New(0);
    return Py_XNewRef(Py_ONCEVAR(cache));
}

static PyObject *
get_published(PyObject *self, PyObject *unused)
{
    Py_ONCEVAR_DECLARE(PyObject *, published);
    if (Py_ONCEVAR_GET(published) == NULL) {
        if (Py_ONCEVAR_SET(published, PyList_New(0)) == NULL)
            return NULL;
    }
    return Py_XNewRef(Py_ONCEVAR_GET(published));
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {"get_published", get_published, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "fixedslots", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_fixedslots(void)
{
    return PyModuleDef_Init(&def);
}
