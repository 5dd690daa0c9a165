/* State with static storage written while the module runs: a counter, a
 * buffer filled by snprintf, a flag whose address PyArg_ParseTuple writes,
 * a block-scope static. Not counted: a write under a PyMutex, a write in
 * exec, a release in m_free, an atomic store, a local that shadows the
 * name, a const table. */
#include <Python.h>

static long ncalls;                 /*~ OV402 ncalls */
static char last_message[64];       /*~ OV402 last_message */
static int verbose;                 /*~ OV402 verbose */
static long guarded;
static int initialised;
static const char *const names[] = {"a", "b"};
static PyMutex lock;
static int atomic_hits;

static PyObject *
spam_call(PyObject *self, PyObject *args)
{
    static int depth;               /*~ OV402 depth */
    long ncalls_seen = 0;
    ncalls++;
    depth += 1;
    snprintf(last_message, sizeof last_message, "call %ld", ncalls);
    if (!PyArg_ParseTuple(args, "|p", &verbose)) {
        return NULL;
    }
    PyMutex_Lock(&lock);
    guarded++;
    PyMutex_Unlock(&lock);
    __atomic_fetch_add(&atomic_hits, 1, __ATOMIC_RELAXED);
    {
        long initialised = 0;
        initialised++;
        ncalls_seen = initialised;
    }
    return PyLong_FromLong(ncalls_seen + (long)names[0][0]);
}

static PyMethodDef spam_methods[] = {
    {"call", spam_call, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int
spam_exec(PyObject *m)
{
    initialised = 1;
    return 0;
}

static void
spam_free(void *m)
{
    ncalls = 0;
}

static PyModuleDef_Slot spam_slots[] = {
    {Py_mod_exec, spam_exec},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED}, /*~ contradicted runs Py_MOD_GIL_NOT_USED */
    {0, NULL},
};

static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT, "runs", NULL, 0, spam_methods, spam_slots,
    .m_free = spam_free,
};

PyMODINIT_FUNC
PyInit_runs(void) /*~ module runs multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&spam_module);
}
/*~ blocks runs OV402 ncalls both */
/*~ blocks runs OV402 last_message both */
/*~ blocks runs OV402 verbose both */
/*~ blocks runs OV402 depth both */
