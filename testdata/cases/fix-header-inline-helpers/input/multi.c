/* Control for fix-header-inline-helpers: the same header steps run by a
 * multi-phase module's exec slot: the fix stays safe. */
#include "inc/steps.h"

static PyObject *MultiMore;  /*~ OV101 MultiMore */

static int
add_more(PyObject *m)
{
    if (MultiMore == NULL) {
        MultiMore = PyErr_NewException("multi.More", NULL, NULL);
        if (MultiMore == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "More", MultiMore);
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, hi_run_steps},
    {0, NULL}
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "multi", NULL, 0, NULL, slots};

PyMODINIT_FUNC
PyInit_multi(void)
{
    return PyModuleDef_Init(&def);
}
