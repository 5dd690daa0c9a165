/* Tests: a helper that fills its caller's static through its slot
 * parameter without a plain `*slot = …`: with `Py_XSETREF(*slot, …)` or
 * `Py_SETREF`, or by handing the slot on (to the file's compatibility
 * definition of PyObject_GetOptionalAttrString, to another helper, to a
 * function outside the file) under a NULL test of `*slot` in the helper.
 * Breaker round 6 helper-out-param v20 and v21: no site. Each static is
 * lazy (OV101). The slot owns a new reference stored by Py_XSETREF or by
 * the compatibility definition (safe); a borrowed one stored by Py_SETREF,
 * or what an outside function stores, is not proven (unsafe, with the
 * reason). Control: a hand-off with no NULL test anywhere is no lazy
 * site. */
#include <Python.h>

#if PY_VERSION_HEX < 0x030D00A1
static int
PyObject_GetOptionalAttrString(PyObject *obj, const char *name, PyObject **result)
{
    *result = PyObject_GetAttrString(obj, name);
    if (*result != NULL)
        return 1;
    if (!PyErr_ExceptionMatches(PyExc_AttributeError))
        return -1;
    PyErr_Clear();
    return 0;
}
#endif

extern int fill_from_registry(const char *key, PyObject **out);

static int
fetch_xsetref(const char *modname, const char *attr, PyObject **slot)
{
    if (*slot == NULL) {
        PyObject *mod = PyImport_ImportModule(modname);
        if (mod == NULL)
            return -1;
        Py_XSETREF(*slot, PyObject_GetAttrString(mod, attr));
        Py_DECREF(mod);
        if (*slot == NULL)
            return -1;
    }
    return 0;
}

static int
fetch_setref_borrowed(PyObject *dict, PyObject **slot)
{
    if (*slot == NULL) {
        Py_SETREF(*slot, PyDict_GetItemString(dict, "key"));
    }
    return *slot == NULL ? -1 : 0;
}

static int
fetch_optional(const char *modname, const char *attr, PyObject **slot)
{
    PyObject *mod;
    int rc;
    if (*slot != NULL)
        return 1;
    mod = PyImport_ImportModule(modname);
    if (mod == NULL)
        return -1;
    rc = PyObject_GetOptionalAttrString(mod, attr, slot);
    Py_DECREF(mod);
    return rc;
}

static int
fetch_twice_removed(PyObject **slot)
{
    if (*slot == NULL)
        return fetch_optional("os", "sep", slot);
    return 1;
}

static int
fetch_outside(PyObject **slot)
{
    if (*slot != NULL)
        return 0;
    return fill_from_registry("key", slot);
}

static int
fetch_unguarded(PyObject **slot)
{
    return fill_from_registry("other", slot);
}

static PyObject *
use(PyObject *self, PyObject *arg)
{
    static PyObject *formatter = NULL;           /*~ OV101 formatter */
    static PyObject *borrowed = NULL;            /*~ OV101 borrowed */
    static PyObject *parser = NULL;              /*~ OV101 parser */
    static PyObject *sep = NULL;                 /*~ OV101 sep */
    static PyObject *registered = NULL;          /*~ OV101 registered */
    static PyObject *replaced = NULL;

    if (fetch_xsetref("string", "Formatter", &formatter) < 0
        || fetch_setref_borrowed(arg, &borrowed) < 0
        || fetch_optional("argparse", "ArgumentParser", &parser) <= 0
        || fetch_twice_removed(&sep) <= 0
        || fetch_outside(&registered) < 0
        || fetch_unguarded(&replaced) < 0)
        return NULL;
    return PyTuple_Pack(6, formatter, borrowed, parser, sep, registered, replaced);
}
