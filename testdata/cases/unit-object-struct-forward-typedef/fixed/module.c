/* Tests: an object type named by a typedef of a forward-declared struct
 * (`typedef struct session_s SessionObject;`, the body with PyObject_HEAD
 * further down, here in another header), or by a typedef of that name,
 * is a Python object: the statics are OV102 (released), not OV201. */
#include <Python.h>
#include "oncevar.h"
#include "inc/session_fwd.h"
#include "inc/session_impl.h"

Py_ONCEVAR_DECLARE(SessionObject *, current);   /*~ OV102 current */
Py_ONCEVAR_DECLARE(SessionRef *, fallback);   /*~ OV102 fallback */

static PyObject *
get_current(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(current) == NULL && (Py_ONCEVAR(current) = session_open()) == NULL)
        return NULL;
    if (!Py_ONCEVAR(fallback)) {
        Py_ONCEVAR(fallback) = session_open();
        if (!Py_ONCEVAR(fallback))
            return NULL;
    }
    Py_INCREF(Py_ONCEVAR(current));
    return (PyObject *)Py_ONCEVAR(current);
}

static int
module_clear(PyObject *module)
{
    Py_CLEAR(Py_ONCEVAR(current));
    Py_CLEAR(Py_ONCEVAR(fallback));
    return 0;
}
