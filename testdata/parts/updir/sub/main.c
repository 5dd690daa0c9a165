/* The part lies one folder up: `#include "../part.h"`. */
#include <Python.h>
#include "../part.h"

static int
mod_clear(PyObject *m)
{
    Py_CLEAR(dumps_name);
    return 0;
}
