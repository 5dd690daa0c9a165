/* Tests: a single-phase init (m_size -1) reaches the step that fills the
 * lazy exception through one static inline function of a header (more.h,
 * named here directly; single.c reaches it through steps.h), which names
 * neither the static nor the module: the fix is unsafe and names the path
 * through the header's function (the unit's pruning left the header out,
 * and the path with it). */
#include "inc/more.h"

static PyObject *Timeout;  /*~ OV101 Timeout */

static int
add_more(PyObject *m)
{
    if (Timeout == NULL) {
        Timeout = PyErr_NewException("timer.Timeout", PyExc_OSError, NULL);
        if (Timeout == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "Timeout", Timeout);
}

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "timer", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_timer(void)
{
    PyObject *m = PyModule_Create(&def);
    if (m == NULL || hi_more_steps(m) < 0) {
        Py_XDECREF(m);
        return NULL;
    }
    return m;
}
