/* Tests: an exported function that no unit of the tree calls: whether a
 * single-phase init calls it is not known (unsafe, with the reason). */
#include <Python.h>

static PyObject *orphan_cache = NULL;  /*~ OV101 orphan_cache */

PyObject *
orphan_get(void)
{
    if (orphan_cache == NULL)
        orphan_cache = PyDict_New();
    return orphan_cache;
}
