/* Tests: one function declares `static PyObject *fn` in each branch of
 * `#if ... #else ... #endif` (only one is compiled), each with its own
 * guard, assignment and use, as the vendored pythoncapi_compat.h does for
 * PyTime_PerfCounter(). They are two variables: two OV101 sites, each with
 * only its own branch's evidence, and each fix edits its own branch. A
 * second function spells it with `#ifdef`/`#elif` and `!v` guards. */
#include <Python.h>

#ifndef USE_NS
#  define USE_NS 1
#endif

static PyObject *
perf_counter(void)
{
#if USE_NS
    static PyObject *fn = NULL;   /*~ OV101 fn */
    if (fn == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return NULL;
        fn = PyObject_GetAttrString(mod, "perf_counter_ns");
        Py_DECREF(mod);
        if (fn == NULL)
            return NULL;
    }
    return PyObject_CallNoArgs(fn);
#else
    static PyObject *fn = NULL;   /*~ OV101 fn */
    if (fn == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        if (mod == NULL)
            return NULL;
        fn = PyObject_GetAttrString(mod, "perf_counter");
        Py_DECREF(mod);
        if (fn == NULL)
            return NULL;
    }
    return PyObject_CallNoArgs(fn);
#endif
}

static PyObject *
empty_name(void)
{
#ifdef MS_WINDOWS
    static PyObject *empty;   /*~ OV101 empty */
    if (!empty)
        empty = PyUnicode_FromString("nul");
    return Py_XNewRef(empty);
#elif defined(__APPLE__)
    static PyObject *empty;   /*~ OV101 empty */
    if (!empty) {
        empty = PyUnicode_FromString("/dev/null");
    }
    return Py_XNewRef(empty);
#else
    static PyObject *empty = NULL;   /*~ OV101 empty */
    if (empty == NULL && (empty = PyUnicode_FromString("")) == NULL)
        return NULL;
    return Py_NewRef(empty);
#endif
}
