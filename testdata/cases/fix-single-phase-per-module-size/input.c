/* Tests: a single-phase module init whose definition has per-module state
 * (m_size 0, or sizeof a state struct, or a macro of the file for 0) runs
 * again in every interpreter that imports the module, so a static filled in
 * what it reaches gets each interpreter's own object: the fix is safe.
 * Where m_size is a name oncevar cannot evaluate (an enum constant), whether the init runs
 * once per process is unknown: the fix is unsafe and says why. */
#include <Python.h>

#define NO_STATE 0

enum { STATE_SIZE = -1 };

typedef struct {
    int calls;
} state_t;

static PyObject *zero_error = NULL;    /*~ OV101 zero_error */
static PyObject *sized_error = NULL;   /*~ OV101 sized_error */
static PyObject *macro_error = NULL;   /*~ OV101 macro_error */
static PyObject *unknown_error = NULL; /*~ OV101 unknown_error */

static int
add_error(PyObject *m, PyObject **slot, const char *name)
{
    if (*slot == NULL) {
        *slot = PyErr_NewException(name, NULL, NULL);
        if (*slot == NULL) {
            return -1;
        }
    }
    return PyModule_AddObject(m, "error", Py_NewRef(*slot));
}

static struct PyModuleDef zero_def = {PyModuleDef_HEAD_INIT, "zero", NULL, 0, NULL};
static struct PyModuleDef sized_def = {PyModuleDef_HEAD_INIT, "sized", NULL, sizeof(state_t), NULL};
static struct PyModuleDef macro_def = {PyModuleDef_HEAD_INIT, "macro", NULL, NO_STATE, NULL};
static struct PyModuleDef unknown_def = {PyModuleDef_HEAD_INIT, "unknown", NULL, STATE_SIZE, NULL};

static PyObject *
finish(PyObject *m, int rc)
{
    if (rc < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

PyMODINIT_FUNC
PyInit_zero(void)
{
    PyObject *m = PyModule_Create(&zero_def);
    return m ? finish(m, add_error(m, &zero_error, "zero.error")) : NULL;
}

PyMODINIT_FUNC
PyInit_sized(void)
{
    PyObject *m = PyModule_Create(&sized_def);
    if (m == NULL) {
        return NULL;
    }
    if (sized_error == NULL) {
        sized_error = PyErr_NewException("sized.error", NULL, NULL);
    }
    return finish(m, sized_error ? PyModule_AddObject(m, "error", Py_NewRef(sized_error)) : -1);
}

PyMODINIT_FUNC
PyInit_macro(void)
{
    PyObject *m = PyModule_Create(&macro_def);
    return m ? finish(m, add_error(m, &macro_error, "macro.error")) : NULL;
}

PyMODINIT_FUNC
PyInit_unknown(void)
{
    PyObject *m = PyModule_Create(&unknown_def);
    return m ? finish(m, add_error(m, &unknown_error, "unknown.error")) : NULL;
}
