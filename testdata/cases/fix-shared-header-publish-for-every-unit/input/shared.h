/* Included (through wrap.h) by free.c, whose module claims to run without
 * the GIL on free-threaded builds (PyUnstable_Module_SetGIL under
 * #ifdef Py_GIL_DISABLED), and by plain.c, whose module keeps it. Both
 * publish these caches with Py_ONCEVAR_SET, right with a GIL too, so they
 * rewrite this header alike: `empty` and `json_mod` get safe fixes.
 * `table` is used after its store, which publication does not take over:
 * unsafe, for that reason alone (no unit "does not make the same change"). */
#ifndef SHARED_H
#define SHARED_H
#include <Python.h>

static PyObject *json_mod = NULL; /*~ OV401 json_mod */
static PyObject *table = NULL; /*~ OV401 table */

static PyObject *
get_json(void)
{
    if (json_mod == NULL) {
        json_mod = PyImport_ImportModule("json");
    }
    return json_mod;
}

static PyObject *
get_empty(void)
{
    static PyObject *empty; /*~ OV401 empty */
    if (!empty) {
        empty = PyTuple_New(0);
        if (!empty) {
            return NULL;
        }
    }
    return empty;
}

static PyObject *
get_table(void)
{
    if (table == NULL) {
        table = PyDict_New();
        if (table == NULL) {
            return NULL;
        }
        if (PyDict_SetItemString(table, "none", Py_None) < 0) {
            return NULL;
        }
    }
    return table;
}
#endif
