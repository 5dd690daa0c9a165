/* Fillers, readers and releasers of a slot, defined in another unit than
 * their callers (mod.c, mod2.c). */
#include "util.h"

void
fetch_attr(const char *modname, const char *attr, PyObject **slot)
{
    if (*slot == NULL) {
        PyObject *mod = PyImport_ImportModule(modname);
        if (mod != NULL) {
            *slot = PyObject_GetAttrString(mod, attr);
            Py_DECREF(mod);
        }
    }
}

/* `PyObject **` through a typedef. */
void
fetch_typed(object_slot slot)
{
    if (*slot != NULL) {
        return;
    }
    *slot = PyList_New(0);
}

/* Declared through a macro in util.h. */
void
fetch_declared(PyObject **slot)
{
    if (*slot == NULL) {
        *slot = PyDict_New();
    }
}

/* Defined through a macro: oncevar does not read it. */
DECLARE_FILLER(fetch_macro_defined)
{
    if (*slot == NULL) {
        *slot = PySet_New(NULL);
    }
}

/* A wrapper: the slot is handed on to the filler. */
void
fetch_wrapped(PyObject **slot)
{
    fetch_attr("json", "loads", slot);
}

/* Only reads the slot. */
PyObject *
show(PyObject **slot)
{
    if (*slot == NULL) {
        Py_RETURN_NONE;
    }
    return PyObject_Repr(*slot);
}

/* Clears the slot (a release). */
void
drop_slot(PyObject **slot)
{
    Py_CLEAR(*slot);
}

/* Fills it whatever it holds: state, not a lazy cache. */
void
fill_always(PyObject **slot)
{
    Py_XSETREF(*slot, PyList_New(0));
}

static PyObject **kept_slot;

/* Keeps the slot's address: not followed. */
void
remember(PyObject **slot)
{
    kept_slot = slot;
}

/* Also defined in sub/fill.c: which one a call reaches is not known. */
void
dup_fill(PyObject **slot)
{
    if (*slot == NULL) {
        *slot = PyList_New(1);
    }
}
