/* A single-phase module: its methods table names table_get (run time),
 * a macro entry names macro_get (run time), its own table of steps
 * names step_errors, which the init walks (once per process), and the
 * init calls macro_errors through a header macro (once per process). */
#include "ext.h"

static int (*const steps[])(PyObject *) = {step_errors, NULL};

static PyMethodDef methods[] = {
    {"table_get", table_get, METH_NOARGS, NULL},
    MACRO_GET_METHODDEF
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "steps", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_steps(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL)
        return NULL;
    for (int i = 0; steps[i] != NULL; i++) {
        if (steps[i](m) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    }
    if (ADD_MACRO_ERRORS(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
