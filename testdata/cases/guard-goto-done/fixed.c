/* Tests: goto-style guard, `if (v != NULL) goto done; v = ...; done:`
 * -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static PyObject *
get_builtins_open(void)
{
    Py_ONCEVAR_DECLARE(PyObject *, builtin_open);   /*~ OV101 builtin_open */
    PyObject *builtins;

    if (Py_ONCEVAR(builtin_open) != NULL) {
        goto done;
    }
    builtins = PyImport_ImportModule("builtins");
    if (builtins == NULL) {
        return NULL;
    }
    Py_ONCEVAR(builtin_open) = PyObject_GetAttrString(builtins, "open");
    Py_DECREF(builtins);
    if (Py_ONCEVAR(builtin_open) == NULL) {
        return NULL;
    }
done:
    return Py_ONCEVAR(builtin_open);
}
