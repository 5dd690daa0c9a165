/* Tests (with cam.c): functions handed to this file's exported
 * registration functions run at process exit, through a table its
 * Py_AtExit hook walks (add_quitter, add_quit_hooks, quit_slots) or C's
 * atexit (quit_at_c_exit); run_later's table is run by a method, with
 * an interpreter. */
#include <Python.h>
#include "quit.h"

static void (*quitters[8])(void);
static int nquitters;
static const struct quit_hooks *hook_sets[8];
static int nhook_sets;
static void (*later[8])(void);
static int nlater;
void (*quit_slots[4])(void);

static void
run_quitters(void)
{
    int i;
    while (nquitters > 0)
        quitters[--nquitters]();
    for (i = nhook_sets - 1; i >= 0; i--)
        hook_sets[i]->quit();
    for (i = 0; i < 4; i++) {
        void (*f)(void) = quit_slots[i];
        if (f != NULL)
            f();
    }
}

static int
ensure_hook(void)
{
    static int registered;
    if (!registered && Py_AtExit(run_quitters) < 0)
        return -1;
    registered = 1;
    return 0;
}

int
add_quitter(void (*fn)(void))
{
    if (nquitters == 8)
        return -1;
    quitters[nquitters++] = fn;
    return 0;
}

int
add_quit_hooks(const struct quit_hooks *hooks)
{
    if (nhook_sets == 8)
        return -1;
    hook_sets[nhook_sets++] = hooks;
    return 0;
}

int
quit_at_c_exit(void (*fn)(void))
{
    return atexit(fn);
}

int
run_later(void (*fn)(void))
{
    if (nlater == 8)
        return -1;
    later[nlater++] = fn;
    return 0;
}

static PyObject *
flush(PyObject *self, PyObject *unused)
{
    while (nlater > 0)
        later[--nlater]();
    Py_RETURN_NONE;
}

static PyMethodDef quit_methods[] = {
    {"flush", flush, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}};
static struct PyModuleDef quit_def = {PyModuleDef_HEAD_INIT, "quit", NULL, 0, quit_methods};

PyMODINIT_FUNC
PyInit_quit(void)
{
    if (ensure_hook() < 0)
        return NULL;
    return PyModuleDef_Init(&quit_def);
}
