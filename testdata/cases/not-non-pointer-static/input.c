/* Tests (look-alike, no finding): non-pointer statics with "lazy" guards:
 * an int counter, a size_t page size and a double. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <unistd.h>

static int count;
static size_t page_size = 0;

static PyObject *
bump(PyObject *self, PyObject *unused)
{
    static double scale = 0.0;

    if (!count) {
        count = 1;
    }
    if (page_size == 0) {
        page_size = (size_t)sysconf(_SC_PAGESIZE);
    }
    if (scale == 0.0) {
        scale = 1.5;
    }
    return Py_BuildValue("ind", count++, (Py_ssize_t)page_size, scale);
}
