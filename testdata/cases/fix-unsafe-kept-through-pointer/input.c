/* Tests: a cached object copied, without a reference of its own, into
 * storage that outlives the interpreter through an indirection (the s12
 * breaker's K1, really-safe/s12-v1..v5, v16). Before the fix the static
 * kept the object alive for ever; after it each interpreter releases its
 * own object when it finalises, and the copy would point at a freed one.
 * Each is unsafe, the reason naming the store: through a local pointer to
 * a static struct (via_pointer), through `PyObject **dst = &alias`
 * (via_dst), through a macro storing its argument (via_macro, and a macro
 * invoking it: via_nested_macro), copied by memcpy (via_memcpy), through
 * a getter returning the struct's address (via_getter), through a setter
 * handed the struct's address (via_setter, and a setter calling it:
 * via_two_setters), through a pointer to an element (via_element), and a
 * struct's address passed down two helpers that store (via_helpers). */
#include <Python.h>
#include <string.h>

struct config {
    PyObject *handler;
    PyObject *fallback;
};

static struct config cfg;               /*~ OV301 cfg */
static struct config cfgs[2];           /*~ OV301 cfgs */
static PyObject *alias;                 /*~ OV301 alias */
static PyObject *alias2;                /*~ OV301 alias2 */

#define REMEMBER(x) (alias2 = (x))
#define KEEP(x) REMEMBER(x)

static PyObject *via_pointer = NULL;      /*~ OV101 via_pointer */
static PyObject *via_dst = NULL;          /*~ OV101 via_dst */
static PyObject *via_macro = NULL;        /*~ OV101 via_macro */
static PyObject *via_nested_macro = NULL; /*~ OV101 via_nested_macro */
static PyObject *via_memcpy = NULL;       /*~ OV101 via_memcpy */
static PyObject *via_getter = NULL;       /*~ OV101 via_getter */
static PyObject *via_setter = NULL;       /*~ OV101 via_setter */
static PyObject *via_two_setters = NULL;  /*~ OV101 via_two_setters */
static PyObject *via_element = NULL;      /*~ OV101 via_element */
static PyObject *via_helpers = NULL;      /*~ OV101 via_helpers */

static struct config *
config_get(void)
{
    return &cfg;
}

static void
set_handler(struct config *c, PyObject *h)
{
    c->handler = h;
}

static void
set_both(struct config *c, PyObject *h)
{
    set_handler(c, h);
}

static PyObject *
helpers_value(void)
{
    if (via_helpers == NULL)
        via_helpers = PyUnicode_FromString("oncevar-kept-via-helpers");
    return via_helpers;
}

static void
fill(struct config *c)
{
    c->fallback = helpers_value();
}

static void
prepare(struct config *c)
{
    fill(c);
}

static PyObject *
setup(PyObject *self, PyObject *unused)
{
    struct config *c = &cfg;
    PyObject **dst = &alias;
    struct config *second = &cfgs[1];

    if (via_pointer == NULL) {
        via_pointer = PyUnicode_FromString("oncevar-kept-via-pointer");
        if (via_pointer == NULL)
            return NULL;
    }
    c->fallback = via_pointer;

    if (via_dst == NULL) {
        via_dst = PyUnicode_FromString("oncevar-kept-via-dst");
        if (via_dst == NULL)
            return NULL;
    }
    *dst = via_dst;

    if (via_macro == NULL) {
        via_macro = PyUnicode_FromString("oncevar-kept-via-macro");
        if (via_macro == NULL)
            return NULL;
    }
    REMEMBER(via_macro);

    if (via_nested_macro == NULL) {
        via_nested_macro = PyUnicode_FromString("oncevar-kept-via-nested-macro");
        if (via_nested_macro == NULL)
            return NULL;
    }
    KEEP(via_nested_macro);

    if (via_memcpy == NULL) {
        via_memcpy = PyUnicode_FromString("oncevar-kept-via-memcpy");
        if (via_memcpy == NULL)
            return NULL;
    }
    memcpy(&cfgs[0].handler, &via_memcpy, sizeof via_memcpy);

    if (via_getter == NULL) {
        via_getter = PyUnicode_FromString("oncevar-kept-via-getter");
        if (via_getter == NULL)
            return NULL;
    }
    config_get()->handler = via_getter;

    if (via_setter == NULL) {
        via_setter = PyUnicode_FromString("oncevar-kept-via-setter");
        if (via_setter == NULL)
            return NULL;
    }
    set_handler(&cfg, via_setter);

    if (via_two_setters == NULL) {
        via_two_setters = PyUnicode_FromString("oncevar-kept-via-two-setters");
        if (via_two_setters == NULL)
            return NULL;
    }
    set_both(&cfgs[0], via_two_setters);

    if (via_element == NULL) {
        via_element = PyUnicode_FromString("oncevar-kept-via-element");
        if (via_element == NULL)
            return NULL;
    }
    second->fallback = via_element;

    if (helpers_value() == NULL)
        return NULL;
    prepare(&cfgs[1]);
    Py_RETURN_NONE;
}

static PyObject *
or_none(PyObject *o)
{
    return Py_NewRef(o != NULL ? o : Py_None);
}

static PyObject *
read_kept(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(NNNNNNN)", or_none(cfg.handler), or_none(cfg.fallback),
                         or_none(cfgs[0].handler), or_none(cfgs[1].fallback),
                         or_none(alias), or_none(alias2), or_none(cfgs[0].fallback));
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_NOARGS, NULL},
    {"read_kept", read_kept, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "kept_through_pointer", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_kept_through_pointer(void)
{
    return PyModuleDef_Init(&def);
}
