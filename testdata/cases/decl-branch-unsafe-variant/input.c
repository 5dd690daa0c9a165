/* Tests: the variables of an `#if` chain's branches that share a use after
 * the chain are fixed together or not at all: when one branch's fix is
 * unsafe (its address escapes into a table), the other branch's fix is
 * unsafe too, with that reason. Variables of another chain that share
 * nothing stand alone: an unsafe branch leaves the other's fix safe. A
 * name that one branch declares as a static and the other as a local is
 * another variable after the chain in that build: the fix is unsafe. */
#include <Python.h>

static PyObject **slots[2];

static PyObject *
shared_use(void)
{
#ifdef USE_TABLE
    static PyObject *value = NULL;   /*~ OV101 value */
    slots[0] = &value;
    if (value == NULL)
        value = PyLong_FromLong(1);
#else
    static PyObject *value = NULL;   /*~ OV101 value */
    if (value == NULL)
        value = PyLong_FromLong(2);
#endif
    return Py_XNewRef(value);
}

static PyObject *
own_uses(void)
{
#ifdef USE_TABLE
    static PyObject *other = NULL;   /*~ OV101 other */
    slots[1] = &other;
    if (other == NULL)
        other = PyLong_FromLong(3);
    return Py_XNewRef(other);
#else
    static PyObject *other = NULL;   /*~ OV101 other */
    if (other == NULL)
        other = PyLong_FromLong(4);
    return Py_XNewRef(other);
#endif
}

static PyObject *
local_or_static(void)
{
#ifdef KEEP_IT
    static PyObject *kept = NULL;    /*~ OV101 kept */
#else
    PyObject *kept = NULL;
#endif
    if (kept == NULL)
        kept = PyLong_FromLong(5);
    return Py_XNewRef(kept);
}
