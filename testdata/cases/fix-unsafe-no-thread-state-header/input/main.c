/* Tests: the GIL released or taken through a project header's macros
 * (an alias of Py_BEGIN/END_ALLOW_THREADS, a function-like macro that
 * runs its argument between PyEval_SaveThread and PyEval_RestoreThread, a
 * callback that takes the GIL through a macro), and a helper called in
 * between: each read there makes the fix unsafe. A read after the
 * callback takes the GIL stays safe. */
#include "gil.h"

static PyObject *aliased = NULL;   /*~ OV101 aliased */
static PyObject *unlocked = NULL;  /*~ OV101 unlocked */
static PyObject *early = NULL;     /*~ OV101 early */
static PyObject *deep = NULL;      /*~ OV101 deep */
static PyObject *late = NULL;      /*~ OV101 late */

static int
deeper(void)
{
    return deep != NULL;
}

static int
middle(void)
{
    return deeper();
}

static int
callback(void *data)
{
    PyGILState_STATE g;
    int ready = early != NULL;
    ENTER_PYTHON(g);
    if (late != NULL && ready)
        PyObject_Print(late, stdout, 0);
    LEAVE_PYTHON(g);
    return 0;
}

static int (*volatile hook)(void *);

static PyObject *
fill(PyObject *self, PyObject *unused)
{
    int have = 0;
    if (aliased == NULL)
        aliased = PyList_New(0);
    if (unlocked == NULL)
        unlocked = PyList_New(0);
    if (early == NULL)
        early = PyList_New(0);
    if (deep == NULL)
        deep = PyList_New(0);
    if (late == NULL)
        late = PyList_New(0);
    RELEASE
    have += aliased != NULL;
    have += middle();
    ACQUIRE
    CALL_UNLOCKED(have += unlocked != NULL);
    hook = callback;
    return PyLong_FromLong(have);
}

static PyMethodDef methods[] = {
    {"fill", fill, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "no_thread_state_header", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_no_thread_state_header(void)
{
    return PyModuleDef_Init(&def);
}
