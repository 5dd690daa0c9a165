/* The unity build (pygame's static.c): one translation unit holding the
 * three modules. `spare_lookup`, exported and called by nothing here, is
 * no module's territory: whose its cache is, is not known, so it counts
 * for every module. */
#include "alpha.c"
#include "beta.c"
#include "gamma.c"

PyObject *
spare_lookup(PyObject *key)
{
    static PyObject *spare_cache; /*~ OV101 spare_cache */
    if (spare_cache == NULL) {
        spare_cache = PyDict_New();
        if (spare_cache == NULL) {
            return NULL;
        }
    }
    return PyDict_GetItemWithError(spare_cache, key);
}
