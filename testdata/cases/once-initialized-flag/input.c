/* Tests: a static object pointer filled under a separate
 * `static int initialized` flag rather than a NULL guard, in a helper a
 * method runs: filled lazily on first use -> OV101, its fix unsafe naming
 * the flag (OV301 before: set once). The flag itself is an int, not a
 * site. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int initialized = 0;
static PyObject *fraction_type = NULL;   /*~ OV101 fraction_type */

static int
ensure_initialized(void)
{
    if (!initialized) {
        PyObject *mod = PyImport_ImportModule("fractions");
        if (mod == NULL) {
            return -1;
        }
        fraction_type = PyObject_GetAttrString(mod, "Fraction");
        Py_DECREF(mod);
        if (fraction_type == NULL) {
            return -1;
        }
        initialized = 1;
    }
    return 0;
}

static PyObject *
make_fraction(PyObject *self, PyObject *args)
{
    if (ensure_initialized() < 0) {
        return NULL;
    }
    return PyObject_CallObject(fraction_type, args);
}
