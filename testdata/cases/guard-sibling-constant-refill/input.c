/* Tests: statics that oncevar does not rewrite (raw pointers), filled
 * under the guard of an object together with it, block the object's fix
 * only when refilling them matters. A pointer set to a string literal or
 * to the address of a file-scope table owns nothing (no site) and gets
 * the same value again in every interpreter that runs the block: the
 * object's fix stays safe. A pointer to fresh memory, or to a local, would be replaced
 * under the other interpreters' feet: that fix is unsafe. */
#include <Python.h>

typedef struct { const char *open; const char *close; } Brackets;
static const Brackets angle = { "<", ">" };

static PyObject *
wrap_angle(PyObject *self, PyObject *arg)
{
    static PyObject *fmt = NULL;           /*~ OV101 fmt */
    static const Brackets *style = NULL;
    static const char *encoding;

    if (fmt == NULL) {
        style = &angle;
        encoding = "utf-" "8";
        fmt = PyUnicode_FromFormat("%s%%U%s (%s)", style->open, style->close, encoding);
        if (fmt == NULL)
            return NULL;
    }
    return PyUnicode_Format(fmt, arg);
}

static PyObject *
wrap_scratch(PyObject *self, PyObject *arg)
{
    static PyObject *pad = NULL;      /*~ OV101 pad */
    static char *scratch = NULL;      /*~ OV201 scratch */

    if (pad == NULL) {
        scratch = PyMem_Malloc(16);
        pad = PyUnicode_FromString("  ");
        if (pad == NULL || scratch == NULL)
            return NULL;
    }
    return PyUnicode_Concat(pad, arg);
}
