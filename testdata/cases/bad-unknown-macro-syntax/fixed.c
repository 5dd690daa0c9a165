/* Tests (malformed on purpose, does not compile): undefined macros used as
 * syntax (a FOREACH loop header and an argument-clinic style block) that
 * neither a compiler nor tree-sitter can make sense of.  The site in the
 * following, well-formed function is still found -> OV101. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

CLINIC_MODULE(bitset) CLINIC_CLASS(bitset.BitSet, "BitSetObject *")

static Py_ssize_t
count_true(PyObject *seq)
{
    Py_ssize_t n = 0;
    FOREACH_ITEM(seq, item) {
        n += PyObject_IsTrue(item) > 0;
    } END_FOREACH
    return n;
}

Py_ONCEVAR_DECLARE(PyObject *, bit_names);   /*~ OV101 bit_names */

static PyObject *
names(PyObject *self, PyObject *unused)
{
    if (!Py_ONCEVAR(bit_names)) {
        Py_ONCEVAR(bit_names) = Py_BuildValue("(sss)", "read", "write", "exec");
        if (!Py_ONCEVAR(bit_names)) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(bit_names));
}
