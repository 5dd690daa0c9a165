/* Tests: a single-phase init (m_size -1) reaches the file's fill through
 * two static inline steps of two project headers (steps.h, then more.h):
 * the fix is unsafe and names the path through both. */
#include "inc/steps.h"

static PyObject *More;  /*~ OV101 More */

static int
add_more(PyObject *m)
{
    if (More == NULL) {
        More = PyErr_NewException("single.More", NULL, NULL);
        if (More == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "More", More);
}

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "single", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_single(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL) {
        return NULL;
    }
    if (hi_run_steps(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
