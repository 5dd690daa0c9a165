/* Tests: several declarators in one declaration, each with its own class:
 *   cached_none_repr  lazily set, never released          -> OV101
 *   cached_hash_salt  lazily set, Py_CLEAR in m_free      -> OV102
 *   cached_slots      PyObject ** (memory, not an object) -> OV201
 *   cached_unused     only read, never assigned           -> not a site
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, cached_none_repr);
Py_ONCEVAR_DECLARE(PyObject *, cached_hash_salt);
static PyObject **cached_slots = NULL, *cached_unused = NULL;   /*~ OV101 cached_none_repr */ /*~ OV102 cached_hash_salt */ /*~ OV201 cached_slots */

static PyObject *
none_repr(void)
{
    if (Py_ONCEVAR(cached_none_repr) == NULL) {
        Py_ONCEVAR(cached_none_repr) = PyObject_Repr(Py_None);
    }
    return Py_ONCEVAR(cached_none_repr);
}

static PyObject *
hash_salt(void)
{
    if (Py_ONCEVAR(cached_hash_salt) == NULL) {
        Py_ONCEVAR(cached_hash_salt) = PyLong_FromLong(0x5a17);
    }
    return Py_ONCEVAR(cached_hash_salt);
}

static PyObject **
slots(void)
{
    if (cached_slots == NULL) {
        cached_slots = PyMem_Calloc(16, sizeof(PyObject *));
    }
    return cached_slots;
}

static int
is_unused(PyObject *o)
{
    return o == cached_unused;
}

static void
module_free(void *module)
{
    Py_CLEAR(Py_ONCEVAR(cached_hash_salt));
}

static struct PyModuleDef mixed_module = {
    PyModuleDef_HEAD_INIT, .m_name = "mixed", .m_size = 0, .m_free = module_free,
};
