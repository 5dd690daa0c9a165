/* Three modules in one translation unit, each with its own slot table:
 * a module's claims are those of its own territory. ca is clean and claims
 * an own GIL; cb claims nothing and bumps a counter in its type's tp_call
 * (blocked, no claim contradicted: before, it was given ca's claim and its
 * OV402 became an error, exit 1); cc claims to run without the GIL and
 * writes a counter of its own (contradicted). */
#include <Python.h>

static long ncalls;                 /*~ OV402 ncalls */
static long nhits;                  /*~ OV402 nhits */

static PyObject *
counter_call(PyObject *self, PyObject *args, PyObject *kw)
{
    ncalls++;
    return PyLong_FromLong(ncalls);
}

static PyType_Slot counter_slots[] = {{Py_tp_call, counter_call}, {0, NULL}};
static PyType_Spec counter_spec = {"cb.Counter", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT, counter_slots};

static int
b_exec(PyObject *m)
{
    PyObject *t = PyType_FromModuleAndSpec(m, &counter_spec, NULL);
    if (t == NULL)
        return -1;
    int r = PyModule_AddObjectRef(m, "Counter", t);
    Py_DECREF(t);
    return r;
}

static PyModuleDef_Slot b_slots[] = {{Py_mod_exec, b_exec}, {0, NULL}};
static struct PyModuleDef b_def = {PyModuleDef_HEAD_INIT, "cb", NULL, 0, NULL, b_slots};

PyMODINIT_FUNC
PyInit_cb(void) /*~ module cb multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&b_def);
}

static PyObject *
hello(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString("hello");
}

static PyMethodDef a_methods[] = {{"hello", hello, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot a_slots[] = {
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
    {0, NULL},
};
static struct PyModuleDef a_def = {PyModuleDef_HEAD_INIT, "ca", NULL, 0, a_methods, a_slots};

PyMODINIT_FUNC
PyInit_ca(void) /*~ module ca multi-phase pig=ok ft=ok */
{
    return PyModuleDef_Init(&a_def);
}

static PyObject *
hit(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(++nhits);
}

static PyMethodDef c_methods[] = {{"hit", hit, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static PyModuleDef_Slot c_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED}, /*~ contradicted cc Py_MOD_GIL_NOT_USED */
    {0, NULL},
};
static struct PyModuleDef c_def = {PyModuleDef_HEAD_INIT, "cc", NULL, 0, c_methods, c_slots};

PyMODINIT_FUNC
PyInit_cc(void) /*~ module cc multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&c_def);
}
/*~ blocks cb OV402 ncalls both */
/*~ blocks cc OV402 nhits both */
