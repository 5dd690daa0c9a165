/* _textutil.c - whitespace normalisation and encoding defaults. */
#include "../include/speedups.h"
#include <string.h>

static const char *default_encoding = NULL;
static PyObject *ws_pattern = NULL;
static PyObject *single_space;
static int textutil_initialized = 0;

static int
textutil_init(void)
{
    if (textutil_initialized) {
        return 0;
    }
    single_space = PyUnicode_FromString(" ");
    if (single_space == NULL) {
        return -1;
    }
    textutil_initialized = 1;
    return 0;
}

const char *
speedups_default_encoding(void)
{
    if (default_encoding != NULL) {
        return default_encoding;
    }
    default_encoding = strdup(getenv("SPEEDUPS_ENCODING") ? getenv("SPEEDUPS_ENCODING") : "");
    if (default_encoding == NULL || default_encoding[0] == '\0') {
        default_encoding = "utf-8";
    }
    return default_encoding;
}

PyObject *
speedups_normalize_ws(PyObject *text)
{
    PyObject *cleaned = NULL;   /* a local: not a site */

    if (textutil_init() < 0) {
        return NULL;
    }
    if (ws_pattern == NULL) {
        PyObject *re = PyImport_ImportModule("re");
        if (re == NULL) {
            return NULL;
        }
        ws_pattern = PyObject_CallMethod(re, "compile", "s", "\\s+");
        Py_DECREF(re);
        if (ws_pattern == NULL) {
            return NULL;
        }
    }
    if (cleaned == NULL) {
        cleaned = PyObject_CallMethod(ws_pattern, "sub", "OO", single_space, text);
    }
    return cleaned;
}
