/* Tests: a borrowed value stored in a static and made strong by an incref
 * that a project header wraps: two macro levels with a cast in the inner
 * argument (KEEP), three levels with parentheses and a do/while (PIN), a
 * static inline helper of the header whose result is dropped (hold_ref),
 * KEEP on a local just before it is stored (local_kept) and a statement
 * earlier (local_apart). Each slot owns the
 * one reference it holds as it is: no Py_XNewRef. A macro that increfs in
 * one #if branch and not in the other (MAYBE_KEEP) leaves the ownership
 * unknown: unsafe. The control `logged` goes through a macro that takes no
 * reference and gets Py_XNewRef. */
#include <Python.h>
#include "keep.h"

static PyObject *two_levels = NULL;     /*~ OV101 two_levels */
static PyObject *three_levels = NULL;   /*~ OV101 three_levels */
static PyObject *inline_helper = NULL;  /*~ OV101 inline_helper */
static PyObject *logged = NULL;         /*~ OV101 logged */
static PyObject *local_kept = NULL;     /*~ OV101 local_kept */
static PyObject *maybe_kept = NULL;     /*~ OV101 maybe_kept */
static PyObject *local_apart = NULL;    /*~ OV101 local_apart */

static PyObject *
get(PyObject *self, PyObject *args)
{
    if (two_levels == NULL) {
        two_levels = PySys_GetObject("excepthook");
        if (two_levels == NULL) {
            return NULL;
        }
        /* sys may replace it: hold our own reference */
        KEEP(two_levels);
    }
    if (three_levels == NULL) {
        three_levels = PySys_GetObject("displayhook");
        if (three_levels == NULL) {
            return NULL;
        }
        PIN(three_levels);
    }
    if (inline_helper == NULL) {
        inline_helper = PySys_GetObject("stdout");
        hold_ref(inline_helper);
    }
    if (logged == NULL) {
        logged = PySys_GetObject("stderr");
        LOG_OBJ(logged);
    }
    if (local_kept == NULL) {
        PyObject *path = PySys_GetObject("path");
        KEEP(path);
        local_kept = path;
    }
    if (maybe_kept == NULL) {
        maybe_kept = PySys_GetObject("modules");
        MAYBE_KEEP(maybe_kept);
    }
    if (local_apart == NULL) {
        PyObject *meta = PySys_GetObject("meta_path");
        if (meta == NULL) {
            return NULL;
        }
        KEEP(meta);
        PySys_WriteStderr("kept\n");
        local_apart = meta;
    }
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get", get, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "incref_macros", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_incref_macros(void)
{
    return PyModuleDef_Init(&module);
}
