/* Tests: an exported function that no unit of the tree calls keeps its
 * safe fix, as the unit alone gives it (whether another program's
 * single-phase init calls it is not asked: the issue 18 note says why;
 * branch xunit 7c2a7c2 has the rule that makes it unsafe). */
#include <Python.h>

static PyObject *orphan_cache = NULL;  /*~ OV101 orphan_cache */

PyObject *
orphan_get(void)
{
    if (orphan_cache == NULL)
        orphan_cache = PyDict_New();
    return orphan_cache;
}
