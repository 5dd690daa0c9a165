#include <Python.h>

extern int (*const exec_steps[])(PyObject *);

static int
mp_exec(PyObject *m)
{
    size_t i;
    for (i = 0; exec_steps[i] != NULL; i++) {
        if (exec_steps[i](m) < 0) {
            return -1;
        }
    }
    return 0;
}

static PyModuleDef_Slot slots[] = {{Py_mod_exec, mp_exec}, {0, NULL}};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "mp", NULL, 0, NULL, slots};

PyMODINIT_FUNC
PyInit_mp(void)
{
    return PyModuleDef_Init(&def);
}
