/* Tests: the C API's macros that hide a block's braces
 * (Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS, Py_TRASHCAN_BEGIN /
 * Py_TRASHCAN_END) and a file's own names for them, around a declaration
 * whose type is a typedef name and before `if (x) Py_DECREF(x);`, broke the
 * function into ERROR nodes that swallowed the file-scope statics after it:
 * the exception set once in PyInit (OV301, at file scope) and the lazy
 * caches of later functions were lost. They are read as the braces they
 * expand to. */
#include <Python.h>

#define NOGIL_BEGIN Py_BEGIN_ALLOW_THREADS
#define NOGIL_END Py_END_ALLOW_THREADS

typedef int level_t;

typedef struct {
    PyObject_HEAD
    PyObject *payload;
} BoxObject;

static void
crunch(level_t level, const char *in, Py_ssize_t n)
{
    (void)level; (void)in; (void)n;
}

static PyObject *
compress(PyObject *self, PyObject *args)
{
    const char *in;
    Py_ssize_t n = 0;
    int fast = 0;

    if (!PyArg_ParseTuple(args, "s#|i", &in, &n, &fast))
        return NULL;
    if (args)
        Py_INCREF(args);
    Py_BEGIN_ALLOW_THREADS

    level_t level = fast ? 1 : 9;
    crunch(level, in, n);

    Py_END_ALLOW_THREADS
    if (args)
        Py_DECREF(args);
    Py_RETURN_NONE;
}

static PyObject *compress_error;     /*~ OV301 compress_error */

static PyObject *
decompress(PyObject *self, PyObject *args)
{
    NOGIL_BEGIN
    level_t level = 0;
    crunch(level, NULL, 0);
    NOGIL_END
    if (args)
        Py_DECREF(args);
    Py_RETURN_NONE;
}

static PyObject *empty_bytes = NULL; /*~ OV101 empty_bytes */

static void
box_dealloc(BoxObject *self)
{
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, box_dealloc)
    level_t unused = 0;
    (void)unused;
    Py_CLEAR(self->payload);
    Py_TYPE(self)->tp_free((PyObject *)self);
    Py_TRASHCAN_END
}


static PyObject *
empty(PyObject *self, PyObject *unused)
{
    static PyObject *empty_tuple = NULL;   /*~ OV101 empty_tuple */
    if (empty_tuple == NULL) {
        empty_tuple = PyTuple_New(0);
    }
    if (empty_bytes == NULL) {
        empty_bytes = PyBytes_FromStringAndSize(NULL, 0);
    }
    return Py_BuildValue("(OO)", empty_tuple, empty_bytes);
}

static PyMethodDef methods[] = {
    {"compress", compress, METH_VARARGS, NULL},
    {"decompress", decompress, METH_VARARGS, NULL},
    {"empty", empty, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "blocks", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_blocks(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    compress_error = PyErr_NewException("blocks.error", NULL, NULL);
    if (compress_error != NULL) {
        Py_INCREF(compress_error);
        PyModule_AddObject(m, "error", compress_error);
    }
    (void)box_dealloc;
    return m;
}
