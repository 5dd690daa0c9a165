/* Statics set once in exec whose reads run where the thread may hold no
 * thread state: `released` is read inside Py_BEGIN/END_ALLOW_THREADS, and
 * `sectioned` between the file's own helpers that release the GIL and take
 * it back; `held` is read only with the GIL. Py_ONCEVAR asks for the current
 * interpreter, a fatal error there: the first two fixes are unsafe. */
#include <Python.h>

static PyObject *released;   /*~ OV301 released fix=unsafe */
static PyObject *sectioned;  /*~ OV301 sectioned fix=unsafe */
static PyObject *held;       /*~ OV301 held fix=safe */

static PyThreadState *
enter(void)
{
    return PyEval_SaveThread();
}

static void
leave(PyThreadState *state)
{
    PyEval_RestoreThread(state);
}

static PyObject *
probe(PyObject *self, PyObject *unused)
{
    int have;
    PyThreadState *state;
    Py_BEGIN_ALLOW_THREADS
    have = released != NULL;
    Py_END_ALLOW_THREADS
    state = enter();
    have += sectioned != NULL;
    leave(state);
    return Py_BuildValue("iO", have, held);
}

static int
nogil_exec(PyObject *m)
{
    released = PyList_New(0);
    sectioned = PyList_New(0);
    held = PyList_New(0);
    return (released && sectioned && held) ? 0 : -1;
}

static PyMethodDef nogil_methods[] = {
    {"probe", probe, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot nogil_slots[] = {
    {Py_mod_exec, nogil_exec},
    {0, NULL},
};

static struct PyModuleDef nogil_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "nogil",
    .m_methods = nogil_methods,
    .m_slots = nogil_slots,
};

PyMODINIT_FUNC
PyInit_nogil(void) /*~ module nogil multi-phase pig=blocked ft=ok after-fix=blocked */
{
    return PyModuleDef_Init(&nogil_module);
}
