/* Tests: a static used where the thread may hold no thread state cannot
 * become a per-interpreter slot: Py_ONCEVAR asks for the current
 * interpreter, a fatal error there. Unsafe: a read inside
 * Py_BEGIN/END_ALLOW_THREADS, in a callback before PyGILState_Ensure, inside
 * the file's own brace-hiding macros, between PyEval_SaveThread and
 * PyEval_RestoreThread, in a helper called without the GIL, in the argument
 * of a macro that wraps it in an allow-threads block, after an error path
 * that takes the GIL back and returns. Safe: after Py_END_ALLOW_THREADS,
 * between Py_BLOCK_THREADS and Py_UNBLOCK_THREADS, after PyGILState_Ensure,
 * after an error path that releases the GIL and returns. */
#include <Python.h>

#define NOGIL_BEGIN { PyThreadState *_ts = PyEval_SaveThread();
#define NOGIL_END PyEval_RestoreThread(_ts); }
#define WITHOUT_GIL(stmt) Py_BEGIN_ALLOW_THREADS stmt; Py_END_ALLOW_THREADS

static PyObject *in_block = NULL;     /*~ OV101 in_block */
static PyObject *in_callback = NULL;  /*~ OV101 in_callback */
static PyObject *in_macro = NULL;     /*~ OV101 in_macro */
static PyObject *in_calls = NULL;     /*~ OV101 in_calls */
static PyObject *in_helper = NULL;    /*~ OV101 in_helper */
static PyObject *in_argument = NULL;  /*~ OV101 in_argument */
static PyObject *after_error = NULL;  /*~ OV101 after_error */
static PyObject *after_end = NULL;    /*~ OV101 after_end */
static PyObject *blocked = NULL;      /*~ OV101 blocked */
static PyObject *after_ensure = NULL; /*~ OV101 after_ensure */
static PyObject *released_err = NULL; /*~ OV101 released_err */

static int
work(void)
{
    return 1;
}

static int
peek_helper(void)
{
    return in_helper != NULL;
}

static int
on_event(void *data)
{
    PyGILState_STATE g;
    if (in_callback == NULL)
        return 0;
    g = PyGILState_Ensure();
    PyObject_Print(in_callback, stdout, 0);
    PyGILState_Release(g);
    return 0;
}

static int
on_later(void *data)
{
    PyGILState_STATE g = PyGILState_Ensure();
    if (after_ensure == NULL) {
        PyGILState_Release(g);
        return 0;
    }
    if (released_err == NULL) {
        PyGILState_Release(g);
        return -1;
    }
    PyObject_Print(released_err, stdout, 0);
    PyGILState_Release(g);
    return 0;
}

static int (*volatile registered)(void *);

static PyObject *
fill(PyObject *self, PyObject *unused)
{
    int have = 0;
    PyThreadState *ts;
    if (in_block == NULL)
        in_block = PyList_New(0);
    if (in_callback == NULL)
        in_callback = PyList_New(0);
    if (in_macro == NULL)
        in_macro = PyList_New(0);
    if (in_calls == NULL)
        in_calls = PyList_New(0);
    if (in_helper == NULL)
        in_helper = PyList_New(0);
    if (in_argument == NULL)
        in_argument = PyList_New(0);
    if (after_error == NULL)
        after_error = PyList_New(0);
    if (after_end == NULL)
        after_end = PyList_New(0);
    if (blocked == NULL)
        blocked = PyList_New(0);
    if (after_ensure == NULL)
        after_ensure = PyList_New(0);
    if (released_err == NULL)
        released_err = PyList_New(0);

    Py_BEGIN_ALLOW_THREADS
    have += in_block != NULL;
    registered = on_event;
    Py_END_ALLOW_THREADS
    have += after_end != NULL;

    NOGIL_BEGIN
    have += in_macro != NULL;
    NOGIL_END

    ts = PyEval_SaveThread();
    have += in_calls != NULL;
    PyEval_RestoreThread(ts);

    Py_BEGIN_ALLOW_THREADS
    have += peek_helper();
    Py_END_ALLOW_THREADS

    WITHOUT_GIL(have += in_argument != NULL);

    Py_BEGIN_ALLOW_THREADS
    if (work() < 0) {
        Py_BLOCK_THREADS;
        PyErr_SetString(PyExc_OSError, "failed");
        return NULL;
    }
    have += after_error != NULL;
    Py_BLOCK_THREADS;
    have += blocked != NULL;
    Py_UNBLOCK_THREADS;
    Py_END_ALLOW_THREADS

    registered = on_later;
    return PyLong_FromLong(have);
}

static PyMethodDef methods[] = {
    {"fill", fill, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "no_thread_state", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_no_thread_state(void)
{
    return PyModuleDef_Init(&def);
}
