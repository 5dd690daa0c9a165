/* A live site whose every edit is compiled (verified), and one whose use
 * in a Windows-only function is an edit the build does not compile. */
#include <Python.h>

static PyObject *always = NULL;

static PyObject *
get_always(void)
{
    if (always == NULL) {
        always = PyUnicode_FromString("a");
    }
    return always;
}

static PyObject *shared = NULL;

static PyObject *
get_shared(void)
{
    if (shared == NULL) {
        shared = PyUnicode_FromString("s");
    }
    return shared;
}

#ifdef _WIN32
static PyObject *
peek_shared(void)
{
    return shared;
}
#endif
