/* Tests: a static with thread storage duration is each thread's own
 * object, and a per-interpreter slot would make the threads of an
 * interpreter share one: its fix is unsafe, whatever the spelling (C11's
 * _Thread_local before or after `static`, C23's thread_local, GCC's
 * __thread with or without an attribute after it (GCC takes it only
 * right after `static`), at file scope, in a block, in a header, two
 * declarators in one declaration), and the file parses cleanly (tree-sitter-c read
 * `_Thread_local` as a type name: OV201, process-wide memory). The plain
 * statics beside them keep their safe fix, one after the keyword's text in
 * a comment and a string. */
#include <Python.h>
#include <threads.h>
#include "tls.h"

static _Thread_local PyObject *tls_buf = NULL, *tls_len = NULL; /*~ OV101 tls_buf ~ OV101 tls_len */
static __thread PyObject *gnu_buf = NULL;         /*~ OV101 gnu_buf */
_Thread_local static PyObject *c11_order = NULL;  /*~ OV101 c11_order */
static thread_local PyObject *c23_buf = NULL;     /*~ OV101 c23_buf */
static __thread PyObject *gnu_order = NULL;       /*~ OV101 gnu_order */
static PyObject *shared = NULL;                   /*~ OV101 shared */
static __thread __attribute__((unused)) PyObject *gnu_attr = NULL; /*~ OV101 gnu_attr */
/* Not a keyword in a comment or a string: "_Thread_local" */
static const char *word = "_Thread_local";
static PyObject *after_word = NULL;               /*~ OV101 after_word */

static PyObject *
scratch(PyObject *self, PyObject *item)
{
    static _Thread_local PyObject *block_buf = NULL; /*~ OV101 block_buf */
    if (tls_buf == NULL || tls_len == NULL) {
        tls_buf = PyList_New(0);
        tls_len = PyLong_FromLong(0);
        if (!tls_buf || !tls_len) {
            return NULL;
        }
    }
    if (gnu_buf == NULL) {
        gnu_buf = PyList_New(0);
    }
    if (c11_order == NULL) {
        c11_order = PyList_New(0);
    }
    if (c23_buf == NULL) {
        c23_buf = PyList_New(0);
    }
    if (gnu_order == NULL) {
        gnu_order = PyList_New(0);
    }
    if (block_buf == NULL) {
        block_buf = PyList_New(0);
    }
    if (header_scratch == NULL) {
        header_scratch = PyList_New(0);
    }
    if (gnu_attr == NULL) {
        gnu_attr = PyList_New(0);
    }
    if (after_word == NULL) {
        after_word = PyList_New(0);
    }
    if (shared == NULL) {
        shared = PyList_New(0);
    }
    if (PyList_Append(tls_buf, item) < 0) {
        return NULL;
    }
    return Py_NewRef(tls_buf);
}

static PyMethodDef tls_methods[] = {
    {"scratch", scratch, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef tls_module = {
    PyModuleDef_HEAD_INIT, "tls", NULL, 0, tls_methods,
};

PyMODINIT_FUNC
PyInit_tls(void)
{
    return PyModuleDef_Init(&tls_module);
}
