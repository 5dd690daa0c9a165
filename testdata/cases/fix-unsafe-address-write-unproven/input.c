/* Tests: a write through the static's address is justified only when the
 * callee is in the file and stores a strong reference: a callee defined
 * elsewhere, or a helper that stores a borrowed reference through its
 * slot, makes the fix unsafe, with the reason named. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

extern int registry_lookup(const char *key, PyObject **out);

static int
borrow_builtin(const char *name, PyObject **slot)
{
    if (*slot == NULL) {
        *slot = PyDict_GetItemString(PyEval_GetBuiltins(), name);
    }
    return *slot == NULL ? -1 : 0;
}

static PyObject *codec_registry = NULL;   /*~ OV101 codec_registry */
static PyObject *builtin_len = NULL;      /*~ OV101 builtin_len */

static PyObject *
lookup(PyObject *self, PyObject *unused)
{
    if (codec_registry == NULL && registry_lookup("codecs", &codec_registry) < 0) {
        return NULL;
    }
    if (borrow_builtin("len", &builtin_len) < 0) {
        return NULL;
    }
    return PyTuple_Pack(2, codec_registry, builtin_len);
}
