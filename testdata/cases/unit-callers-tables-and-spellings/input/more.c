/* Tests: Py_LOCAL and Py_LOCAL_INLINE are `static`, so a function spelled
 * with them that nothing calls is no entry for other units (safe, as the
 * unit alone gives it); a function named only in another unit's exported
 * table (tables.c's ext_steps, which any unit may read) is unknown
 * (unsafe); one named in another unit's static table that only a method
 * reads is run time (safe). An exported function that only another
 * exported function of its unit calls, which nothing calls (as CPython's
 * DllGetClassObject calls Call_GetClassObject): the reason names the
 * outer one as the function without a caller (unsafe). */
#include "inl.h"

static PyObject *local_orphan_cache = NULL;  /*~ OV101 local_orphan_cache */
static PyObject *inline_local_cache = NULL;  /*~ OV101 inline_local_cache */
static PyObject *ext_table_cache = NULL;  /*~ OV101 ext_table_cache */
static PyObject *read_by_method_cache = NULL;  /*~ OV101 read_by_method_cache */
static PyObject *inner_cache = NULL;  /*~ OV101 inner_cache */

Py_LOCAL(PyObject *)
local_orphan(void)
{
    if (local_orphan_cache == NULL)
        local_orphan_cache = PyDict_New();
    return local_orphan_cache;
}

Py_LOCAL_INLINE(PyObject *)
inline_local(void)
{
    if (inline_local_cache == NULL)
        inline_local_cache = PyDict_New();
    return inline_local_cache;
}

int
ext_table_step(PyObject *m)
{
    if (ext_table_cache == NULL) {
        ext_table_cache = PyDict_New();
        if (ext_table_cache == NULL)
            return -1;
    }
    return PyModule_AddObjectRef(m, "ext_table", ext_table_cache);
}

PyObject *
read_by_method(void)
{
    if (read_by_method_cache == NULL)
        read_by_method_cache = PyDict_New();
    return read_by_method_cache;
}

PyObject *
inner_get(void)
{
    if (inner_cache == NULL)
        inner_cache = PyDict_New();
    return inner_cache;
}

PyObject *
outer_get(void)
{
    return inner_get();
}
