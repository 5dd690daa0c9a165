/* Tests: the static's name is also a token that a macro stringizes or
 * pastes (`_Py_IDENTIFIER(name)`, `Py_STRINGIFY(name)`, the file's own
 * `#define NAME_OF(x) #x`): that token is a name, not the variable, and the
 * fix leaves it alone (the fixed file compiles). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#define NAME_OF(x) #x

static PyObject *
make_fraction(PyObject *self, PyObject *args)
{
    Py_ONCEVAR_DECLARE(PyObject *, Fraction);   /*~ OV101 Fraction */
    _Py_IDENTIFIER(Fraction);

    if (Py_ONCEVAR(Fraction) == NULL) {
        PyObject *mod = PyImport_ImportModule("fractions");
        if (mod == NULL) {
            return NULL;
        }
        Py_ONCEVAR(Fraction) = _PyObject_GetAttrId(mod, &PyId_Fraction);
        Py_DECREF(mod);
        if (Py_ONCEVAR(Fraction) == NULL) {
            return NULL;
        }
    }
    return PyObject_CallObject(Py_ONCEVAR(Fraction), args);
}

static PyObject *
describe(PyObject *self, PyObject *unused)
{
    Py_ONCEVAR_DECLARE(PyObject *, Counter);   /*~ OV101 Counter */

    if (Py_ONCEVAR(Counter) == NULL) {
        Py_ONCEVAR(Counter) = PyUnicode_FromString(NAME_OF(Counter) " of " Py_STRINGIFY(Counter));
        if (Py_ONCEVAR(Counter) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(Counter));
}
