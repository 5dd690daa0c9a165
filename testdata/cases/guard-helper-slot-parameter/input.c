/* Tests: a helper of the file receives the static's address and tests
 * `*slot == NULL` (or `if (*slot) return`) before writing it: each static
 * passed as `&v` is a lazy site (OV101), one level of calls. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int
cached_import(const char *name, PyObject **slot)
{
    if (*slot == NULL) {
        *slot = PyImport_ImportModule(name);
    }
    return *slot == NULL ? -1 : 0;
}

static int
cached_attr(PyObject *owner, const char *name, PyObject **out)
{
    if (*out) {
        return 0;
    }
    *out = PyObject_GetAttrString(owner, name);
    return *out ? 0 : -1;
}

static PyObject *json_module = NULL;   /*~ OV101 json_module */

static PyObject *
dumps(PyObject *self, PyObject *obj)
{
    static PyObject *dumps_func = NULL;   /*~ OV101 dumps_func */

    if (cached_import("json", &json_module) < 0
        || cached_attr(json_module, "dumps", &dumps_func) < 0) {
        return NULL;
    }
    return PyObject_CallOneArg(dumps_func, obj);
}
