/* The part is reached through a macro-named include: the search for
 * includers reads `#include PART_H` through the file's `#define`. */
#include <Python.h>
#define PART_H "part.h"
#include PART_H

static int
mod_clear(PyObject *m)
{
    Py_CLEAR(dumps_name);
    return 0;
}
