/* Tests: a lazy fill past a test that process-wide state decides is
 * unsafe to rewrite alone when the state reaches the test through an
 * automatic local or a parameter (`int first = !loaded; loaded = 1; if
 * (first) { … }`, a copy assigned later, a parameter given `!loaded` by
 * the only caller, a local given the result of `first_time()`), or
 * through a function of the unit whose result the state decides tested
 * as an early exit (`if (!first_time()) goto use;`, `== 0`, inside a
 * macro's arguments): every later interpreter takes the other way and
 * finds its own slot empty. Contrasts that stay safe: an early exit by
 * CPython's error convention on such a function (`< 0`, `== -1`, a
 * pointer result tested against NULL, also through a local `rc`), which
 * only a failed call takes; a local given a per-call value (a parameter's
 * truth, a flag PyArg_ParseTuple writes through its address). */
#include <Python.h>
#include <dlfcn.h>

#define UNLIKELY(x) __builtin_expect(!!(x), 0)

static int loaded;
static int seen;
static void *lib;                       /*~ OV201 lib */
static PyObject *copied;                /*~ OV101 copied */
static PyObject *assigned;              /*~ OV101 assigned */
static PyObject *early;                 /*~ OV101 early */
static PyObject *handed;                /*~ OV101 handed */
static PyObject *from_call;             /*~ OV101 from_call */
static PyObject *skipped;               /*~ OV101 skipped */
static PyObject *compared;              /*~ OV101 compared */
static PyObject *wrapped;               /*~ OV101 wrapped */
static PyObject *after_lib;             /*~ OV101 after_lib */
static PyObject *after_rc;              /*~ OV101 after_rc */
static PyObject *per_call;              /*~ OV101 per_call */
static PyObject *parsed;                /*~ OV101 parsed */

static int
first_time(void)
{
    if (seen)
        return 0;
    seen = 1;
    return 1;
}

static void *
load_lib(void)
{
    if (lib == NULL)
        lib = dlopen("libz.so.1", RTLD_NOW);
    return lib;
}

static int
ensure_lib(void)
{
    if (lib == NULL) {
        lib = dlopen("libz.so.1", RTLD_NOW);
        if (lib == NULL)
            return -1;
    }
    return 0;
}

static PyObject *
get_copied(PyObject *self, PyObject *args)
{
    int first = !loaded;
    loaded = 1;
    if (first) {
        if (copied == NULL) {
            copied = PyDict_New();
            if (copied == NULL)
                return NULL;
        }
    }
    return Py_XNewRef(copied);
}

static PyObject *
get_assigned(PyObject *self, PyObject *args)
{
    int need;
    need = (loaded == 0);
    if (need && assigned == NULL) {
        assigned = PyDict_New();
        if (assigned == NULL)
            return NULL;
    }
    return Py_XNewRef(assigned);
}

static PyObject *
get_early(PyObject *self, PyObject *args)
{
    int was = loaded;
    if (was)
        goto use;
    if (early == NULL) {
        early = PyDict_New();
        if (early == NULL)
            return NULL;
    }
use:
    return Py_XNewRef(early);
}

static PyObject *
fill_handed(int first)
{
    if (first) {
        if (handed == NULL) {
            handed = PyDict_New();
            if (handed == NULL)
                return NULL;
        }
    }
    return Py_XNewRef(handed);
}

static PyObject *
get_handed(PyObject *self, PyObject *args)
{
    return fill_handed(!loaded);
}

static PyObject *
get_from_call(PyObject *self, PyObject *args)
{
    int first = first_time();
    if (first) {
        if (from_call == NULL) {
            from_call = PyDict_New();
            if (from_call == NULL)
                return NULL;
        }
    }
    return Py_XNewRef(from_call);
}

static PyObject *
get_skipped(PyObject *self, PyObject *args)
{
    if (!first_time())
        goto use;
    if (skipped == NULL) {
        skipped = PyDict_New();
        if (skipped == NULL)
            return NULL;
    }
use:
    return Py_XNewRef(skipped);
}

static PyObject *
get_compared(PyObject *self, PyObject *args)
{
    if (first_time() == 0)
        return Py_XNewRef(compared);
    if (compared == NULL) {
        compared = PyDict_New();
        if (compared == NULL)
            return NULL;
    }
    return Py_XNewRef(compared);
}

static PyObject *
get_wrapped(PyObject *self, PyObject *args)
{
    if (UNLIKELY(!first_time()))
        return Py_XNewRef(wrapped);
    if (wrapped == NULL) {
        wrapped = PyDict_New();
        if (wrapped == NULL)
            return NULL;
    }
    return Py_XNewRef(wrapped);
}

static PyObject *
get_after_lib(PyObject *self, PyObject *args)
{
    if (!load_lib())
        return PyErr_Format(PyExc_OSError, "no libz");
    if (after_lib == NULL) {
        after_lib = PyDict_New();
        if (after_lib == NULL)
            return NULL;
    }
    return Py_NewRef(after_lib);
}

static PyObject *
get_after_rc(PyObject *self, PyObject *args)
{
    int rc = ensure_lib();
    if (rc < 0)
        return PyErr_Format(PyExc_OSError, "no libz");
    if (ensure_lib() == -1)
        return NULL;
    if (after_rc == NULL) {
        after_rc = PyDict_New();
        if (after_rc == NULL)
            return NULL;
    }
    return Py_NewRef(after_rc);
}

static PyObject *
get_per_call(PyObject *self, PyObject *arg)
{
    int want = PyObject_IsTrue(arg);
    if (want) {
        if (per_call == NULL) {
            per_call = PyDict_New();
            if (per_call == NULL)
                return NULL;
        }
    }
    return Py_XNewRef(per_call);
}

static PyObject *
get_parsed(PyObject *self, PyObject *args)
{
    int fill = 0;
    if (!PyArg_ParseTuple(args, "|p", &fill))
        return NULL;
    if (fill && parsed == NULL) {
        parsed = PyDict_New();
        if (parsed == NULL)
            return NULL;
    }
    return Py_XNewRef(parsed);
}

static PyMethodDef methods[] = {
    {"copied", get_copied, METH_NOARGS, NULL},
    {"assigned", get_assigned, METH_NOARGS, NULL},
    {"early", get_early, METH_NOARGS, NULL},
    {"handed", get_handed, METH_NOARGS, NULL},
    {"from_call", get_from_call, METH_NOARGS, NULL},
    {"skipped", get_skipped, METH_NOARGS, NULL},
    {"compared", get_compared, METH_NOARGS, NULL},
    {"wrapped", get_wrapped, METH_NOARGS, NULL},
    {"after_lib", get_after_lib, METH_NOARGS, NULL},
    {"after_rc", get_after_rc, METH_NOARGS, NULL},
    {"per_call", get_per_call, METH_O, NULL},
    {"parsed", get_parsed, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef_Slot slots[] = {
    {0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "gates", NULL, 0, methods, slots,
};

PyMODINIT_FUNC
PyInit_gates(void)
{
    return PyModuleDef_Init(&module);
}
