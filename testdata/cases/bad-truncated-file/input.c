/* Tests (malformed on purpose, does not compile): a file cut off in the
 * middle of a function, as from an interrupted download or a partial
 * write.  The complete site before the cut is found -> OV201 (a lazily
 * allocated char buffer). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static char *line_buffer = NULL;   /*~ OV201 line_buffer */

static char *
get_line_buffer(void)
{
    if (line_buffer == NULL) {
        line_buffer = PyMem_RawMalloc(8192);
    }
    return line_buffer;
}

static PyObject *
read_line(PyObject *self, PyObject *file)
{
    char *buf = get_line_buffer();
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *line = PyObject_CallMethod(file, "readline", NULL);
    if (line == NULL) {
        return NULL;
    }
    if (PyBytes_Check(line) && PyBytes_GET_SIZE(line) < 8192) {
        memcpy(buf, PyBytes_AS_STRING(line), (size_t)PyBytes_GET_SI
