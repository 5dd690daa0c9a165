/* Tests: aliases of Py_UNBLOCK_THREADS / Py_BLOCK_THREADS defined in a
 * header (gil.h) and written without `;` before a typedef'd declaration:
 * the header is kept in the unit for them, and each use is read as the
 * empty statement it stands for, so the lazy cache of the next function
 * is in get_cache with a safe fix (before: function `if`, unsafe, the
 * file did not parse). */
#include "gil.h"

static PyObject *
do_work(PyObject *self, PyObject *args)
{
    PyThreadState *_save;
    LEAVE_GIL
    level_t lvl = 3;
    (void)lvl;
    ENTER_GIL
    if (args)
        Py_DECREF(args);
    Py_RETURN_NONE;
}

static PyObject *
get_cache(PyObject *self, PyObject *unused)
{
    static PyObject *cache = NULL; /*~ OV101 cache */
    if (cache == NULL) {
        cache = PyDict_New();
        if (cache == NULL)
            return NULL;
    }
    return Py_NewRef(cache);
}
