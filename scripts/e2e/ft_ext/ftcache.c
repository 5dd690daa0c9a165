/*
 * ftcache: a small extension of oncevar's own for scripts/e2e-freethreading.sh.
 * It claims to run without the GIL and to support interpreters with their
 * own GIL, and keeps a lazily created object in a process-wide static: the
 * pattern oncevar reports as OV401. `token()` returns the cached object;
 * `counter()` the cached collections.Counter (a lazy import); `created()`
 * says how many objects this module copy's creator has made (losers of a
 * race included).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <sched.h>

static long made;   /* atomic: objects created, all interpreters */

/* A fresh object, made slowly enough that racing threads overlap. */
static PyObject *
make_token(void)
{
    PyObject *token;
    int i;
    for (i = 0; i < 50; i++) {
        sched_yield();
    }
    token = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    if (token != NULL) {
        __atomic_fetch_add(&made, 1, __ATOMIC_RELAXED);
    }
    return token;
}

static PyObject *token_cache = NULL;

static PyObject *
token(PyObject *module, PyObject *unused)
{
    if (token_cache == NULL) {
        token_cache = make_token();
        if (token_cache == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(token_cache);
}

static PyObject *counter_type = NULL;

/* collections.Counter, imported on first use, the module released between
 * the store and its check: every racing thread hands in the very same
 * class. */
static PyObject *
counter(PyObject *module, PyObject *unused)
{
    if (counter_type == NULL) {
        PyObject *mod = PyImport_ImportModule("collections");
        if (mod == NULL) {
            return NULL;
        }
        counter_type = PyObject_GetAttrString(mod, "Counter");
        Py_DECREF(mod);
        if (counter_type == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(counter_type);
}

static PyObject *
created(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong(__atomic_load_n(&made, __ATOMIC_RELAXED));
}

static PyMethodDef ftcache_methods[] = {
    {"token", token, METH_NOARGS, "The cached token object."},
    {"counter", counter, METH_NOARGS, "collections.Counter, cached."},
    {"created", created, METH_NOARGS, "Tokens created so far."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot ftcache_slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

static struct PyModuleDef ftcache_module = {
    PyModuleDef_HEAD_INIT, "ftcache", NULL, 0, ftcache_methods, ftcache_slots,
    NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit_ftcache(void)
{
    return PyModuleDef_Init(&ftcache_module);
}
