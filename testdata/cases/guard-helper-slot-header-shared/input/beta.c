#include <Python.h>
#include "inc/lazy.h"

static PyObject *beta_mod; /*~ OV101 beta_mod */

static PyObject *
beta(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(lazy_module(&beta_mod, "textwrap"));
}
