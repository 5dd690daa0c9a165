/* Included by fast.c, built with -DFAST, and by slow.c, built without:
 * the fix's lines under #ifdef FAST are compiled by one of them. */
#include <Python.h>
#ifdef FAST
static PyObject *fast_table = NULL;
static PyObject *
get_fast_table(void)
{
    if (fast_table == NULL) {
        fast_table = PyDict_New();
    }
    return fast_table;
}
#endif
