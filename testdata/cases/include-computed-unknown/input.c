/* Tests: a computed include whose macro the file does not define
 * (`#include CONFIG_HEADER`, named by the build with -DCONFIG_HEADER=...):
 * what it includes is not known (a macro that uses the cache, a release, a
 * module claim), so the fix is unsafe and its reason names the include and
 * how to supply it. */
#include <Python.h>
#ifdef CONFIG_HEADER
#include CONFIG_HEADER
#endif

static PyObject *
get_default(PyObject *self, PyObject *unused)
{
    static PyObject *fallback = NULL; /*~ OV101 fallback */
    if (fallback == NULL) {
        fallback = PyUnicode_FromString("default");
        if (fallback == NULL)
            return NULL;
    }
    return Py_NewRef(fallback);
}
