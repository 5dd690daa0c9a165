/* Tests: the cached value comes from a PyImport_ImportModuleAttrString-style
 * helper (module + attribute in one call).  The helper is defined here so
 * the file builds against any Python 3 version. -> OV101 x2 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

static PyObject *
import_module_attr_string(const char *modname, const char *attrname)
{
    PyObject *mod = PyImport_ImportModule(modname);
    if (mod == NULL) {
        return NULL;
    }
    PyObject *attr = PyObject_GetAttrString(mod, attrname);
    Py_DECREF(mod);
    return attr;
}

Py_ONCEVAR_DECLARE(PyObject *, ordered_dict_type);   /*~ OV101 ordered_dict_type */

static PyObject *
new_ordered_dict(PyObject *self, PyObject *unused)
{
    Py_ONCEVAR_DECLARE(PyObject *, warn_func);   /*~ OV101 warn_func */

    if (Py_ONCEVAR(ordered_dict_type) == NULL) {
        Py_ONCEVAR(ordered_dict_type) = import_module_attr_string("collections", "OrderedDict");
        if (Py_ONCEVAR(ordered_dict_type) == NULL) {
            return NULL;
        }
    }
    if (!Py_ONCEVAR(warn_func)) {
        Py_ONCEVAR(warn_func) = import_module_attr_string("warnings", "warn");
        if (!Py_ONCEVAR(warn_func)) {
            return NULL;
        }
    }
    return PyObject_CallNoArgs(Py_ONCEVAR(ordered_dict_type));
}
