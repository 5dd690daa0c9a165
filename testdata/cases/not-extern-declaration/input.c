/* Tests (look-alike, no finding): `extern PyObject *e;` declares a variable
 * defined elsewhere; the lazy guard on it is not a static site in this
 * file. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

extern PyObject *plugin_registry;
extern PyTypeObject *PluginBaseType;

PyObject *plugin_registry = NULL;   /* definition, external linkage */

static PyObject *
register_plugin(PyObject *self, PyObject *plugin)
{
    if (plugin_registry == NULL) {
        plugin_registry = PyList_New(0);
        if (plugin_registry == NULL) {
            return NULL;
        }
    }
    if (PluginBaseType != NULL && !PyObject_TypeCheck(plugin, PluginBaseType)) {
        PyErr_SetString(PyExc_TypeError, "not a plugin");
        return NULL;
    }
    if (PyList_Append(plugin_registry, plugin) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}
