/* Tests: the NULL guard is a `while` loop condition (retry until the
 * static is set), and a `do { ... } while (0)` block with a `break` guard.
 *   frozen_importer: while (v == NULL) { v = f(); ... }     -> OV101
 *   hook_name:       do { if (v) break; v = f(); } while (0) -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, frozen_importer);   /*~ OV101 frozen_importer */
Py_ONCEVAR_DECLARE(PyObject *, hook_name);         /*~ OV101 hook_name */

static PyObject *
get_frozen_importer(void)
{
    while (Py_ONCEVAR(frozen_importer) == NULL) {
        Py_ONCEVAR(frozen_importer) = PyImport_ImportModule("_frozen_importlib");
        if (Py_ONCEVAR(frozen_importer) == NULL) {
            return NULL;
        }
    }
    return Py_ONCEVAR(frozen_importer);
}

static PyObject *
get_hook_name(void)
{
    do {
        if (Py_ONCEVAR(hook_name)) {
            break;
        }
        Py_ONCEVAR(hook_name) = PyUnicode_InternFromString("find_spec");
    } while (0);
    return Py_ONCEVAR(hook_name);
}
