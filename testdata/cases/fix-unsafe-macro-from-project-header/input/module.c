/* Tests: the file reaches Python.h only through the project's master
 * header, which includes a second header that defines lowercase macros
 * (`value`, `slot`) for the rest of the project. The runtime include
 * would go after the master header's #include line, where those macros
 * are defined: the runtime header would not compile there, so the fix is
 * unsafe and the reason names the macros. */
#include "include/project.h"

static PyObject *entry_class = NULL;   /*~ OV101 entry_class */

static PyObject *
get_entry_class(PyObject *self, PyObject *unused)
{
    if (entry_class == NULL) {
        entry_class = PyTuple_New(0);
        if (entry_class == NULL)
            return NULL;
    }
    return Py_NewRef(entry_class);
}

static PyObject *
current_value(PyObject *self, PyObject *unused)
{
    return Py_NewRef(value);
}
