/* Tests: guard and assignment fused with logical nots:
 *     if (!v && !(v = f())) return -1;   -> OV101 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

Py_ONCEVAR_DECLARE(PyObject *, ellipsis_repr);   /*~ OV101 ellipsis_repr */

static int
append_ellipsis(PyObject *list)
{
    if (!Py_ONCEVAR(ellipsis_repr) && !(Py_ONCEVAR(ellipsis_repr) = PyUnicode_InternFromString("..."))) {
        return -1;
    }
    return PyList_Append(list, Py_ONCEVAR(ellipsis_repr));
}
