/* Controls: a file named like a vendoring folder is the project's. */
#include <Python.h>
static PyObject *own = NULL;                /*~ OV101 own */
PyObject *get_own(void) {
    if (own == NULL) {
        own = PyUnicode_FromString("own");
    }
    return own;
}
