/* Tests: a lazy fill that runs once per process is unsafe to rewrite
 * alone, whatever decides it: a once-routine handed to pthread_once through
 * the unit's macro, the unit's own once helper that calls its parameter
 * under a static flag (the fill one call below the routine), the unit's
 * helper taking a flag's address and the routine, an atomic test-and-set,
 * a compare-and-swap builtin, a `while` on a flag, a macro reading a state
 * word. Controls stay safe: a flag tested but gating no fill, a callback
 * handed with a local's address, a type's address given to the unit's
 * helper, a flag kept in module state. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <stdatomic.h>

static pthread_once_t tables_once = PTHREAD_ONCE_INIT;
#define RUN_ONCE(routine) pthread_once(&tables_once, (routine))

static atomic_flag claimed = ATOMIC_FLAG_INIT;
static int swapped;
static int looped;
static int ready_state;
#define IS_READY() (ready_state == 2)
static int verbose;
static PyTypeObject Thing_Type;

typedef struct {
    int loaded;
} module_state;

static PyObject *by_macro = NULL;   /*~ OV101 by_macro */
static PyObject *by_helper = NULL;  /*~ OV101 by_helper */
static PyObject *by_address = NULL; /*~ OV101 by_address */
static PyObject *by_tas = NULL;     /*~ OV101 by_tas */
static PyObject *by_cas = NULL;     /*~ OV101 by_cas */
static PyObject *by_loop = NULL;    /*~ OV101 by_loop */
static PyObject *by_state = NULL;   /*~ OV101 by_state */
static PyObject *logged = NULL;     /*~ OV101 logged */
static PyObject *sorted = NULL;     /*~ OV101 sorted */
static PyObject *typed = NULL;      /*~ OV101 typed */
static PyObject *per_module = NULL; /*~ OV101 per_module */

static void
init_by_macro(void)
{
    if (by_macro == NULL)
        by_macro = PyDict_New();
}

/* The unit's once helper: calls its routine under a static flag. */
static void
run_once(void (*routine)(void))
{
    static int done;
    if (!done) {
        done = 1;
        (*routine)();
    }
}

static void
load_by_helper(void)
{
    if (by_helper == NULL)
        by_helper = PyList_New(0);
}

static void
init_by_helper(void)
{
    load_by_helper();
}

/* The unit's helper that takes the flag's address and the routine. */
static int address_done;

static void
call_with_flag(int *flag, void (*routine)(void))
{
    if (*flag == 0) {
        *flag = 1;
        routine();
    }
}

static void
init_by_address(void)
{
    if (by_address == NULL)
        by_address = PyList_New(0);
}

static int
compare(const void *a, const void *b)
{
    if (sorted == NULL)
        sorted = PyList_New(0);
    return (*(const int *)a > *(const int *)b) - (*(const int *)a < *(const int *)b);
}

static int
sort_with(int *scratch, int (*cmp)(const void *, const void *))
{
    (void)scratch;
    (void)cmp;
    return 0;
}

static int
add_type(PyObject *m, PyTypeObject *type)
{
    (void)m;
    return type == NULL ? -1 : 0;
}

static PyObject *
lookup(PyObject *self, PyObject *key)
{
    int scratch = 0;
    RUN_ONCE(init_by_macro);
    run_once(init_by_helper);
    call_with_flag(&address_done, init_by_address);
    if (!atomic_flag_test_and_set(&claimed)) {
        if (by_tas == NULL && (by_tas = PyDict_New()) == NULL)
            return NULL;
    }
    if (__sync_bool_compare_and_swap(&swapped, 0, 1)) {
        if (by_cas == NULL)
            by_cas = PyDict_New();
    }
    while (!looped) {
        looped = 1;
        if (by_loop == NULL)
            by_loop = PyDict_New();
    }
    if (!IS_READY()) {
        ready_state = 2;
        if (by_state == NULL)
            by_state = PyDict_New();
    }
    /* Controls. */
    if (verbose)
        verbose = 0;
    if (logged == NULL)
        logged = PyList_New(0);
    sort_with(&scratch, compare);
    if (add_type(self, &Thing_Type) < 0)
        return NULL;
    if (typed == NULL)
        typed = PyList_New(0);
    module_state *state = PyModule_GetState(self);
    if (state != NULL && !state->loaded) {
        state->loaded = 1;
        if (per_module == NULL)
            per_module = PyList_New(0);
    }
    return Py_BuildValue("(OOOOOOOOOOO)", by_macro, by_helper, by_address, by_tas, by_cas,
                         by_loop, by_state, logged, sorted, typed, per_module);
}

static PyMethodDef methods[] = {{"lookup", lookup, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "oncespell", NULL,
                                 sizeof(module_state), methods};
PyMODINIT_FUNC PyInit_oncespell(void) { return PyModuleDef_Init(&def); }
