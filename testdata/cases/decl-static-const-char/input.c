/* Tests: `static const char *` lazily computed under a NULL guard.  The
 * pointee is plain memory that the static owns (a copy strdup made), not a
 * Python object -> OV201.  Storing getenv's result itself owns nothing
 * (not-unowned-memory-variants). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdlib.h>
#include <string.h>

static const char *locale_dir = NULL;   /*~ OV201 locale_dir */

static const char *
get_locale_dir(void)
{
    if (locale_dir == NULL) {
        const char *env = getenv("MYMOD_LOCALEDIR");
        locale_dir = strdup(env != NULL ? env : "/usr/share/locale");
    }
    return locale_dir;
}

static PyObject *
localedir(PyObject *self, PyObject *unused)
{
    return PyUnicode_DecodeFSDefault(get_locale_dir());
}
