/* Part of unit-single-phase-helper-in-part: included by module.c. */

static int
add_part_error(PyObject *module)
{
    if (PartError == NULL) {
        PartError = PyErr_NewException("module.PartError", NULL, NULL);
        if (PartError == NULL) {
            return -1;
        }
    }
    Py_INCREF(PartError);
    return PyModule_AddObject(module, "PartError", PartError);
}

static int
setup_errors(PyObject *module)
{
    return add_part_error(module);
}
