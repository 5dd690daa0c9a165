/* Tests: a unit none of whose conditions has a literal is not walked by
 * the evaluator (nothing could be decided without a database); every
 * conditional group in it is undecided, so a safe fix that edits a line
 * in one says so, naming the innermost group's directive (an #elif, a
 * nested #ifdef). Control: the fix of a site outside any group. */
#include <Python.h>

#ifdef MS_WINDOWS
#define SEP "\\"
#elif defined(__VMS)
static PyObject *vms_sep = NULL;            /*~ OV101 vms_sep */
#define SEP ":"
#else
#define SEP "/"
#endif

static PyObject *sep = NULL;                /*~ OV101 sep */

static PyObject *
get_sep(PyObject *self, PyObject *unused)
{
#ifndef NO_CACHE
#  ifdef Py_DEBUG
    if (sep == NULL) {
        sep = PyUnicode_FromString(SEP);
    }
#  endif
#endif
#if defined(__VMS)
    if (vms_sep == NULL) {
        vms_sep = PyUnicode_FromString(SEP);
    }
#endif
    return Py_XNewRef(sep);
}

static PyObject *outside = NULL;            /*~ OV101 outside */

static PyObject *
get_outside(PyObject *self, PyObject *unused)
{
    if (outside == NULL) {
        outside = PyUnicode_FromString("outside");
    }
    return Py_XNewRef(outside);
}

static PyMethodDef methods[] = {
    {"get_sep", get_sep, METH_NOARGS, NULL},
    {"get_outside", get_outside, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "noliteral", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_noliteral(void)
{
    return PyModuleDef_Init(&module);
}
