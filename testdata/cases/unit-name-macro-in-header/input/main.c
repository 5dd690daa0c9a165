/* Tests: a header of macros only is part of the unit when a macro it
 * defines is invoked where a static is named: `STRINGIFY(version)` keeps
 * its argument (rewritten, the attribute looked up would be
 * "Py_ONCEVAR(version)"), and `Text_FromUTF8("append")` is a new reference
 * through the header's macro, so that fix is safe. */
#include <Python.h>
#include "compat.h"

static PyObject *append_name = NULL;   /*~ OV101 append_name */

static PyObject *
get_version(PyObject *self, PyObject *unused)
{
    static PyObject *version = NULL;   /*~ OV101 version */
    if (version == NULL) {
        PyObject *mod = PyImport_ImportModule("sys");
        if (mod == NULL)
            return NULL;
        version = PyObject_GetAttrString(mod, STRINGIFY(version));
        Py_DECREF(mod);
        if (version == NULL)
            return NULL;
    }
    if (append_name == NULL && !(append_name = Text_FromUTF8("append")))
        return NULL;
    return Py_NewRef(version);
}
