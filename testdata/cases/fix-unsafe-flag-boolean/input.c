/* Tests: a process-wide `bool` flag compared with `false`/`true`
 * (`if (inited == false) { … }`, `if (true == armed) return …;`) gates a
 * lazy site as `!flag` does: the fix is unsafe, with that reason. A flag
 * compared with `true` around the site (`shown`) is a test of process-wide
 * state too: nothing proves a later interpreter passes it, so that fix is
 * unsafe as well, naming the test (a flag the unit never writes holds the
 * same value everywhere and is no flag: fix-state-test-never-written). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdbool.h>

static bool inited = false;
static bool armed;
static bool verbose;
static PyObject *lookup_tbl = NULL;   /*~ OV101 lookup_tbl */
static PyObject *alarms;              /*~ OV101 alarms */
static PyObject *shown;               /*~ OV101 shown */

static PyObject *
get_lookup(PyObject *self, PyObject *unused)
{
    if (inited == false) {
        inited = true;
        if (lookup_tbl == NULL)
            lookup_tbl = PyDict_New();
    }
    return Py_XNewRef(lookup_tbl);
}

static PyObject *
get_alarms(PyObject *self, PyObject *unused)
{
    if (true == armed)
        return Py_XNewRef(alarms);
    armed = true;
    if (alarms == NULL)
        alarms = PyList_New(0);
    return Py_XNewRef(alarms);
}

static PyObject *
get_shown(PyObject *self, PyObject *unused)
{
    if (verbose == true) {
        if (shown == NULL)
            shown = PyUnicode_FromString("verbose");
    }
    return Py_XNewRef(shown);
}

/* `verbose` is set at run time: a flag another interpreter may not have set. */
static PyObject *
set_verbose(PyObject *self, PyObject *arg)
{
    verbose = PyObject_IsTrue(arg) > 0;
    Py_RETURN_NONE;
}
