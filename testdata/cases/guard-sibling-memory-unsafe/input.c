/* Tests: an object and a block of memory filled under one guard on the
 * object: the memory is a site too (OV201), and since oncevar does not
 * rewrite it, the object's fix is unsafe (fixed together or not at all). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *codec_name = NULL;   /*~ OV101 codec_name */
static char *codec_table = NULL;      /*~ OV201 codec_table */

static PyObject *
codec(PyObject *self, PyObject *unused)
{
    if (codec_name == NULL) {
        codec_name = PyUnicode_FromString("rot13");
        codec_table = PyMem_Malloc(256);
        if (codec_name == NULL || codec_table == NULL) {
            return PyErr_NoMemory();
        }
        for (int i = 0; i < 256; i++) {
            codec_table[i] = (char)i;
        }
    }
    return Py_NewRef(codec_name);
}
