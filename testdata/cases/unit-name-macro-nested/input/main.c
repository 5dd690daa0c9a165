/* Tests: a macro argument that reaches `#`, `##`, `_Py_IDENTIFIER` or a
 * member position through other macros, of the file or of a header, is
 * a name, never the static spelled the same: DECLARE_ID(Decimal) (the
 * header's wrapper of _Py_IDENTIFIER), a macro of the file calling it,
 * ATTR_NAME(version) three levels down to `#x`, STATE_FIELD(hits) down to
 * `(s).f`. Rewritten, the first two would not compile and the third
 * would look up "Py_ONCEVAR(version)". A macro handing its argument to a
 * function (PASS_ON) is a use of the static, rewritten. */
#include <Python.h>
#include "names.h"

#define DECLARE_LOCAL_ID(n) DECLARE_ID(n)
#define PASS_ON(v) PyObject_Repr(v)

typedef struct { PyObject *hits; } state_t;

static PyObject *hits = NULL;      /*~ OV101 hits */
static PyObject *shown = NULL;     /*~ OV101 shown */

static PyObject *
make_decimal(PyObject *self, PyObject *text)
{
    static PyObject *Decimal = NULL;   /*~ OV101 Decimal */
    DECLARE_ID(Decimal);

    if (Decimal == NULL) {
        PyObject *mod = PyImport_ImportModule("decimal");
        if (mod == NULL)
            return NULL;
        Decimal = PyObject_GetAttrString(mod, "Decimal");
        (void)&PyId_Decimal;
        Py_DECREF(mod);
        if (Decimal == NULL)
            return NULL;
    }
    return PyObject_CallOneArg(Decimal, text);
}

static PyObject *
make_fraction(PyObject *self, PyObject *text)
{
    static PyObject *Fraction = NULL;  /*~ OV101 Fraction */
    DECLARE_LOCAL_ID(Fraction);

    if (Fraction == NULL) {
        Fraction = PyUnicode_FromString("fractions.Fraction");
        (void)&PyId_Fraction;
        if (Fraction == NULL)
            return NULL;
    }
    return Py_NewRef(Fraction);
}

static PyObject *
get_version(PyObject *self, PyObject *mod)
{
    static PyObject *version = NULL;   /*~ OV101 version */

    if (version == NULL) {
        version = PyObject_GetAttrString(mod, ATTR_NAME(version));
        if (version == NULL)
            return NULL;
    }
    return Py_NewRef(version);
}

static PyObject *
count_hits(PyObject *self, PyObject *unused)
{
    state_t *state = PyModule_GetState(self);
    if (state != NULL && STATE_FIELD(hits) != NULL)
        return Py_NewRef(STATE_FIELD(hits));
    if (hits == NULL && (hits = PyDict_New()) == NULL)
        return NULL;
    return Py_NewRef(hits);
}

static PyObject *
show(PyObject *self, PyObject *unused)
{
    if (shown == NULL && (shown = PyUnicode_FromString("shown")) == NULL)
        return NULL;
    return PASS_ON(shown);
}
