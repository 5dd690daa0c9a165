/* Tests: a pointer typedef visible in the same file.
 *   `typedef PyObject *PyObjectPtr; static PyObjectPtr v;` -> object -> OV101
 *   `typedef struct table *table_ptr; static table_ptr t;` -> memory -> OV201
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

typedef PyObject *PyObjectPtr;

struct table {
    size_t size;
    long values[64];
};
typedef struct table *table_ptr;

Py_ONCEVAR_DECLARE(PyObjectPtr, default_factory);   /*~ OV101 default_factory */
static table_ptr lookup_table;        /*~ OV201 lookup_table */

static PyObjectPtr
get_default_factory(void)
{
    if (Py_ONCEVAR(default_factory) == NULL) {
        Py_ONCEVAR(default_factory) = PyObject_GetAttrString((PyObject *)&PyDict_Type, "fromkeys");
    }
    return Py_ONCEVAR(default_factory);
}

static table_ptr
get_table(void)
{
    if (lookup_table == NULL) {
        lookup_table = PyMem_RawCalloc(1, sizeof(struct table));
        if (lookup_table != NULL) {
            lookup_table->size = 64;
        }
    }
    return lookup_table;
}
