/* Built with a strict warning set, every warning an error (the unit's
 * command in compile_commands.json.in): the fixed file, which includes the
 * runtime header, must still compile, so its fix is verified. The getter
 * is exported and a method of the unit's module calls it (an exported
 * function that no file calls would leave the init phase unknown). */
#include <Python.h>

PyObject *get_colon(void);
PyMODINIT_FUNC PyInit_pedantic(void);

static PyObject *colon = NULL; /*~ OV101 colon */

PyObject *get_colon(void)
{
    if (colon == NULL) {
        colon = PyUnicode_FromString(": ");
    }
    return colon;
}

static PyObject *
colon_method(PyObject *module, PyObject *unused)
{
    PyObject *value = get_colon();
    (void)module;
    (void)unused;
    if (value == NULL) {
        return NULL;
    }
    Py_INCREF(value);
    return value;
}

static PyMethodDef pedantic_methods[] = {
    {"colon", colon_method, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef pedantic_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "pedantic",
    .m_methods = pedantic_methods,
};

PyMODINIT_FUNC
PyInit_pedantic(void)
{
    return PyModuleDef_Init(&pedantic_module);
}
