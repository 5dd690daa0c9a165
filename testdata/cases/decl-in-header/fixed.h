/* Tests: a site in a header file (input.h).  A header-defined static
 * inline helper caches an object in a block-scope static, and a file-scope
 * static in the header is lazily filled by another inline helper. -> OV101 x2 */
#ifndef FASTPATH_H
#define FASTPATH_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, fastpath_empty_bytes);   /*~ OV101 fastpath_empty_bytes */

static inline PyObject *
fastpath_get_empty_bytes(void)
{
    if (Py_ONCEVAR(fastpath_empty_bytes) == NULL) {
        Py_ONCEVAR(fastpath_empty_bytes) = PyBytes_FromStringAndSize(NULL, 0);
    }
    return Py_ONCEVAR(fastpath_empty_bytes);
}

static inline PyObject *
fastpath_operator_itemgetter(void)
{
    Py_ONCEVAR_DECLARE(PyObject *, itemgetter);   /*~ OV101 itemgetter */
    if (Py_ONCEVAR(itemgetter) == NULL) {
        PyObject *op = PyImport_ImportModule("operator");
        if (op == NULL) {
            return NULL;
        }
        Py_ONCEVAR(itemgetter) = PyObject_GetAttrString(op, "itemgetter");
        Py_DECREF(op);
    }
    return Py_ONCEVAR(itemgetter);
}

#endif /* FASTPATH_H */
