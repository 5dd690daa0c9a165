/* Tests: a single-phase init (m_size -1) that walks a table of steps
 * defined in another unit (errors.c) runs the table's functions once per
 * process: their lazy statics get an unsafe fix naming the path across
 * the files. A table that only a multi-phase module's exec walks
 * (exec.c) leaves its functions' fixes safe. The extern declaration of a
 * table names it without walking it. */
#include <Python.h>

extern int (*const init_steps[])(PyObject *);

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "sp", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_sp(void)
{
    PyObject *m = PyModule_Create(&def);
    size_t i;
    if (m == NULL) {
        return NULL;
    }
    for (i = 0; init_steps[i] != NULL; i++) {
        if (init_steps[i](m) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    }
    return m;
}
