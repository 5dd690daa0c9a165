/* Tests: `static void *` holding a lazily allocated scratch buffer under a
 * NULL guard.  Raw memory, not a Python object -> OV201. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define SCRATCH_SIZE 4096

static void *scratch = NULL;   /*~ OV201 scratch */

static PyObject *
zero_fill(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (n < 0 || n > SCRATCH_SIZE) {
        PyErr_SetString(PyExc_ValueError, "size out of range");
        return NULL;
    }
    if (scratch == NULL) {
        scratch = PyMem_RawMalloc(SCRATCH_SIZE);
        if (scratch == NULL) {
            return PyErr_NoMemory();
        }
    }
    memset(scratch, 0, (size_t)n);
    return PyBytes_FromStringAndSize(scratch, n);
}
