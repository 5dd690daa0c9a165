/* Tests: a static declared in each branch of an `#if`/`#elif`/`#else`
 * chain and filled there, then used after `#endif`: three variables, each
 * with its own guard and assignment; the use after the chain may be any of
 * them, so each fix rewrites it too (the fixes carry identical edits there)
 * and the three stand or fall together. A chain nested in a branch, and a
 * chain whose only branch declares the name, keep one variable each. */
#include <Python.h>

static PyObject *
separator(void)
{
#if defined(MS_WINDOWS)
    static PyObject *sep = NULL;   /*~ OV101 sep */
    if (sep == NULL)
        sep = PyUnicode_FromString("\\");
#elif defined(__VMS)
    static PyObject *sep = NULL;   /*~ OV101 sep */
    if (!sep)
        sep = PyUnicode_FromString("]");
#else
    static PyObject *sep;          /*~ OV101 sep */
    if (sep == NULL) {
        sep = PyUnicode_FromString("/");
    }
#endif
    return Py_XNewRef(sep);
}

static PyObject *
newline(void)
{
#ifdef PY_HAVE_NEWLINE
#  if PY_HAVE_NEWLINE > 1
    static PyObject *nl = NULL;    /*~ OV101 nl */
    if (nl == NULL)
        nl = PyUnicode_FromString("\r\n");
#  else
    static PyObject *nl = NULL;    /*~ OV101 nl */
    if (nl == NULL)
        nl = PyUnicode_FromString("\r");
#  endif
#else
    static PyObject *nl = NULL;    /*~ OV101 nl */
#endif
    if (nl == NULL) {
        nl = PyUnicode_FromString("\n");
    }
    return Py_XNewRef(nl);
}

static PyObject *
tab(void)
{
#ifndef NO_TAB_CACHE
    static PyObject *tab_str = NULL;   /*~ OV101 tab_str */
#endif
    if (tab_str == NULL)
        tab_str = PyUnicode_FromString("\t");
    return Py_XNewRef(tab_str);
}
