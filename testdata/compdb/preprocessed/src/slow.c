/* Built without -DFAST, from its own folder, with settings.h forced in
 * (-include): the evaluator knows no name of this unit. */
#include <Python.h>
#include "settings.h"
#include "fast.h"

#ifndef FAST
static PyObject *slow_table = NULL; /*~ OV101 slow_table */

static PyObject *get_slow_table(void)
{
    if (slow_table == NULL) {
        slow_table = PyDict_New();
    }
    return slow_table;
}
#endif
