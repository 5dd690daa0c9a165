/* Tests: a signal handler holds no thread state, so a static it reads has
 * no safe fix, however the handler reaches the registrar: the unit's
 * wrapper around sigaction (`sa.sa_handler = fn`), a wrapper of that
 * wrapper, the unit's macro around PyOS_setsig, a header's macro around
 * signal(), a static table of {signal, handler} pairs handed to
 * PyOS_setsig in a loop, a table with external linkage handed to signal().
 * Controls keep their safe fix: a callback given to a helper that calls
 * it, a table of callbacks that no registrar reads. */
#include <Python.h>
#include <signal.h>
#include <string.h>
#include "sig.h"

#define INSTALL_HANDLER(sig, fn) PyOS_setsig((sig), (fn))

static PyObject *usr1_cb = NULL;  /*~ OV101 usr1_cb */
static PyObject *usr2_cb = NULL;  /*~ OV101 usr2_cb */
static PyObject *hup_cb = NULL;   /*~ OV101 hup_cb */
static PyObject *quit_cb = NULL;  /*~ OV101 quit_cb */
static PyObject *alrm_cb = NULL;  /*~ OV101 alrm_cb */
static PyObject *pipe_cb = NULL;  /*~ OV101 pipe_cb */
static PyObject *ctl_cb = NULL;   /*~ OV101 ctl_cb */
static PyObject *table_cb = NULL; /*~ OV101 table_cb */

static int
run_pending(void *arg)
{
    (void)arg;
    return 0;
}

static void on_usr1(int s) { (void)s; if (usr1_cb != NULL) Py_AddPendingCall(run_pending, NULL); }
static void on_usr2(int s) { (void)s; if (usr2_cb != NULL) Py_AddPendingCall(run_pending, NULL); }
static void on_hup(int s) { (void)s; if (hup_cb) Py_AddPendingCall(run_pending, NULL); }
static void on_quit(int s) { (void)s; if (quit_cb) Py_AddPendingCall(run_pending, NULL); }
static void on_alrm(int s) { (void)s; if (alrm_cb) Py_AddPendingCall(run_pending, NULL); }
static void on_pipe(int s) { (void)s; if (pipe_cb) Py_AddPendingCall(run_pending, NULL); }
static void on_ctl(int s) { (void)s; if (ctl_cb) Py_AddPendingCall(run_pending, NULL); }
static void on_table(int s) { (void)s; if (table_cb) Py_AddPendingCall(run_pending, NULL); }

static int
set_handler(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    return sigaction(sig, &sa, NULL);
}

static int
set_usr2(void (*handler)(int))
{
    return set_handler(SIGUSR2, handler);
}

static const struct {
    int sig;
    void (*fn)(int);
} handlers[] = {
    {SIGALRM, on_alrm},
};

struct exported_entry {
    int sig;
    void (*fn)(int);
};
struct exported_entry exported_handlers[] = {{SIGPIPE, on_pipe}};

static void
call_now(void (*fn)(int))
{
    fn(0);
}

static const struct {
    const char *name;
    void (*fn)(int);
} callbacks[] = {
    {"table", on_table},
};

static PyObject *
get_collect(void)
{
    PyObject *mod = PyImport_ImportModule("gc");
    PyObject *f;
    if (mod == NULL)
        return NULL;
    f = PyObject_GetAttrString(mod, "collect");
    Py_DECREF(mod);
    return f;
}

static PyObject *
install(PyObject *self, PyObject *unused)
{
    size_t i;
    if (usr1_cb == NULL && (usr1_cb = get_collect()) == NULL)
        return NULL;
    if (usr2_cb == NULL && (usr2_cb = get_collect()) == NULL)
        return NULL;
    if (hup_cb == NULL && (hup_cb = get_collect()) == NULL)
        return NULL;
    if (quit_cb == NULL && (quit_cb = get_collect()) == NULL)
        return NULL;
    if (alrm_cb == NULL && (alrm_cb = get_collect()) == NULL)
        return NULL;
    if (pipe_cb == NULL && (pipe_cb = get_collect()) == NULL)
        return NULL;
    if (ctl_cb == NULL && (ctl_cb = get_collect()) == NULL)
        return NULL;
    if (table_cb == NULL && (table_cb = get_collect()) == NULL)
        return NULL;
    if (set_handler(SIGUSR1, on_usr1) < 0)
        return PyErr_SetFromErrno(PyExc_OSError);
    if (set_usr2(on_usr2) < 0)
        return PyErr_SetFromErrno(PyExc_OSError);
    INSTALL_HANDLER(SIGHUP, on_hup);
    ON_SIGNAL(SIGQUIT, on_quit);
    for (i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        PyOS_setsig(handlers[i].sig, handlers[i].fn);
    for (i = 0; i < sizeof exported_handlers / sizeof exported_handlers[0]; i++)
        signal(exported_handlers[i].sig, exported_handlers[i].fn);
    call_now(on_ctl);
    for (i = 0; i < sizeof callbacks / sizeof callbacks[0]; i++)
        callbacks[i].fn(0);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {{"install", install, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "sigaway", NULL, 0, methods};
PyMODINIT_FUNC PyInit_sigaway(void) { return PyModuleDef_Init(&def); }
