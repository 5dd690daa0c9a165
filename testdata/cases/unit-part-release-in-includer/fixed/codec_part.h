#include "oncevar.h"
/* Part of codec.c, included once (no include guard of its own). */
Py_ONCEVAR_DECLARE(PyObject *, encoder_name); /*~ OV102 encoder_name */

static PyObject *
codec_encoder_name(void)
{
    if (!Py_ONCEVAR(encoder_name)) {
        Py_ONCEVAR(encoder_name) = PyUnicode_FromString("utf-8");
    }
    return Py_ONCEVAR(encoder_name);
}
