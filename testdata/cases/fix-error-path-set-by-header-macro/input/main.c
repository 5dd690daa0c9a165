/* Tests: the setting macros come from a project header (CRLF, bodies
 * continued over lines, a block-local temporary): the error path's
 * RESULT_FAIL(res) leaves NULL (owning key), the success path's
 * RESULT_TAKE(res, new) a new object (BORROWED key). Before, both were
 * read as no assignment of `res`. RESULT_NOTE is RESULT_TAKE through one
 * more macro (BORROWED too). */
#include <Python.h>
#include "setres.h"

static PyObject *failed = NULL;    /*~ OV101 failed */
static PyObject *taken = NULL;     /*~ OV101 taken */
static PyObject *noted = NULL;     /*~ OV101 noted */

static PyObject *
fail_path(PyObject *self, PyObject *arg)
{
    PyObject *res = PyList_New(0);

    if (res == NULL)
        return NULL;
    if (failed == NULL) {
        failed = PyUnicode_FromString("a");
        if (failed == NULL)
            goto error;
        if (PyErr_WarnEx(PyExc_UserWarning, "first use", 1) < 0) {
            Py_DECREF(failed);
            goto error;
        }
    }
    if (PyList_Append(res, failed) == 0)
        goto exit;
error:
    RESULT_FAIL(res);
exit:
    return res;
}

static PyObject *
take_path(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (taken == NULL) {
        PyObject *mod = PyImport_ImportModule("collections");
        if (mod == NULL)
            goto exit;
        taken = PyObject_GetAttrString(mod, "Counter");
        Py_DECREF(mod);
        if (taken == NULL)
            goto exit;
        Py_DECREF(taken);   /* collections keeps it alive */
    }
    RESULT_TAKE(res, PyObject_CallOneArg(taken, arg));
exit:
    return res;
}

static PyObject *
note_path(PyObject *self, PyObject *arg)
{
    PyObject *res = NULL;

    if (noted == NULL) {
        PyObject *mod = PyImport_ImportModule("collections");
        if (mod == NULL)
            goto exit;
        noted = PyObject_GetAttrString(mod, "ChainMap");
        Py_DECREF(mod);
        if (noted == NULL)
            goto exit;
        Py_DECREF(noted);   /* collections keeps it alive */
    }
    RESULT_NOTE(res, PyObject_CallOneArg(noted, arg));
exit:
    return res;
}

static PyMethodDef methods[] = {
    {"fail_path", fail_path, METH_O, NULL},
    {"take_path", take_path, METH_O, NULL},
    {"note_path", note_path, METH_O, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "setres", NULL, 0, methods};
PyMODINIT_FUNC PyInit_setres(void) { return PyModuleDef_Init(&def); }
