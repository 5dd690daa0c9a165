/* Tests: a static's address reaches a slot helper through a cast that a
 * macro adds (`#define LAZY_TYPE(var, m, n) lazy_attr((PyObject
 * **)&(var), m, n)`), through `(void *)` with blanks, and as `&(v)` in a
 * cast with parentheses around it all; the helpers (lazy.h) test and fill
 * `slot[0]`, a typed copy of a `void *`, or a `const` parameter. Each was
 * no site before. Controls: a helper that reassigns its copy before
 * writing through it proves no guard of its argument (`shared`; what the
 * copy then points to, the array `spare`, is filled lazily through it:
 * its first element), and one that fills `slot[1]` fills another
 * element. */
#include <Python.h>
#include "lazy.h"

#define LAZY_TYPE(var, m, n) lazy_attr((PyObject **)&(var), m, n)

static PyTypeObject *OrderedDictType;   /*~ OV101 OrderedDictType */
static PyObject *registry = NULL;       /*~ OV101 registry */
static PyObject *pending = NULL;        /*~ OV101 pending */
static PyObject *shared = NULL;
static PyObject *other = NULL;
static PyObject *spare[2];              /*~ OV101 spare */

static int
fill_other(void *where)
{
    PyObject **typed = (PyObject **)where;
    typed = spare;
    if (*typed == NULL)
        *typed = PyDict_New();
    return 0;
}

static int
fill_second(PyObject **slot)
{
    if (slot[0] == NULL)
        slot[1] = PyList_New(0);
    return 0;
}

static PyObject *
ordered(PyObject *self, PyObject *unused)
{
    if (LAZY_TYPE(OrderedDictType, "collections", "OrderedDict") == NULL)
        return NULL;
    if (lazy_dict( (void *) &registry ) < 0)
        return NULL;
    if (lazy_list(((PyObject **)(&(pending)))) < 0)
        return NULL;
    fill_other(&shared);
    fill_second(&other);
    return PyTuple_Pack(3, (PyObject *)OrderedDictType, registry, pending);
}
