/* Tests: the file reaches Python.h through its own header and still has a
 * lowercase macro of its own (`keys`) defined where the runtime include
 * would go: the runtime header would not compile there, so the fix is
 * unsafe, and the reason names the macro. */
#include "ext_common.h"
#define keys ext_key_table
#include "ext_tables.h"

static PyObject *key_names = NULL;   /*~ OV101 key_names */

static PyObject *
get_key_names(PyObject *self, PyObject *unused)
{
    if (key_names == NULL) {
        key_names = PyTuple_New(0);
    }
    return Py_XNewRef(key_names);
}
