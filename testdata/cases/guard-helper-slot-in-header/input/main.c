/* Tests: the NULL guard sits in a helper of a project header that gets the
 * static's address (`lazy_import(&v, ...)`), and in a helper that a header's
 * helper hands the slot on to, two levels deep across the header and this
 * file: each static is a lazy cache (OV101), as with the helper in the file.
 * A helper of the header that stores a borrowed reference through the slot
 * makes that static's fix unsafe. */
#include <Python.h>
#include "inc/lazy.h"

static PyObject *re_mod;            /*~ OV101 re_mod */
static PyObject *json_dumps = NULL; /*~ OV101 json_dumps */
static PyObject *len_builtin;       /*~ OV101 len_builtin */

static int
fill_attr(PyObject **slot, const char *module, const char *attribute)
{
    if (*slot == NULL) {
        PyObject *mod = PyImport_ImportModule(module);
        *slot = mod ? PyObject_GetAttrString(mod, attribute) : NULL;
        Py_XDECREF(mod);
    }
    return *slot ? 0 : -1;
}

static PyObject *
compile_re(PyObject *self, PyObject *pat)
{
    PyObject *m = lazy_import(&re_mod, "re");
    if (m == NULL)
        return NULL;
    return PyObject_CallMethod(m, "compile", "O", pat);
}

static PyObject *
dumps(PyObject *self, PyObject *obj)
{
    if (lazy_attr(&json_dumps, "json", "dumps") < 0)
        return NULL;
    return PyObject_CallOneArg(json_dumps, obj);
}

static PyObject *
length(PyObject *self, PyObject *obj)
{
    lazy_builtin(&len_builtin, "len");
    if (len_builtin == NULL)
        return NULL;
    return PyObject_CallOneArg(len_builtin, obj);
}
