#include <Python.h>
static PyObject *generator_state = NULL; /*~ OV101 generator_state */
static PyObject *
gen(void)
{
    if (generator_state == NULL) {
        generator_state = PyDict_New();
    }
    return generator_state;
}
