/* Tests: non-ASCII (UTF-8) text in comments before the site.  Columns and
 * byte offsets differ from character counts after these lines. -> OV101
 *
 * Übersetzung: „Grüße“ — 日本語のコメント — Ελληνικά — emoji 🐍✓
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "oncevar.h"

/* Cache des Gradzeichens (°) — wird beim ersten Aufruf erzeugt. */
Py_ONCEVAR_DECLARE(PyObject *, degree_sign);   /*~ OV101 degree_sign */

static PyObject *
format_degrees(PyObject *self, PyObject *value)
{
    if (Py_ONCEVAR(degree_sign) == NULL) {
        /* U+00B0 DEGREE SIGN, "°" */
        Py_ONCEVAR(degree_sign) = PyUnicode_FromString("\xc2\xb0");
        if (Py_ONCEVAR(degree_sign) == NULL) {
            return NULL;
        }
    }
    PyObject *text = PyObject_Str(value);
    if (text == NULL) {
        return NULL;
    }
    PyObject *res = PyUnicode_Concat(text, Py_ONCEVAR(degree_sign));
    Py_DECREF(text);
    return res;
}
