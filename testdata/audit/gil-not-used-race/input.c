/* A module that claims to run without the GIL and fills a cache without a
 * lock: OV401, which contradicts the claim; its own-GIL verdict is blocked
 * by the same site, which that claim does not make. */
#include <Python.h>

static PyObject *pattern = NULL; /*~ OV401 pattern */

static PyObject *
get_pattern(PyObject *self, PyObject *unused)
{
    if (pattern == NULL) {
        pattern = PyUnicode_FromString("[a-z]+");
        if (pattern == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(pattern);
}

static PyMethodDef race_methods[] = {
    {"get_pattern", get_pattern, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot race_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED}, /*~ contradicted race Py_MOD_GIL_NOT_USED */
    {0, NULL},
};

static struct PyModuleDef race_module = {
    PyModuleDef_HEAD_INIT, "race", NULL, 0, race_methods, race_slots,
};

PyMODINIT_FUNC
PyInit_race(void) /*~ module race multi-phase pig=blocked ft=blocked */
{
    return PyModuleDef_Init(&race_module);
}
/*~ blocks race OV401 pattern both */
