/* Tests: release by a plain Py_DECREF inside an explicit guarded fini
 * function -> OV102. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *inf_str = NULL;   /*~ OV102 inf_str */

static PyObject *
format_inf(PyObject *self, PyObject *unused)
{
    if (inf_str == NULL) {
        inf_str = PyUnicode_FromString("inf");
        if (inf_str == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(inf_str);
}

void
_myformat_fini(void)
{
    if (inf_str != NULL) {
        Py_DECREF(inf_str);
        inf_str = NULL;
    }
}
