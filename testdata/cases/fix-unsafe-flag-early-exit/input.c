/* Tests: a lazy site after an early exit on a process-wide flag
 * (`if (once) goto ready;`, `if (setup_done != 0) return …;`): the flag,
 * not the slot, decides whether the block runs, so every later interpreter
 * would skip it and find its own slot empty. The fix is unsafe, with that
 * reason. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int once;
static char setup_done = 0;
static PyObject *names;   /*~ OV101 names */

static PyObject *
get_names(PyObject *self, PyObject *unused)
{
    if (once)
        goto ready;
    once = 1;
    if (names == NULL) {
        names = PyList_New(0);
        if (names == NULL)
            return NULL;
    }
ready:
    return Py_XNewRef(names);
}

static PyObject *
get_units(PyObject *self, PyObject *unused)
{
    static PyTypeObject *unit_type = NULL;   /*~ OV101 unit_type */

    if (setup_done != 0) {
        return Py_XNewRef((PyObject *)unit_type);
    }
    setup_done = 1;
    if (!unit_type) {
        unit_type = (PyTypeObject *)PyObject_GetAttrString(self, "Unit");
    }
    return Py_XNewRef((PyObject *)unit_type);
}

static PyObject *
get_local_flag(PyObject *self, PyObject *arg)
{
    /* A local flag is recomputed per call: the guard is the NULL test. */
    int skip = PyObject_IsTrue(arg);
    static PyObject *plain = NULL;   /*~ OV101 plain */

    if (skip)
        Py_RETURN_NONE;
    if (plain == NULL) {
        plain = PyUnicode_FromString("plain");
    }
    return Py_XNewRef(plain);
}
