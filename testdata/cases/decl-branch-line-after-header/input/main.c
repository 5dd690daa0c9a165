/* Tests: the reason that ties an #if chain's branches together names the
 * other branch's declaration by its line in this file (line 13), also when
 * a header is read into the unit before it. */
#include <Python.h>
#include "prelude.h"

static PyObject **slots[TABLE_SIZE];

static PyObject *
shared_use(void)
{
#ifdef USE_TABLE
    static PyObject *value = NULL;   /*~ OV101 value */
    slots[0] = &value;
    if (value == NULL)
        value = PyLong_FromLong(1);
#else
    static PyObject *value = NULL;   /*~ OV101 value */
    if (value == NULL)
        value = PyLong_FromLong(2);
#endif
    return Py_XNewRef(value);
}
