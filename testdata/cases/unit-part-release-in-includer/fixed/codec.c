/* The module's traverse and clear functions release a static that a
 * textually included part declares and fills. */
#include <Python.h>
#include "codec_part.h"

static int
codec_traverse(PyObject *module, visitproc visit, void *arg)
{
    Py_VISIT(Py_ONCEVAR(encoder_name));
    return 0;
}

static int
codec_clear(PyObject *module)
{
    Py_CLEAR(Py_ONCEVAR(encoder_name));
    return 0;
}
