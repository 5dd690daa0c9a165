/* Tests: a static used in a process exit hook cannot become a
 * per-interpreter slot: Py_AtExit's callbacks run after the interpreter is
 * finalised and C's atexit ones after main returns, with no interpreter
 * current, so Py_ONCEVAR there would be a fatal error at every exit. The
 * fix is unsafe, naming the hook: used in the hook itself (Py_AtExit), in
 * a helper the hook calls (atexit), in a hook registered from a method.
 * A static the hooks never touch keeps its safe fix. */
#include <Python.h>
#include <stdlib.h>

static PyObject *cache = NULL;      /*~ OV101 cache */
static PyObject *names = NULL;      /*~ OV101 names */
static PyObject *late = NULL;       /*~ OV101 late */
static PyObject *untouched = NULL;  /*~ OV101 untouched */

static void
forget_cache(void)
{
    cache = NULL;
}

static void
drop_names(void)
{
    names = NULL;
}

static void
at_exit(void)
{
    drop_names();
}

static void
forget_late(void)
{
    late = NULL;
}

static PyObject *
get_all(PyObject *self, PyObject *unused)
{
    if (cache == NULL)
        cache = PyDict_New();
    if (names == NULL)
        names = PyList_New(0);
    if (late == NULL)
        late = PyLong_FromLong(1);
    if (untouched == NULL)
        untouched = PyLong_FromLong(2);
    return PyTuple_Pack(4, cache, names, late, untouched);
}

static PyObject *
arm(PyObject *self, PyObject *unused)
{
    if (Py_AtExit(forget_late) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get_all", get_all, METH_NOARGS, NULL},
    {"arm", arm, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
exec_module(PyObject *m)
{
    if (Py_AtExit(forget_cache) < 0)
        return -1;
    if (atexit(at_exit) != 0)
        return -1;
    return 0;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "exit_hook", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_exit_hook(void)
{
    return PyModuleDef_Init(&def);
}
