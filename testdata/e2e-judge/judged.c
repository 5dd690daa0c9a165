/* The module of scripts/e2e/judge.py's test (tests/extension.rs), built
 * three ways: as the original (no macro), where `repaired` differs from the
 * main interpreter in sub-interpreters (the kind of bug a fix removes); with
 * -DFIXED, as a fix that makes it give what it gives in main; and with
 * -DFIXED -DOVER_RELEASE, as a fix that also makes `other` release a
 * reference it does not own (the small int 0, one reference fewer per
 * call), which a module-wide reference count hid behind the repair. */
#include <Python.h>

static PyObject *
repaired(PyObject *self, PyObject *unused)
{
#ifndef FIXED
    if (PyInterpreterState_Get() != PyInterpreterState_Main()) {
        return PyUnicode_FromString("not as in main");
    }
#endif
    return PyLong_FromLong(1000);
}

static PyObject *
other(PyObject *self, PyObject *unused)
{
    PyObject *zero = PyLong_FromLong(0);
#ifdef OVER_RELEASE
    Py_DECREF(zero);
#endif
    return zero;
}

static PyMethodDef methods[] = {
    {"repaired", repaired, METH_NOARGS, NULL},
    {"other", other, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "judged", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_judged(void)
{
    return PyModule_Create(&def);
}
