/* The store goes through a macro of a project header. */
#include <Python.h>
#include "inc/store.h"

static PyObject *salt = NULL; /*~ OV101 salt */

static PyObject *
hashing_salt(PyObject *self, PyObject *unused)
{
    if (salt == NULL) {
        STORE_NEW(salt, PyBytes_FromString("pepper"));
    }
    return Py_NewRef(salt);
}
