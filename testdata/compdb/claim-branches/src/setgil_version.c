/* A single-phase module that claims to run without the GIL from Python
 * 3.13 on: the headers on its path are 3.12's, so this build does not
 * compile the call (OV101, the plain fix, a note naming the call), but a
 * 3.13t build does: there the plain shape is published (Py_ONCEVAR_SET,
 * OV401). */
#include <Python.h>

static PyObject *codec = NULL; /*~ OV101 codec */

static PyObject *
get_codec(PyObject *self, PyObject *unused)
{
    if (codec == NULL) {
        codec = PyUnicode_FromString("utf-8");
        if (codec == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(codec);
}

static PyMethodDef setgil_methods[] = {
    {"get_codec", get_codec, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef setgil_module = {
    PyModuleDef_HEAD_INIT, "setgil_version", NULL, -1, setgil_methods,
};

PyMODINIT_FUNC
PyInit_setgil_version(void)
{
    PyObject *m = PyModule_Create(&setgil_module);
    if (m == NULL) {
        return NULL;
    }
#if PY_VERSION_HEX >= 0x030D0000
    PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
#endif
    return m;
}
