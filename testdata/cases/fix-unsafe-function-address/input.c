/* Tests: a function named by its address (`&init`, which C makes the same
 * pointer as `init`) is followed as its bare name is: a once-routine handed
 * to pthread_once, to C11's call_once (in parentheses), or to the unit's
 * once helper that calls its parameter under a static flag, runs once per
 * process; a signal handler given to signal() runs with no thread state;
 * an exit hook given to Py_AtExit calls at exit what its table holds ->
 * each fix unsafe. Control: a routine whose address goes to a helper that
 * calls it every time keeps its safe fix. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <signal.h>
#include <threads.h>

static pthread_once_t table_once = PTHREAD_ONCE_INIT;
static once_flag names_flag = ONCE_FLAG_INIT;

static PyObject *table = NULL;    /*~ OV101 table */
static PyObject *names = NULL;    /*~ OV101 names */
static PyObject *helped = NULL;   /*~ OV101 helped */
static PyObject *signalled = NULL; /*~ OV101 signalled */
static PyObject *quitting = NULL; /*~ OV102 quitting */
static PyObject *plain = NULL;    /*~ OV101 plain */

static void (*quit_fns[4])(void);
static int n_quit;

static void
init_table(void)
{
    if (table == NULL)
        table = PyDict_New();
}

static void
init_names(void)
{
    if (names == NULL)
        names = PyList_New(0);
}

static void
init_helped(void)
{
    if (helped == NULL)
        helped = PyDict_New();
}

static void
init_plain(void)
{
    if (plain == NULL)
        plain = PyList_New(0);
}

static void
on_signal(int signum)
{
    (void)signum;
    if (signalled == NULL)
        signalled = PyList_New(0);
}

static void
forget(void)
{
    Py_CLEAR(quitting);
}

static void
run_quits(void)
{
    for (int i = 0; i < n_quit; i++)
        quit_fns[i]();
}

/* The unit's once helper: calls its routine under a static flag. */
static void
run_once(void (*routine)(void))
{
    static int done;
    if (!done) {
        done = 1;
        routine();
    }
}

/* Calls its routine every time. */
static void
run_now(void (*routine)(void))
{
    (*routine)();
}

static PyObject *
get_all(PyObject *self, PyObject *unused)
{
    pthread_once(&table_once, &init_table);
    call_once(&names_flag, (&init_names));
    run_once(&init_helped);
    run_now(&init_plain);
    if (quitting == NULL && (quitting = PyDict_New()) == NULL)
        return NULL;
    if (table == NULL || names == NULL || helped == NULL || plain == NULL)
        return PyErr_NoMemory();
    return PyTuple_Pack(6, table, names, helped, plain, quitting,
                        signalled ? signalled : Py_None);
}

static int
exec_module(PyObject *module)
{
    (void)module;
    signal(SIGUSR1, &on_signal);
    if (n_quit < 4)
        quit_fns[n_quit++] = forget;
    return Py_AtExit(&run_quits);
}

static PyModuleDef_Slot slots[] = {{Py_mod_exec, exec_module}, {0, NULL}};
static PyMethodDef methods[] = {{"get_all", get_all, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "address", NULL, 0, methods, slots};
PyMODINIT_FUNC PyInit_address(void) { return PyModuleDef_Init(&def); }
