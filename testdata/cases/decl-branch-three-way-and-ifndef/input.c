/* Tests: one function declares its cache once in each branch of an
 * `#if defined(...)` / `#elif` / `#else` chain, another in the branches of
 * an `#ifndef`: each declaration is a variable of its own, reported with
 * only its own branch's guard and assignment, and each fix edits only its
 * own branch (spelled three ways: `== NULL`, `!fn`, a declaration without
 * an initialiser). */
#include <Python.h>

static PyObject *
clock_name(void)
{
#if defined(MS_WINDOWS)
    static PyObject *fn = NULL;   /*~ OV101 fn */
    if (fn == NULL) {
        fn = PyUnicode_FromString("win");
    }
    return Py_XNewRef(fn);
#elif defined(__APPLE__)
    static PyObject *fn = NULL;   /*~ OV101 fn */
    if (!fn) {
        fn = PyUnicode_FromString("mac");
    }
    return Py_XNewRef(fn);
#else
    static PyObject *fn;          /*~ OV101 fn */
    if (fn == NULL) {
        fn = PyUnicode_FromString("posix");
        if (fn == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(fn);
#endif
}

static PyObject *
one(void)
{
#ifndef HAVE_FAST_ONE
    static PyObject *cache = NULL;   /*~ OV101 cache */
    if (cache == NULL) {
        cache = PyLong_FromLong(1);
    }
#else
    static PyObject *cache = NULL;   /*~ OV101 cache */
    if (cache == NULL) {
        cache = PyLong_FromLong(2);
    }
#endif
    return Py_XNewRef(cache);
}

static PyObject *
names(PyObject *self, PyObject *unused)
{
    PyObject *name = clock_name();
    Py_XDECREF(name);
    return one();
}

static PyMethodDef methods[] = {
    {"names", names, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyModuleDef_Slot slots[] = {
    {0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "branches", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_branches(void)
{
    return PyModuleDef_Init(&def);
}
