/* Tests: a function-like macro of the file whose parameter is a member
 * name in its body (`(s).f`, `(p)->m`, a designated initialiser `.f =`)
 * takes the static's name as a name, not a use: the rewriter leaves that
 * argument alone (`FIELD(codec, loads)` stays; `FIELD(codec,
 * Py_ONCEVAR(loads))` would not compile) and the fix is safe. A macro that
 * uses the same parameter as a member name and as a value cannot be
 * rewritten: that static's fix is unsafe. */
#include <Python.h>

#define FIELD(s, f) ((s).f)
#define ARROW(p, m) ((p)->m)
#define INIT_NAME(f, text) { .f = (text) }
#define PICK(s, f) ((s).f != NULL ? (s).f : (f))

struct codec { const char *loads; const char *dumps; const char *other; };
static struct codec json_codec = { "loads", "dumps", "other" };
static struct codec *codec_ptr = &json_codec;

static PyObject *
from_json(PyObject *self, PyObject *arg)
{
    static PyObject *loads = NULL;   /*~ OV101 loads */
    static PyObject *dumps = NULL;   /*~ OV101 dumps */
    struct codec named = INIT_NAME(loads, "loads");

    if (loads == NULL) {
        PyObject *mod = PyImport_ImportModule("json");
        if (mod == NULL)
            return NULL;
        loads = PyObject_GetAttrString(mod, FIELD(json_codec, loads));
        Py_DECREF(mod);
        if (loads == NULL)
            return NULL;
    }
    if (dumps == NULL) {
        PyObject *mod = PyImport_ImportModule("json");
        if (mod == NULL)
            return NULL;
        dumps = PyObject_GetAttrString(mod, ARROW(codec_ptr, dumps));
        Py_DECREF(mod);
        if (dumps == NULL)
            return NULL;
    }
    if (named.loads == NULL)
        return NULL;
    return PyObject_CallOneArg(loads, arg);
}

struct objects { PyObject *cached; };
static struct objects overrides;

static PyObject *
cached_or_override(PyObject *self, PyObject *arg)
{
    static PyObject *cached = NULL;   /*~ OV101 cached */

    if (cached == NULL) {
        cached = PyUnicode_FromString("default");
        if (cached == NULL)
            return NULL;
    }
    return Py_NewRef(PICK(overrides, cached));
}
