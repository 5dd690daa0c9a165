/* A module init that a header's macro defines whole (no body in this
 * file, no `;` after the invocation): the module is found, named by the
 * pasted name, and what its body calls is its init. The two codecs are
 * set once in that setup, in a single-phase module: OV301, whose fix is
 * unsafe until the module is multi-phase. */
#include <Python.h>
#include "compat_init.h"

static PyObject *encode_fn, *decode_fn; /*~ OV301 encode_fn fix=unsafe */ /*~ OV301 decode_fn fix=unsafe */

static PyObject *
codec_roundtrip(PyObject *self, PyObject *arg)
{
    PyObject *encoded = PyObject_CallOneArg(encode_fn, arg), *decoded;
    if (encoded == NULL) {
        return NULL;
    }
    decoded = PyObject_CallOneArg(decode_fn, encoded);
    Py_DECREF(encoded);
    return decoded;
}

static PyMethodDef codec_methods[] = {
    {"roundtrip", codec_roundtrip, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef codec_module = {
    PyModuleDef_HEAD_INIT, "codec", NULL, -1, codec_methods,
};

static PyObject *
module_setup(void)
{
    PyObject *m = PyModule_Create(&codec_module), *marshal; /*~ OV501 codec */
    if (m == NULL) {
        return NULL;
    }
    marshal = PyImport_ImportModule("marshal");
    if (marshal == NULL) {
        return NULL;
    }
    encode_fn = PyObject_GetAttrString(marshal, "dumps");
    decode_fn = PyObject_GetAttrString(marshal, "loads");
    Py_DECREF(marshal);
    if (encode_fn == NULL || decode_fn == NULL) {
        return NULL;
    }
    return m;
}

COMPAT_MODULE_INIT(codec) /*~ module codec single-phase pig=blocked ft=ok */
