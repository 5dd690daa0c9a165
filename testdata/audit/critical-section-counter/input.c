/* A process-wide counter written inside Py_BEGIN_CRITICAL_SECTION(self)
 * (what Argument Clinic's @critical_section emits) is unsynchronised: the
 * section locks `self` only, so two threads on two objects write it at
 * once. OV402 blocks both verdicts and contradicts the no-GIL claim. A
 * twin counter under a section on a static type's address is synchronised:
 * no blocker (the static type blocks an own GIL by itself). */
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000
#  define Py_BEGIN_CRITICAL_SECTION(op) {
#  define Py_END_CRITICAL_SECTION() }
#  define Py_mod_gil 4
#  define Py_MOD_GIL_NOT_USED ((void *)1)
#endif

static Py_ssize_t nobjects;          /*~ OV402 nobjects */
static Py_ssize_t ntypes;
static PyTypeObject Counter_Type;    /*~ OV502 Counter_Type */

static PyObject *
track(PyObject *self, PyObject *unused)
{
    Py_ssize_t n;
    Py_BEGIN_CRITICAL_SECTION(self);
    nobjects++;
    n = nobjects;
    Py_END_CRITICAL_SECTION();
    Py_BEGIN_CRITICAL_SECTION((PyObject *)&Counter_Type);
    ntypes++;
    Py_END_CRITICAL_SECTION();
    return PyLong_FromSsize_t(n);
}

static PyMethodDef counter_methods[] = {
    {"track", track, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot counter_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED}, /*~ contradicted counter Py_MOD_GIL_NOT_USED */
    {0, NULL},
};

static struct PyModuleDef counter_module = {
    PyModuleDef_HEAD_INIT, "counter", NULL, 0, counter_methods, counter_slots,
};

PyMODINIT_FUNC
PyInit_counter(void) /*~ module counter multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&counter_module);
}
/*~ blocks counter OV402 nobjects both */
/*~ blocks counter OV502 Counter_Type pig */
