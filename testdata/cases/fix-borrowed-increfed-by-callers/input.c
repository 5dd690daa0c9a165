/* Tests: a borrowed store in a helper that its callers make strong
 * (`load()` stores `hook`, and after `if (load() == NULL) return NULL;`
 * the caller does `Py_INCREF(hook);`): when every call is followed by an
 * incref of the static, the slot owns that reference as it is (before
 * session 13: the store was wrapped in Py_XNewRef and the caller's incref
 * kept, two references per interpreter, one leaked).  When only some
 * calls are, oncevar cannot tell: unsafe.  With none, the store is
 * borrowed and wrapped, as before; so it is when every caller hands the
 * incref's reference on (`Py_INCREF(handed); return handed;`), which the
 * slot then does not own. */
#include <Python.h>

static PyObject *hook;       /*~ OV101 hook */
static PyObject *both;       /*~ OV101 both */
static PyObject *some;       /*~ OV101 some */
static PyObject *bare;       /*~ OV101 bare */
static PyObject *handed;     /*~ OV101 handed */

#define KEEP(o) Py_INCREF(o)

static PyObject *
load_hook(void)
{
    hook = PyDict_GetItemString(PyEval_GetBuiltins(), "print");
    return hook;
}

static PyObject *
load_both(void)
{
    both = PyDict_GetItemString(PyEval_GetBuiltins(), "repr");
    return both;
}

static PyObject *
load_some(void)
{
    some = PyDict_GetItemString(PyEval_GetBuiltins(), "len");
    return some;
}

static PyObject *
load_bare(void)
{
    bare = PyDict_GetItemString(PyEval_GetBuiltins(), "abs");
    return bare;
}

static PyObject *
load_handed(void)
{
    handed = PyDict_GetItemString(PyEval_GetBuiltins(), "max");
    return handed;
}

static PyObject *
get_hook(PyObject *self, PyObject *unused)
{
    if (hook == NULL) {
        if (load_hook() == NULL) {
            return NULL;
        }
        Py_INCREF(hook);
    }
    return Py_NewRef(hook);
}

static PyObject *
get_both(PyObject *self, PyObject *unused)
{
    if (both == NULL) {
        if (!load_both()) {
            return NULL;
        }
        KEEP(both);
    }
    return Py_NewRef(both);
}

static PyObject *
get_both_again(PyObject *self, PyObject *unused)
{
    if (both == NULL) {
        if (load_both() == NULL) {
            return NULL;
        }
        Py_XINCREF(both);
    }
    return Py_NewRef(both);
}

static PyObject *
get_some(PyObject *self, PyObject *unused)
{
    if (some == NULL) {
        if (load_some() == NULL) {
            return NULL;
        }
        Py_INCREF(some);
    }
    return Py_NewRef(some);
}

static PyObject *
get_some_again(PyObject *self, PyObject *unused)
{
    if (some == NULL && load_some() == NULL) {
        return NULL;
    }
    return Py_NewRef(some);
}

static PyObject *
get_bare(PyObject *self, PyObject *unused)
{
    if (bare == NULL && load_bare() == NULL) {
        return NULL;
    }
    return Py_NewRef(bare);
}

static PyObject *
get_handed(PyObject *self, PyObject *unused)
{
    if (handed == NULL) {
        if (load_handed() == NULL) {
            return NULL;
        }
        Py_INCREF(handed);
        return handed;
    }
    return Py_NewRef(handed);
}
