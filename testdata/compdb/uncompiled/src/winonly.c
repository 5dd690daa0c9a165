/* Sites in branches a gcc build never compiles: _MSC_VER, an #else of
 * __GNUC__, a Windows-only use of a live static, and a nested #ifdef. */
#include <Python.h>

#ifdef _MSC_VER
static PyObject *
encoding_name(int which)
{
    static PyObject *msvc_name = NULL;
    if (msvc_name == NULL) {
        msvc_name = PyUnicode_InternFromString("msvc");
        if (msvc_name == NULL)
            return NULL;
    }
    return Py_NewRef(msvc_name);
}
#endif

#ifdef __GNUC__
int gnuc_build = 1;
#else
static PyObject *other_name = NULL;
static PyObject *
get_other(void)
{
    if (other_name == NULL) {
        other_name = PyUnicode_InternFromString("other");
    }
    return other_name;
}
#endif

#if defined(__linux__)
#  ifdef WITH_CACHE
static PyObject *cached = NULL;
static PyObject *
get_cached(void)
{
    if (cached == NULL) {
        cached = PyDict_New();
    }
    return cached;
}
#  endif
#endif
