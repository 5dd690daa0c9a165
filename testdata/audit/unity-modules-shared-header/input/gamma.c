/* Module gamma, pygame's shape: single-phase, its definition declared in
 * its init function, a static set there. Its blockers are its own. */
#include "common.h"

static PyObject *gamma_names; /*~ OV301 gamma_names */

static PyObject *
gamma_names_get(PyObject *self, PyObject *unused)
{
    return Py_NewRef(gamma_names);
}

static PyMethodDef gamma_methods[] = {
    {"names", gamma_names_get, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

PyMODINIT_FUNC
PyInit_gamma(void) /*~ module gamma single-phase pig=blocked ft=blocked */
{
    static struct PyModuleDef _module = {
        PyModuleDef_HEAD_INIT, "gamma", NULL, -1, gamma_methods,
    };
    PyObject *module = PyModule_Create(&_module); /*~ OV501 gamma */
    if (module == NULL) {
        return NULL;
    }
    gamma_names = PyList_New(0);
    return module;
}
/*~ blocks gamma OV501 gamma pig */
/*~ blocks gamma OV301 gamma_names pig */
/*~ blocks gamma OV101 spare_cache both */
