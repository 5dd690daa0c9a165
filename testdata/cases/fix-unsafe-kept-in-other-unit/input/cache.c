/* Tests: a cached object returned without a new reference by a function
 * that another translation unit calls and keeps the result of (the s12
 * breaker's K1, really-safe/s12-v10-kept-in-other-unit): module.c stores
 * what get_stored() returns in a static (stored), hands what
 * get_handed() returns to its own function that stores it in a static
 * struct through a pointer (handed), and returns what get_passed() gives
 * from an exported function of its own whose result the module keeps
 * (passed on): each unsafe, naming the store and the files. The contrasts
 * stay safe: a result only used for the call (used), one stored with
 * `Py_NewRef` (new_reference). */
#include <Python.h>

static PyObject *stored;        /*~ OV101 stored */
static PyObject *handed;        /*~ OV101 handed */
static PyObject *passed;        /*~ OV101 passed */
static PyObject *used;          /*~ OV101 used */
static PyObject *new_reference; /*~ OV101 new_reference */

PyObject *
get_stored(void)
{
    if (stored == NULL)
        stored = PyUnicode_FromString("oncevar-kept-stored");
    return stored;
}

PyObject *
get_handed(void)
{
    if (handed == NULL)
        handed = PyUnicode_FromString("oncevar-kept-handed");
    return handed;
}

PyObject *
get_passed(void)
{
    if (passed == NULL)
        passed = PyUnicode_FromString("oncevar-kept-passed");
    return passed;
}

PyObject *
get_used(void)
{
    if (used == NULL)
        used = PyUnicode_FromString("oncevar-kept-used");
    return used;
}

PyObject *
get_new_reference(void)
{
    if (new_reference == NULL)
        new_reference = PyUnicode_FromString("oncevar-kept-new-reference");
    return new_reference;
}
