/* Tests: the helper that fills an array given by its name is defined in
 * a header of the unit (kept in the unit for it), called directly or
 * through a macro of that header. */
#include <Python.h>
#include "fill.h"

static PyObject *tens[4];                       /*~ OV101 tens */

static PyObject *
get_ten(PyObject *self, PyObject *arg)
{
    static PyObject *cache[2];                  /*~ OV101 cache */
    long k = PyLong_AsLong(arg) & 1;
    if (tens[0] == NULL) {
        if (fill_table(tens, 4) < 0)
            return NULL;
    }
    if (cache[k] == NULL && FILL_TABLE(cache) < 0)
        return NULL;
    return Py_NewRef(tens[k]);
}

static PyMethodDef methods[] = {{"ten", get_ten, METH_O, NULL}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "tens", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_tens(void)
{
    return PyModuleDef_Init(&def);
}
