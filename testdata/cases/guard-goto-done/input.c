/* Tests: goto-style guard, `if (v != NULL) goto done; v = ...; done:`
 * -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
get_builtins_open(void)
{
    static PyObject *builtin_open = NULL;   /*~ OV101 builtin_open */
    PyObject *builtins;

    if (builtin_open != NULL) {
        goto done;
    }
    builtins = PyImport_ImportModule("builtins");
    if (builtins == NULL) {
        return NULL;
    }
    builtin_open = PyObject_GetAttrString(builtins, "open");
    Py_DECREF(builtins);
    if (builtin_open == NULL) {
        return NULL;
    }
done:
    return builtin_open;
}
