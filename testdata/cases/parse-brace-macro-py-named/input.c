/* Tests: a file's own brace-hiding macros named like CPython's
 * (psycopg2's and lxml's conditional Py_BEGIN_ALLOW_THREADS_IF(c) /
 * Py_END_ALLOW_THREADS_IF) are read as the braces they hide, so the
 * function around them parses and the file-scope statics after it are
 * found; a lazy static read inside the region is unsafe to rewrite (the
 * thread may hold no state there). A compat definition of CPython's
 * critical section stays what it is. */
#include <Python.h>

#define Py_BEGIN_ALLOW_THREADS_IF(c) { PyThreadState *_save = NULL; if (c) _save = PyEval_SaveThread();
#define Py_END_ALLOW_THREADS_IF if (_save) PyEval_RestoreThread(_save); }
#define Py_BEGIN_NOGIL { PyThreadState *_ts = PyEval_SaveThread();
#define Py_END_NOGIL PyEval_RestoreThread(_ts); }

typedef int mode_t_;

static PyObject *table = NULL;  /*~ OV101 table */
static PyObject *names = NULL;  /*~ OV101 names */

static void
crunch(mode_t_ mode, const char *in, Py_ssize_t n)
{
    (void)mode; (void)in; (void)n;
}

static PyObject *
do_work(PyObject *self, PyObject *args)
{
    const char *in;
    Py_ssize_t n = 0;
    int fast = 0;
    int have = 0;

    if (!PyArg_ParseTuple(args, "s#|i", &in, &n, &fast))
        return NULL;
    if (table == NULL)
        table = PyDict_New();
    if (names == NULL)
        names = PyList_New(0);
    Py_BEGIN_ALLOW_THREADS_IF(n > 4096)

    mode_t_ mode = fast ? 1 : 2;
    crunch(mode, in, n);
    have = table != NULL;

    Py_END_ALLOW_THREADS_IF
    Py_BEGIN_NOGIL
    crunch(0, in, n);
    Py_END_NOGIL
    return Py_BuildValue("iO", have, names);
}

static PyObject *my_error;  /*~ OV301 my_error */

static PyMethodDef methods[] = {{"do_work", do_work, METH_VARARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "brace_py_named", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_brace_py_named(void)
{
    PyObject *m = PyModule_Create(&mod);
    if (m == NULL)
        return NULL;
    my_error = PyErr_NewException("brace_py_named.error", NULL, NULL);
    if (my_error != NULL) {
        Py_INCREF(my_error);
        PyModule_AddObject(m, "error", my_error);
    }
    return m;
}
