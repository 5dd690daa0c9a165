/* Lazy fills in exported functions: mod.c, whose module claims to run
 * without the GIL, calls get_clock directly and get_hop through
 * bridge.c; only plain.c, which claims nothing, calls get_plain. */
#include <Python.h>

static PyObject *fn = NULL;     /*~ OV401 fn */
static PyObject *hop = NULL;    /*~ OV401 hop */
static PyObject *plain = NULL;  /*~ OV101 plain */

PyObject *
get_clock(void)
{
    if (fn == NULL) {
        PyObject *mod = PyImport_ImportModule("time");
        if (mod == NULL) {
            return NULL;
        }
        fn = PyObject_GetAttrString(mod, "monotonic");
        Py_DECREF(mod);
        if (fn == NULL) {
            return NULL;
        }
    }
    return PyObject_CallNoArgs(fn);
}

PyObject *
get_hop(void)
{
    if (hop == NULL) {
        hop = PyUnicode_FromString("hop");
        if (hop == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(hop);
}

PyObject *
get_plain(void)
{
    if (plain == NULL) {
        plain = PyUnicode_FromString("plain");
        if (plain == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(plain);
}
