/* Tests: declarations inside `#if` / `#elif` / `#else` branches.  Each
 * branch declares the same name with the same type; every declaration is
 * a site (OV101).  A second static inside `#if 0` is dead text that is
 * never assigned, so it is not a site. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

#if PY_VERSION_HEX >= 0x030C0000
Py_ONCEVAR_DECLARE(PyObject *, platform_tag);   /*~ OV101 platform_tag */
#elif PY_VERSION_HEX >= 0x03080000
Py_ONCEVAR_DECLARE(PyObject *, platform_tag);      /*~ OV101 platform_tag */
#else
Py_ONCEVAR_DECLARE(PyObject *, platform_tag);          /*~ OV101 platform_tag */
#endif

#if 0
static PyObject *old_platform_tag = NULL;
#endif

static PyObject *
get_platform_tag(PyObject *self, PyObject *unused)
{
    if (Py_ONCEVAR(platform_tag) == NULL) {
        Py_ONCEVAR(platform_tag) = PyUnicode_FromFormat("py%d%d", PY_MAJOR_VERSION,
                                            PY_MINOR_VERSION);
        if (Py_ONCEVAR(platform_tag) == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(Py_ONCEVAR(platform_tag));
}
