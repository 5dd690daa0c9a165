/* Statics under platform branches (a gcc build on Linux compiles none
 * of them: the compiler decides when trusted, else they stay undecided),
 * a name declared in both arms of one #if, and a compiled static that a
 * Windows-only function names too. */
#include <Python.h>

#ifdef MS_WINDOWS
static PyObject *win_codec = NULL;
#elif defined(__APPLE__)
static PyObject *mac_codec = NULL;
#endif

#ifndef USE_NS
#  define USE_NS 1
#endif

static PyObject *shared = NULL;

static PyObject *
codec(void)
{
#ifdef MS_WINDOWS
    if (win_codec == NULL)
        win_codec = PyUnicode_FromString("mbcs");
    return win_codec;
#elif defined(__APPLE__)
    if (mac_codec == NULL)
        mac_codec = PyUnicode_FromString("utf-8-mac");
    return mac_codec;
#else
    if (shared == NULL)
        shared = PyUnicode_FromString("utf-8");
    return shared;
#endif
}

static PyObject *
clock_fn(void)
{
#if USE_NS
    static PyObject *fn = NULL;
    if (fn == NULL)
        fn = PyUnicode_FromString("perf_counter_ns");
    return fn;
#else
    static PyObject *fn = NULL;
    if (fn == NULL)
        fn = PyUnicode_FromString("perf_counter");
    return fn;
#endif
}

#ifndef __linux__
static PyObject *
win_shared(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(shared);
}
#endif

static PyObject *
get(PyObject *self, PyObject *unused)
{
    PyObject *a = codec(), *b = clock_fn();
    return a && b ? PyTuple_Pack(2, a, b) : NULL;
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
#ifndef __linux__
    {"win_shared", (PyCFunction)win_shared, METH_NOARGS, NULL},
#endif
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "platforms", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_platforms(void)
{
    return PyModuleDef_Init(&def);
}
