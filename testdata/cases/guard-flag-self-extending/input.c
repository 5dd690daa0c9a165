/* Tests: a cache built in several steps under a process-wide flag, one
 * step extending the static from itself (`table = f(table)`): still that
 * one initialisation, not a cursor. Under the NULL guard and the flag it is
 * OV101 with an unsafe fix (the flag would stay process-wide); under the
 * flag alone too, in a method (OV301 before: set once). Spelled with `if
 * (!loaded)`, an early exit on the flag, and a boolean. */
#include <Python.h>
#include <stdbool.h>

static PyObject *
lookup(PyObject *self, PyObject *key)
{
    static int loaded = 0;
    static PyObject *table = NULL;   /*~ OV101 table */
    static PyObject *names = NULL;   /*~ OV101 names */

    if (!loaded) {
        loaded = 1;
        if (table == NULL) {
            table = PyDict_New();
            if (table == NULL)
                return NULL;
        }
        table = PyDictProxy_New(table);
        names = PyList_New(0);
        names = PySequence_Tuple(names);
    }
    if (table == NULL)
        Py_RETURN_NONE;
    return PyObject_GetItem(table, key);
}

static bool ready;
static PyObject *aliases;   /*~ OV101 aliases */

static PyObject *
get_aliases(PyObject *self, PyObject *unused)
{
    if (ready)
        goto done;
    ready = true;
    if (aliases == NULL)
        aliases = PyList_New(0);
    aliases = PySequence_Tuple(aliases);
done:
    return Py_XNewRef(aliases);
}
