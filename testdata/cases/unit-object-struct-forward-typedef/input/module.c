/* Tests: an object type named by a typedef of a forward-declared struct
 * (`typedef struct session_s SessionObject;`, the body with PyObject_HEAD
 * further down, here in another header), or by a typedef of that name,
 * is a Python object: the statics are OV102 (released), not OV201. */
#include <Python.h>
#include "inc/session_fwd.h"
#include "inc/session_impl.h"

static SessionObject *current;   /*~ OV102 current */
static SessionRef *fallback = NULL;   /*~ OV102 fallback */

static PyObject *
get_current(PyObject *self, PyObject *unused)
{
    if (current == NULL && (current = session_open()) == NULL)
        return NULL;
    if (!fallback) {
        fallback = session_open();
        if (!fallback)
            return NULL;
    }
    Py_INCREF(current);
    return (PyObject *)current;
}

static int
module_clear(PyObject *module)
{
    Py_CLEAR(current);
    Py_CLEAR(fallback);
    return 0;
}
