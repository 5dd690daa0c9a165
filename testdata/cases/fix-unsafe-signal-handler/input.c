/* Tests: a signal handler runs wherever the signal arrives, also inside
 * another function's Py_BEGIN_ALLOW_THREADS region, with no thread state:
 * a static it reads, or that a helper it calls reads, gets no safe fix.
 * Handlers installed by PyOS_setsig, by signal() through a cast, by a
 * sigaction's sa_handler assigned in a function, and by a file-scope
 * sigaction's designated sa_sigaction. Control: a static read only by a
 * method keeps its safe fix. */
#define _GNU_SOURCE
#include <Python.h>
#include <signal.h>
#include <unistd.h>

static PyObject *setsig_cb = NULL;      /*~ OV101 setsig_cb */
static PyObject *signal_cb = NULL;      /*~ OV101 signal_cb */
static PyObject *action_cb = NULL;      /*~ OV101 action_cb */
static PyObject *table_cb = NULL;       /*~ OV101 table_cb */
static PyObject *helper_cb = NULL;      /*~ OV101 helper_cb */
static PyObject *method_cb = NULL;      /*~ OV101 method_cb */

static int
run_pending(void *arg)
{
    PyObject *r = PyObject_CallNoArgs((PyObject *)arg);
    Py_XDECREF(r);
    return r ? 0 : -1;
}

static void
on_setsig(int signum)
{
    if (setsig_cb != NULL)
        Py_AddPendingCall(run_pending, NULL);
}

static void
on_signal(int signum)
{
    if (signal_cb != NULL)
        Py_AddPendingCall(run_pending, NULL);
}

static void
on_action(int signum)
{
    if (action_cb != NULL)
        Py_AddPendingCall(run_pending, NULL);
}

static void
on_table(int signum, siginfo_t *info, void *context)
{
    if (table_cb != NULL)
        Py_AddPendingCall(run_pending, NULL);
}

static int
helper_ready(void)
{
    return helper_cb != NULL;
}

static void
on_helper(int signum)
{
    if (helper_ready())
        Py_AddPendingCall(run_pending, NULL);
}

static struct sigaction table_action = {
    .sa_sigaction = on_table,
    .sa_flags = SA_SIGINFO,
};

static PyObject *
load(const char *name)
{
    PyObject *gc = PyImport_ImportModule("gc");
    if (gc == NULL)
        return NULL;
    PyObject *f = PyObject_GetAttrString(gc, name);
    Py_DECREF(gc);
    return f;
}

static PyObject *
install(PyObject *self, PyObject *unused)
{
    struct sigaction action;

    if (setsig_cb == NULL && (setsig_cb = load("collect")) == NULL)
        return NULL;
    if (signal_cb == NULL && (signal_cb = load("enable")) == NULL)
        return NULL;
    if (action_cb == NULL && (action_cb = load("disable")) == NULL)
        return NULL;
    if (table_cb == NULL && (table_cb = load("isenabled")) == NULL)
        return NULL;
    if (helper_cb == NULL && (helper_cb = load("get_count")) == NULL)
        return NULL;
    PyOS_setsig(SIGUSR1, on_setsig);
    signal(SIGUSR2, (void (*)(int))on_signal);
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_action;
    sigaction(SIGHUP, &action, NULL);
    sigaction(SIGALRM, &table_action, NULL);
    PyOS_setsig(SIGWINCH, on_helper);
    Py_RETURN_NONE;
}

static PyObject *
collect(PyObject *self, PyObject *unused)
{
    if (method_cb == NULL && (method_cb = load("collect")) == NULL)
        return NULL;
    return PyObject_CallNoArgs(method_cb);
}

static PyObject *
nap(PyObject *self, PyObject *unused)
{
    Py_BEGIN_ALLOW_THREADS
    usleep(1000);   /* the fixture's own: a second per call outlasted the probe */
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"install", install, METH_NOARGS, NULL},
    {"collect", collect, METH_NOARGS, NULL},
    {"nap", nap, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "signal_handlers", NULL, 0, methods
};

PyMODINIT_FUNC
PyInit_signal_handlers(void)
{
    return PyModuleDef_Init(&def);
}
