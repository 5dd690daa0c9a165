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

/* The same with a function CPython's reference data lists: the fix is
 * safe, and `_Py_IDENTIFIER(Decimal)` keeps its name. (`Fraction` above is
 * stored from `_PyObject_GetAttrId`, a private function the data does not
 * list: its fix is unsafe, and says so.) */
static PyObject *
make_decimal(PyObject *self, PyObject *args)
{
    static PyObject *Decimal = NULL;   /*~ OV101 Decimal */
    _Py_IDENTIFIER(Decimal);

    if (Decimal == NULL) {
        PyObject *mod = PyImport_ImportModule("decimal");
        if (mod == NULL) {
            return NULL;
        }
        Decimal = PyObject_GetAttr(mod, _PyUnicode_FromId(&PyId_Decimal));
        Py_DECREF(mod);
        if (Decimal == NULL) {
            return NULL;
        }
    }
    return PyObject_CallObject(Decimal, args);
}

static PyObject *
describe(PyObject *self, PyObject *unused)
{
    static PyObject *Counter = NULL;   /*~ OV101 Counter */

    if (Counter == NULL) {
        Counter = PyUnicode_FromFormat("%s of %s", NAME_OF(Counter), Py_STRINGIFY(Counter));
        if (Counter == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Counter);
}

/* The same tokens in a string concatenation tree-sitter cannot read
 * (`NAME_OF(x) " of " ...`): the function does not parse, so the fix of
 * the static it uses is unsafe, and says why. */
static PyObject *
describe_joined(PyObject *self, PyObject *unused)
{
    static PyObject *Joined = NULL;   /*~ OV101 Joined */

    if (Joined == NULL) {
        Joined = PyUnicode_FromString(NAME_OF(Joined) " of " Py_STRINGIFY(Joined));
        if (Joined == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Joined);
}
