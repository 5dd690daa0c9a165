/* Tests: declarations inside `#if` / `#elif` / `#else` branches.  Each
 * branch declares the same name with the same type; every declaration is
 * a site (OV101).  A second static inside `#if 0` is dead text that is
 * never assigned, so it is not a site. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX >= 0x030C0000
static PyObject *platform_tag = NULL;   /*~ OV101 platform_tag */
#elif PY_VERSION_HEX >= 0x03080000
static PyObject *platform_tag = 0;      /*~ OV101 platform_tag */
#else
static PyObject *platform_tag;          /*~ OV101 platform_tag */
#endif

#if 0
static PyObject *old_platform_tag = NULL;
#endif

static PyObject *
get_platform_tag(PyObject *self, PyObject *unused)
{
    if (platform_tag == NULL) {
        platform_tag = PyUnicode_FromFormat("py%d%d", PY_MAJOR_VERSION,
                                            PY_MINOR_VERSION);
        if (platform_tag == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(platform_tag);
}
