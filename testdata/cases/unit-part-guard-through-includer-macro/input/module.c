/* Tests: the static is declared in the including file and named by its
 * macro (`#define CACHE attr_name`); its guard and store are in a part
 * file that spells only the macro. The part is where the site's evidence
 * is, so the unit keeps it. Before: no site (the unit was parsed without
 * the part, which names no static). Now OV101, with an unsafe fix: the
 * static is used inside the body of macro `CACHE`, which oncevar does not
 * rewrite. */
#include <Python.h>

static PyObject *attr_name = NULL;              /*~ OV101 attr_name */

#define CACHE attr_name
#define FUNC get_attr_name
#define ATTR "attr"
#include "getter.part.h"
#undef CACHE
#undef FUNC
#undef ATTR

static PyObject *
name(PyObject *self, PyObject *unused)
{
    return Py_XNewRef(get_attr_name());
}

static PyMethodDef methods[] = {
    {"name", name, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};
