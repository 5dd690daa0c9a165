/* Tests: a site whose address is stored in a file-scope table. A pointer to
 * the per-interpreter slot must not outlive a call, so the fix is unsafe. */
#include <Python.h>

static PyObject *str_name = NULL;   /*~ OV101 str_name */

static PyObject **interned_slots[] = {&str_name, NULL};

static PyObject *
get_name(void)
{
    if (str_name == NULL) {
        str_name = PyUnicode_InternFromString("name");
    }
    return str_name;
}

Py_ssize_t
count_slots(void)
{
    Py_ssize_t n = 0;
    while (interned_slots[n] != NULL) {
        n++;
    }
    return n;
}
