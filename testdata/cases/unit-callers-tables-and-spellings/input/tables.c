/* An exported table of steps: other units may read it (unknown); a
 * static table of getters that only a method reads (run time). */
#include <Python.h>
int ext_table_step(PyObject *m);
PyObject *read_by_method(void);

int (*ext_steps[])(PyObject *) = {ext_table_step, NULL};

static PyObject *(*const getters[])(void) = {read_by_method, NULL};

static PyObject *
get_all(PyObject *self, PyObject *unused)
{
    for (int i = 0; getters[i] != NULL; i++) {
        if (getters[i]() == NULL)
            return NULL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef tables_methods[] = {{"get_all", get_all, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef tablesdef = {PyModuleDef_HEAD_INIT, "tables", NULL, -1, tables_methods};

PyMODINIT_FUNC
PyInit_tables(void)
{
    return PyModule_Create(&tablesdef);
}
