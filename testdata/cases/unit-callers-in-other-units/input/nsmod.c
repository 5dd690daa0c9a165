/* Tests: the single-phase init calls NS(add_errors)(m), which nserrors.c
 * defines as `int NS(add_errors)(PyObject *m)` with the lazy fill: the
 * pasted name links the units (unsafe, naming xu_add_errors). */
#include "ns.h"

static struct PyModuleDef nsdef = {PyModuleDef_HEAD_INIT, "nsmod", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_nsmod(void)
{
    PyObject *m = PyModule_Create(&nsdef);
    if (m == NULL)
        return NULL;
    if (NS(add_errors)(m) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
