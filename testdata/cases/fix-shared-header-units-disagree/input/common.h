/* A header shared by three modules: one claims to run without the GIL, so
 * its unit publishes the cache with Py_ONCEVAR_SET; the other two keep the
 * GIL. Publication is right with a GIL too (runtime/README.md, "Memory
 * ordering"), so they publish it as well: the units rewrite common.h alike
 * and the fix is safe (it was display-only, "their edits overlap"). */
#ifndef COMMON_H
#define COMMON_H
#include <Python.h>

static PyObject *json_module = NULL; /*~ OV401 json_module */

static PyObject *
load_json(void)
{
    if (json_module == NULL) {
        json_module = PyImport_ImportModule("json");
        if (json_module == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(json_module);
}
#endif
