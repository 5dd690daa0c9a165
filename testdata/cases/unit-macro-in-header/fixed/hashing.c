/* The store goes through a macro of a project header. */
#include <Python.h>
#include "oncevar.h"
#include "inc/store.h"

Py_ONCEVAR_DECLARE(PyObject *, salt); /*~ OV101 salt */

static PyObject *
hashing_salt(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(salt) == NULL) {
        STORE_NEW(Py_ONCEVAR(salt), PyBytes_FromString("pepper"));
    }
    return Py_NewRef(Py_ONCEVAR(salt));
}
