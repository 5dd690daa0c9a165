/* Tests: the macros that release the GIL hide braces, and this file uses
 * them only through aliases that a project header defines (the unit sees
 * each definition only through the include): `ENTER`/`LEAVE`,
 * `RELEASE_GIL()`/`ACQUIRE_GIL()`, and `BLOCKING_BEGIN`/`BLOCKING_END`,
 * aliases of aliases in a second header, and that header's own
 * `SAVE_THREAD(ts)`/`RESTORE_THREAD(ts)`, whose bodies hold the braces
 * (`{ PyThreadState *ts = PyEval_SaveThread();`). Each function declares a
 * variable of a typedef'd type between them and tests a pointer before
 * `Py_DECREF`, which breaks the parse when the braces are not seen. The
 * lazy static in each function and the file-scope static set once in
 * init after them are all found. */
#include <Python.h>
#include "inc/gil.h"

typedef int mode_t_;

static void
crunch(mode_t_ mode, const char *in, Py_ssize_t n)
{
    (void)mode;
    (void)in;
    (void)n;
}

static PyObject *
first(PyObject *self, PyObject *args)
{
    static PyObject *done = NULL;       /*~ OV101 done */
    if (args)
        Py_INCREF(args);
    ENTER

    mode_t_ mode = 1;
    crunch(mode, "a", 1);

    LEAVE
    if (args)
        Py_DECREF(args);
    if (done == NULL) {
        done = PyUnicode_InternFromString("done");
        if (done == NULL)
            return NULL;
    }
    return Py_NewRef(done);
}

static PyObject *
second(PyObject *self, PyObject *args)
{
    static PyObject *empty = NULL;      /*~ OV101 empty */
    if (args)
        Py_INCREF(args);
    RELEASE_GIL()

    mode_t_ mode = 2;
    crunch(mode, "b", 1);

    ACQUIRE_GIL()
    if (args)
        Py_DECREF(args);
    if (empty == NULL) {
        empty = PyTuple_New(0);
        if (empty == NULL)
            return NULL;
    }
    return Py_NewRef(empty);
}

static PyObject *
third(PyObject *self, PyObject *args)
{
    static PyObject *zero = NULL;       /*~ OV101 zero */
    if (args)
        Py_INCREF(args);
    BLOCKING_BEGIN

    mode_t_ mode = 3;
    crunch(mode, "c", 1);

    BLOCKING_END
    if (args)
        Py_DECREF(args);
    if (zero == NULL) {
        zero = PyLong_FromLong(0);
        if (zero == NULL)
            return NULL;
    }
    return Py_NewRef(zero);
}

static PyObject *
fourth(PyObject *self, PyObject *args)
{
    static PyObject *one = NULL;        /*~ OV101 one */
    if (args)
        Py_INCREF(args);
    SAVE_THREAD(ts)

    mode_t_ mode = 4;
    crunch(mode, "d", 1);

    RESTORE_THREAD(ts)
    if (args)
        Py_DECREF(args);
    if (one == NULL) {
        one = PyLong_FromLong(1);
        if (one == NULL)
            return NULL;
    }
    return Py_NewRef(one);
}

static PyObject *my_error;              /*~ OV301 my_error */

static PyMethodDef methods[] = {
    {"first", first, METH_VARARGS, NULL},
    {"second", second, METH_VARARGS, NULL},
    {"third", third, METH_VARARGS, NULL},
    {"fourth", fourth, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "gilaliases", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_gilaliases(void)
{
    PyObject *m = PyModule_Create(&mod);
    if (m == NULL)
        return NULL;
    my_error = PyErr_NewException("gilaliases.error", NULL, NULL);
    if (my_error == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "error", my_error) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
