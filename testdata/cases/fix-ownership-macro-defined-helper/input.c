/* Tests: a static's value comes from a function that a macro of the file
 * defines whole (`DEFINE_GETTER(get_x, ...)` at file scope), and ownership
 * reads the macro's expansion as that function: every return owned (a new
 * reference, the fix keeps the store), every return borrowed (the fix
 * takes its own with Py_XNewRef), anything else unknown (unsafe, the
 * reason names the macro). Before, each store's ownership was unknown:
 * "`get_x` is called, a function that is defined neither in this
 * translation unit nor in CPython's reference data". */
#include <Python.h>

/* Parameters used in the body. */
#define DEFINE_GETTER(name, mod, attr)                      \
    static PyObject *name(void)                             \
    {                                                       \
        PyObject *m = PyImport_ImportModule(mod);           \
        PyObject *r;                                        \
        if (m == NULL)                                      \
            return NULL;                                    \
        r = PyObject_GetAttrString(m, attr);                \
        Py_DECREF(m);                                       \
        return r;                                           \
    }

DEFINE_GETTER(get_clock, "time", "monotonic")

/* The name pasted: `get_##attr`, the text stringized. */
#define DEFINE_NAME(attr)                                   \
    static PyObject *get_##attr(void)                       \
    {                                                       \
        return PyUnicode_InternFromString(#attr);           \
    }

DEFINE_NAME(dumps)

/* A nested macro call: the outer macro's body is another invocation. */
#define DEFINE_TIME_GETTER(name, attr) DEFINE_GETTER(name, "time", attr)

DEFINE_TIME_GETTER(get_perf, "perf_counter")

/* Every return borrowed. */
#define DEFINE_BUILTIN(name, key)                           \
    static PyObject *name(void)                             \
    {                                                       \
        return PyDict_GetItemString(PyEval_GetBuiltins(), key); \
    }

DEFINE_BUILTIN(get_len, "len")

/* A return oncevar cannot judge: a function it knows nothing of. */
extern PyObject *external_lookup(const char *);
#define DEFINE_EXTERNAL(name, key)                          \
    static PyObject *name(void)                             \
    {                                                       \
        return external_lookup(key);                        \
    }

DEFINE_EXTERNAL(get_external, "x")

/* New on one path, borrowed on the other. */
#define DEFINE_EITHER(name)                                 \
    static PyObject *name(int fresh)                        \
    {                                                       \
        if (fresh)                                          \
            return PyLong_FromLong(1);                      \
        return Py_None;                                     \
    }

DEFINE_EITHER(get_either)

static PyObject *
use_all(PyObject *self, PyObject *unused)
{
    static PyObject *clock_fn = NULL;                /*~ OV101 clock_fn */
    static PyObject *dumps_name = NULL;              /*~ OV101 dumps_name */
    static PyObject *perf_fn = NULL;                 /*~ OV101 perf_fn */
    static PyObject *len_fn = NULL;                  /*~ OV101 len_fn */
    static PyObject *external = NULL;                /*~ OV101 external */
    static PyObject *either = NULL;                  /*~ OV101 either */
    if (clock_fn == NULL) {
        clock_fn = get_clock();
        if (clock_fn == NULL)
            return NULL;
    }
    if (dumps_name == NULL) {
        dumps_name = get_dumps();
        if (dumps_name == NULL)
            return NULL;
    }
    if (perf_fn == NULL) {
        perf_fn = get_perf();
        if (perf_fn == NULL)
            return NULL;
    }
    if (len_fn == NULL) {
        len_fn = get_len();
        if (len_fn == NULL)
            return NULL;
    }
    if (external == NULL) {
        external = get_external();
        if (external == NULL)
            return NULL;
    }
    if (either == NULL) {
        either = get_either(1);
        if (either == NULL)
            return NULL;
    }
    return PyTuple_Pack(6, clock_fn, dumps_name, perf_fn, len_fn, external, either);
}

static PyMethodDef methods[] = {
    {"use_all", use_all, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};
