/* Tests: a single-phase module whose definition reaches PyModule_Create
 * through an array of definitions (the bare name passes its first
 * element) or a pointer variable is read through them: m_size -1 makes
 * the init run once per process, so a lazy static it sets gets an unsafe
 * fix. A const pointer to a definition with per-module state runs per
 * interpreter (safe); a pointer that is not const may be set to another
 * definition, so unless it points to an m_size of -1 it is unknown. */
#include <Python.h>

static PyObject *ArrayError;     /*~ OV101 ArrayError */
static PyObject *PointerError;   /*~ OV101 PointerError */
static PyObject *StateError;     /*~ OV101 StateError */
static PyObject *LooseError;     /*~ OV101 LooseError */

static struct PyModuleDef defs[1] = {
    {PyModuleDef_HEAD_INIT, "arr", NULL, -1, NULL},
};

PyMODINIT_FUNC
PyInit_arr(void)
{
    PyObject *m = PyModule_Create(defs);
    if (m == NULL) {
        return NULL;
    }
    if (ArrayError == NULL) {
        ArrayError = PyErr_NewException("arr.Error", NULL, NULL);
        if (ArrayError == NULL) {
            return NULL;
        }
    }
    PyModule_AddObjectRef(m, "Error", ArrayError);
    return m;
}

static struct PyModuleDef ptr_def = {PyModuleDef_HEAD_INIT, "ptr", NULL, -1, NULL};
static struct PyModuleDef *const ptr_defp = &ptr_def;

static int
add_pointer_error(PyObject *m)
{
    if (PointerError == NULL) {
        PointerError = PyErr_NewException("ptr.Error", NULL, NULL);
        if (PointerError == NULL) {
            return -1;
        }
    }
    return PyModule_AddObjectRef(m, "Error", PointerError);
}

PyMODINIT_FUNC
PyInit_ptr(void)
{
    PyObject *m = PyModule_Create(ptr_defp);
    if (m == NULL || add_pointer_error(m) < 0) {
        Py_XDECREF(m);
        return NULL;
    }
    return m;
}

static struct PyModuleDef state_def = {PyModuleDef_HEAD_INIT, "state", NULL, 0, NULL};
static struct PyModuleDef *const state_defp = &state_def;

PyMODINIT_FUNC
PyInit_state(void)
{
    PyObject *m = PyModule_Create(state_defp);
    if (m == NULL) {
        return NULL;
    }
    if (StateError == NULL) {
        StateError = PyErr_NewException("state.Error", NULL, NULL);
        if (StateError == NULL) {
            return NULL;
        }
    }
    PyModule_AddObjectRef(m, "Error", StateError);
    return m;
}

static struct PyModuleDef loose_def = {PyModuleDef_HEAD_INIT, "loose", NULL, 0, NULL};
static struct PyModuleDef *loose_defp = &loose_def;

PyMODINIT_FUNC
PyInit_loose(void)
{
    PyObject *m = PyModule_Create(loose_defp);
    if (m == NULL) {
        return NULL;
    }
    if (LooseError == NULL) {
        LooseError = PyErr_NewException("loose.Error", NULL, NULL);
        if (LooseError == NULL) {
            return NULL;
        }
    }
    PyModule_AddObjectRef(m, "Error", LooseError);
    return m;
}
