/* The module: it registers cache.c's cleanups for exit, starts a thread
 * on one of its functions, and calls another with the GIL released. */
#include <Python.h>
#include <pthread.h>
#include <stdlib.h>

extern PyObject *get_at_exit(void);
extern PyObject *get_two_levels(void);
extern PyObject *get_in_thread(void);
extern PyObject *get_without_gil(void);
extern PyObject *get_with_gil(void);
extern void cleanup_at_exit(void);
extern void cleanup_two_levels(void);
extern void *peek_in_thread(void *);
extern int have_without_gil(void);
extern int have_with_gil(void);

static int
on_exit_do(void (*f)(void))
{
    return Py_AtExit(f);
}

static int
probe(void)
{
    return have_without_gil();
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    pthread_t t;
    int have;
    PyObject *a = get_at_exit(), *b = get_two_levels(), *c = get_in_thread();
    PyObject *d = get_without_gil(), *e = get_with_gil();
    Py_XDECREF(a);
    Py_XDECREF(b);
    Py_XDECREF(c);
    Py_XDECREF(d);
    Py_XDECREF(e);
    if (pthread_create(&t, NULL, peek_in_thread, NULL) == 0) {
        pthread_detach(t);
    }
    Py_BEGIN_ALLOW_THREADS
    have = probe();
    Py_END_ALLOW_THREADS
    return PyBool_FromLong(have && have_with_gil());
}

static PyMethodDef methods[] = {
    {"get", get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
module_exec(PyObject *m)
{
    if (Py_AtExit(cleanup_at_exit) < 0) {
        return -1;
    }
    return on_exit_do(cleanup_two_levels);
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, module_exec},
    {0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "module", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_module(void)
{
    return PyModuleDef_Init(&def);
}
