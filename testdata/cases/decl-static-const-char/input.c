/* Tests: `static const char *` lazily computed under a NULL guard.  The
 * pointee is plain memory, not a Python object -> OV201. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>

static const char *locale_dir = NULL;   /*~ OV201 locale_dir */

static const char *
get_locale_dir(void)
{
    if (locale_dir == NULL) {
        locale_dir = getenv("MYMOD_LOCALEDIR");
        if (locale_dir == NULL) {
            locale_dir = "/usr/share/locale";
        }
    }
    return locale_dir;
}

static PyObject *
localedir(PyObject *self, PyObject *unused)
{
    return PyUnicode_DecodeFSDefault(get_locale_dir());
}
