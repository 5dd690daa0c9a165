/* No Py_mod_gil claim: on a free-threaded build, importing this module
 * turns the GIL back on; the site stays OV101. */
#include <Python.h>

static PyObject *plain_cache = NULL; /*~ OV101 plain_cache */

static PyObject *get_plain(void)
{
    if (plain_cache == NULL) {
        plain_cache = PyList_New(0);
    }
    return plain_cache;
}
