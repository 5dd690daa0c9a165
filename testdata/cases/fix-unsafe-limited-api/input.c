/* Tests: a module built against the limited API. The runtime needs the full
 * C API (PyInterpreterState_GetDict), so the fix is unsafe there. */
#define Py_LIMITED_API 0x03080000
#include <Python.h>

static PyObject *str_name = NULL;   /*~ OV101 str_name */

PyObject *
get_name(void)
{
    if (str_name == NULL) {
        str_name = PyUnicode_InternFromString("name");
    }
    return str_name;
}
