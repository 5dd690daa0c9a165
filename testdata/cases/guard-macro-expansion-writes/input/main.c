/* Tests: statics written only where the unit's own macros are expanded:
 * the name pasted (`s_##N = …`, `x##_key = …`) or spelled in the body
 * itself, one to three macro levels deep, in a macro defined inside the
 * function and `#undef`'d, or in a header. Each is a site under its guard
 * (siblings under a guard of the first), and each fix is unsafe: no rewrite
 * of the file reaches a macro's body. A macro `#undef`'d and redefined
 * writes what its definition of the moment does; a member the body
 * assigns and a local the expansion writes are no static's writes.
 * A helper that a macro's expansion calls under a NULL test of a static
 * (`!v && fill() < 0`, `v == NULL &&`, `v ||`), through two macro levels,
 * fills under that guard; under a test of a plain flag it does not. */
#include <Python.h>
#include "inc/fill.h"

/* zope's shape: early return on the first, the rest through a pasting
 * macro defined in the function */
static PyObject *s_open = NULL;     /*~ OV101 s_open */
static PyObject *s_close = NULL;    /*~ OV101 s_close */

static int
intern_pair(void)
{
    if (s_open) {
        return 0;
    }
#define MAKE(N) if ((s_##N = PyUnicode_InternFromString(#N)) == NULL) return -1
    MAKE(open);
    MAKE(close);
#undef MAKE
    return 0;
}

/* a suffix paste three levels down: ALL_KEYS() -> TWO_KEYS(a, b) -> KEY(x) */
static PyObject *alpha_key, *beta_key, *gamma_key;   /*~ OV101 alpha_key */ /*~ OV101 beta_key */ /*~ OV101 gamma_key */

#define KEY(x) x##_key = PyUnicode_FromString(#x)
#define TWO_KEYS(a, b) KEY(a); KEY(b)
#define ALL_KEYS() TWO_KEYS(alpha, beta); KEY(gamma)

static PyObject *
keys(PyObject *self, PyObject *unused)
{
    if (alpha_key == NULL) {
        ALL_KEYS();
        if (!alpha_key || !beta_key || !gamma_key)
            return NULL;
    }
    return PyTuple_Pack(3, alpha_key, beta_key, gamma_key);
}

/* the body names the static itself; no argument spells it */
static PyObject *registry = NULL;   /*~ OV101 registry */

#define NEW_REGISTRY() (registry = PyDict_New())

static PyObject *
get_registry(PyObject *self, PyObject *unused)
{
    if (registry == NULL && NEW_REGISTRY() == NULL)
        return NULL;
    return Py_NewRef(registry);
}

/* a pasting macro of a header */
static PyObject *Decimal_type = NULL;   /*~ OV101 Decimal_type */

static PyObject *
decimal_type(PyObject *self, PyObject *mod)
{
    if (Decimal_type == NULL && HEADER_FILL(mod, Decimal) == NULL)
        return NULL;
    return Py_NewRef(Decimal_type);
}

/* `#undef`'d and redefined: the first SET writes first_one under its
 * guard, the second writes only second_one, replaced on every call (a
 * setter's state, no site) */
static PyObject *first_one = NULL;    /*~ OV101 first_one */
static PyObject *second_one = NULL;

#define SET(x) first_##x = PyLong_FromLong(1)
static PyObject *
get_first(PyObject *self, PyObject *unused)
{
    if (first_one == NULL)
        SET(one);
    return Py_XNewRef(first_one);
}
#undef SET
#define SET(x) second_##x = PyLong_FromLong(2)
static PyObject *
set_second(PyObject *self, PyObject *unused)
{
    Py_XDECREF(second_one);
    SET(one);
    return Py_XNewRef(second_one);
}
#undef SET

/* controls: the body assigns a member named like a static, and a local
 * hides the static the paste spells */
struct holder { PyObject *label; };
static PyObject *label = NULL;
static PyObject *tmp_obj = NULL;

#define SET_LABEL(h, v) ((h)->label = (v))
#define MAKE_TMP(x) tmp_##x = PyList_New(0)

static PyObject *
controls(PyObject *self, PyObject *unused)
{
    struct holder h;
    PyObject *tmp_obj;
    if (label == NULL)
        SET_LABEL(&h, Py_None);
    if (tmp_obj == NULL)
        MAKE_TMP(obj);
    (void)h;
    return tmp_obj;
}

/* a statement macro runs the helper under a test of the first static,
 * reached through a second macro; its arguments do not parse; the second
 * static is fixed with the first or not at all */
static PyObject *n_first;    /*~ OV101 n_first */
static PyObject *n_second;   /*~ OV101 n_second */

static int
fill_names(void)
{
    n_first = PyUnicode_InternFromString("first");
    n_second = PyUnicode_InternFromString("second");
    return (n_first && n_second) ? 0 : -1;
}

#define ENSURE_NAMES(fail) do { if (n_first == NULL && fill_names() < 0) fail; } while (0)
#define ENSURE_OR_NULL() ENSURE_NAMES(return NULL)

static PyObject *
get_first(PyObject *self, PyObject *o)
{
    ENSURE_NAMES(return NULL);
    return PyObject_GetAttr(o, n_first);
}

static PyObject *
get_second(PyObject *self, PyObject *o)
{
    ENSURE_OR_NULL();
    return PyObject_GetAttr(o, n_second);
}

/* `v || fill()` in an expression macro */
static PyObject *table = NULL;   /*~ OV101 table */

static int
make_table(void)
{
    table = PyDict_New();
    return table ? 0 : -1;
}

#define HAVE_TABLE() (table != NULL || make_table() == 0)

static PyObject *
get_table(PyObject *self, PyObject *unused)
{
    if (!HAVE_TABLE())
        return NULL;
    return Py_NewRef(table);
}

/* control: the macro tests a plain flag, so `current` is replaced on
 * every reload (state, no site) */
static int dirty = 1;
static PyObject *current = NULL;

static int
reload(void)
{
    Py_XSETREF(current, PyList_New(0));
    dirty = 0;
    return current ? 0 : -1;
}

#define REFRESH() do { if (dirty && reload() < 0) return NULL; } while (0)

static PyObject *
get_current(PyObject *self, PyObject *unused)
{
    REFRESH();
    return Py_NewRef(current);
}

static PyObject *
read_statics(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(4, s_close, label, tmp_obj, second_one);
}
