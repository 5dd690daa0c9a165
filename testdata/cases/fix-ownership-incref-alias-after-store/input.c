/* Tests: a borrowed value stored, then made strong through any name that
 * holds the same pointer (the local it came from, the static), on every
 * path that keeps it: the slot owns it as it is, no second reference
 * (local_after, breaker's v13; local_xincref; local_newref, the result
 * dropped; local_macro; nonnull_only, the other path has it NULL;
 * else_resets, the other path sets the static back and leaves). Unsafe: the
 * incref on some paths only (branch_local, branch_static), in a loop
 * (in_loop), after a path that leaves with the borrowed value in the slot
 * (exit_between), twice (twice), of a copy taken before the store
 * (copy_before), before the store on some paths only (before_branch), one
 * incref for two statics (pair_a, pair_b). Borrowed (Py_XNewRef): the
 * incref handed to the caller (handed_back). */
#include <Python.h>

#define HOLD(o) do { Py_INCREF(o); } while (0)

static PyObject *local_after = NULL;    /*~ OV101 local_after */
static PyObject *local_xincref = NULL;  /*~ OV101 local_xincref */
static PyObject *local_newref = NULL;   /*~ OV101 local_newref */
static PyObject *local_macro = NULL;    /*~ OV101 local_macro */
static PyObject *nonnull_only = NULL;   /*~ OV101 nonnull_only */
static PyObject *else_resets = NULL;    /*~ OV101 else_resets */
static PyObject *branch_local = NULL;   /*~ OV101 branch_local */
static PyObject *branch_static = NULL;  /*~ OV101 branch_static */
static PyObject *in_loop = NULL;        /*~ OV101 in_loop */
static PyObject *exit_between = NULL;   /*~ OV101 exit_between */
static PyObject *twice = NULL;          /*~ OV101 twice */
static PyObject *copy_before = NULL;    /*~ OV101 copy_before */
static PyObject *before_branch = NULL;  /*~ OV101 before_branch */
static PyObject *pair_a = NULL;         /*~ OV101 pair_a */
static PyObject *pair_b = NULL;         /*~ OV101 pair_b */
static PyObject *handed_back = NULL;    /*~ OV101 handed_back */

static PyObject *
get(PyObject *self, PyObject *unused)
{
    int i;

    if (local_after == NULL) {
        PyObject *tmp = PySys_GetObject("displayhook");
        if (tmp == NULL)
            return NULL;
        local_after = tmp;
        Py_INCREF(tmp);
    }
    if (local_xincref == NULL) {
        PyObject *tmp = PySys_GetObject("excepthook");
        local_xincref = tmp;
        Py_XINCREF(tmp);
        if (local_xincref == NULL)
            return NULL;
    }
    if (local_newref == NULL) {
        PyObject *tmp = PySys_GetObject("path");
        if (tmp == NULL)
            return NULL;
        local_newref = tmp;
        (void)Py_NewRef(tmp);
    }
    if (local_macro == NULL) {
        PyObject *tmp = PySys_GetObject("modules");
        if (tmp == NULL)
            return NULL;
        local_macro = tmp;
        HOLD(tmp);
    }
    if (nonnull_only == NULL) {
        PyObject *tmp = PySys_GetObject("stdout");
        nonnull_only = tmp;
        if (tmp != NULL)
            Py_INCREF(tmp);
    }
    if (else_resets == NULL) {
        PyObject *tmp = PySys_GetObject("executable");
        else_resets = tmp;
        if (tmp != NULL && PyUnicode_Check(tmp))
            Py_INCREF(tmp);
        else {
            else_resets = NULL;
            Py_RETURN_NONE;
        }
    }
    if (branch_local == NULL) {
        PyObject *tmp = PySys_GetObject("stderr");
        if (tmp == NULL)
            return NULL;
        branch_local = tmp;
        if (PyCallable_Check(tmp))
            Py_INCREF(tmp);
    }
    if (branch_static == NULL) {
        branch_static = PySys_GetObject("stdin");
        if (branch_static == NULL)
            return NULL;
        if (PyCallable_Check(branch_static))
            Py_INCREF(branch_static);
    }
    if (in_loop == NULL) {
        PyObject *tmp = PySys_GetObject("argv");
        if (tmp == NULL)
            return NULL;
        in_loop = tmp;
        for (i = 0; i < 1; i++)
            Py_INCREF(tmp);
    }
    if (exit_between == NULL) {
        PyObject *tmp = PySys_GetObject("flags");
        if (tmp == NULL)
            return NULL;
        exit_between = tmp;
        if (!PyTuple_Check(tmp))
            return NULL;
        Py_INCREF(tmp);
    }
    if (twice == NULL) {
        PyObject *tmp = PySys_GetObject("meta_path");
        if (tmp == NULL)
            return NULL;
        twice = tmp;
        Py_INCREF(tmp);
        Py_INCREF(twice);
    }
    if (copy_before == NULL) {
        PyObject *tmp = PySys_GetObject("path_hooks");
        PyObject *copy = tmp;
        if (tmp == NULL)
            return NULL;
        copy_before = tmp;
        Py_INCREF(copy);
    }
    if (before_branch == NULL) {
        PyObject *tmp = PySys_GetObject("warnoptions");
        if (tmp == NULL)
            return NULL;
        if (PyList_Check(tmp))
            Py_INCREF(tmp);
        PyErr_Clear();
        before_branch = tmp;
    }
    if (pair_a == NULL) {
        PyObject *tmp = PySys_GetObject("platlibdir");
        if (tmp == NULL)
            return NULL;
        pair_a = tmp;
        pair_b = tmp;
        Py_INCREF(tmp);
    }
    Py_RETURN_NONE;
}

static PyObject *
get_handed(PyObject *self, PyObject *unused)
{
    PyObject *tmp;

    if (handed_back != NULL)
        return Py_NewRef(handed_back);
    tmp = PySys_GetObject("prefix");
    if (tmp == NULL)
        return NULL;
    handed_back = tmp;
    Py_INCREF(tmp);
    return tmp;
}
