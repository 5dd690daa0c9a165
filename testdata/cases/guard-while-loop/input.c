/* Tests: the NULL guard is a `while` loop condition (retry until the
 * static is set), and a `do { ... } while (0)` block with a `break` guard.
 *   frozen_importer: while (v == NULL) { v = f(); ... }     -> OV101
 *   hook_name:       do { if (v) break; v = f(); } while (0) -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *frozen_importer = NULL;   /*~ OV101 frozen_importer */
static PyObject *hook_name = NULL;         /*~ OV101 hook_name */

static PyObject *
get_frozen_importer(void)
{
    while (frozen_importer == NULL) {
        frozen_importer = PyImport_ImportModule("_frozen_importlib");
        if (frozen_importer == NULL) {
            return NULL;
        }
    }
    return frozen_importer;
}

static PyObject *
get_hook_name(void)
{
    do {
        if (hook_name) {
            break;
        }
        hook_name = PyUnicode_InternFromString("find_spec");
    } while (0);
    return hook_name;
}
