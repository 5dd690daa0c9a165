/* Tests: names written under a lazy site's guard that nothing of the
 * unit's text declares block the fix (they may be a global of a header
 * the scan did not read, which would stay process-wide), except names
 * that the C library or CPython declare (`errno`, `optind`, `stderr`,
 * `PyOS_InputHook`) and locals that a macro of the unit declares
 * (`DECL_OBJ(mod);`, `LOCALS;`): these are no reason (the last site
 * stays unsafe for its ownership alone: `tmp` is declared by the macro,
 * which the ownership does not read). */
#include <Python.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#define DECL_OBJ(n) PyObject *n = NULL
#define LOCALS PyObject *res, *tmp

static PyObject *saved_errno_cache;     /*~ OV101 saved_errno_cache */
static PyObject *getopt_cache;          /*~ OV101 getopt_cache */
static PyObject *hook_cache;            /*~ OV101 hook_cache */
static PyObject *macro_local_cache;     /*~ OV101 macro_local_cache */
static PyObject *macro_locals_cache;    /*~ OV101 macro_locals_cache */

static int
my_hook(void)
{
    return 0;
}

static PyObject *
get_saved_errno(PyObject *self, PyObject *unused)
{
    int saved = errno;
    if (saved_errno_cache == NULL) {
        saved_errno_cache = PyUnicode_FromString("x");
        errno = saved;
        if (saved_errno_cache == NULL)
            return NULL;
    }
    return Py_NewRef(saved_errno_cache);
}

static PyObject *
get_getopt(PyObject *self, PyObject *arg)
{
    int first = PyObject_IsTrue(arg);
    FILE *f = stdout;
    if (getopt_cache == NULL) {
        getopt_cache = PyUnicode_FromString("o");
        optind = first;
        stderr = f;
        if (getopt_cache == NULL)
            return NULL;
    }
    return Py_NewRef(getopt_cache);
}

static PyObject *
get_hook(PyObject *self, PyObject *unused)
{
    if (hook_cache == NULL) {
        hook_cache = PyUnicode_FromString("h");
        PyOS_InputHook = my_hook;
        if (hook_cache == NULL)
            return NULL;
    }
    return Py_NewRef(hook_cache);
}

static PyObject *
get_macro_local(PyObject *self, PyObject *arg)
{
    DECL_OBJ(mod);
    if (macro_local_cache == NULL) {
        mod = PyImport_ImportModule("os");
        if (mod == NULL)
            return NULL;
        macro_local_cache = PyObject_GetAttrString(mod, "sep");
        Py_DECREF(mod);
        if (macro_local_cache == NULL)
            return NULL;
    }
    return Py_NewRef(macro_local_cache);
}

static PyObject *
get_macro_locals(PyObject *self, PyObject *arg)
{
    LOCALS;
    if (macro_locals_cache == NULL) {
        tmp = PyUnicode_FromString("l");
        if (tmp == NULL)
            return NULL;
        macro_locals_cache = tmp;
    }
    res = Py_NewRef(macro_locals_cache);
    return res;
}
