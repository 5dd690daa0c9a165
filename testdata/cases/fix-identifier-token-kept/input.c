/* Tests: the static's name is also a token that a macro stringizes or
 * pastes (`_Py_IDENTIFIER(name)`, `Py_STRINGIFY(name)`, the file's own
 * `#define NAME_OF(x) #x`): that token is a name, not the variable, and the
 * fix leaves it alone (the fixed file compiles). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define NAME_OF(x) #x

static PyObject *
make_fraction(PyObject *self, PyObject *args)
{
    static PyObject *Fraction = NULL;   /*~ OV101 Fraction */
    _Py_IDENTIFIER(Fraction);

    if (Fraction == NULL) {
        PyObject *mod = PyImport_ImportModule("fractions");
        if (mod == NULL) {
            return NULL;
        }
        Fraction = _PyObject_GetAttrId(mod, &PyId_Fraction);
        Py_DECREF(mod);
        if (Fraction == NULL) {
            return NULL;
        }
    }
    return PyObject_CallObject(Fraction, args);
}

static PyObject *
describe(PyObject *self, PyObject *unused)
{
    static PyObject *Counter = NULL;   /*~ OV101 Counter */

    if (Counter == NULL) {
        Counter = PyUnicode_FromString(NAME_OF(Counter) " of " Py_STRINGIFY(Counter));
        if (Counter == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Counter);
}
