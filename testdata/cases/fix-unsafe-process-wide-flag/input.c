/* Tests: a lazy site nested under a process-wide flag (`static int
 * ready`, or a file-scope `loaded_once`): every later interpreter would skip
 * the block and find its own slot empty, so the fix is unsafe, with that
 * reason. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int loaded_once;
static PyObject *aliases = NULL;   /*~ OV101 aliases */

static PyObject *
get_table(PyObject *self, PyObject *unused)
{
    static int ready = 0;
    static PyObject *table = NULL;   /*~ OV101 table */

    if (!ready) {
        ready = 1;
        if (table == NULL) {
            table = PyDict_New();
        }
    }
    return Py_XNewRef(table);
}

static PyObject *
get_aliases(PyObject *self, PyObject *unused)
{
    if (loaded_once == 0) {
        loaded_once = 1;
        if (!aliases) {
            aliases = PyDict_New();
        }
    }
    return Py_XNewRef(aliases);
}
