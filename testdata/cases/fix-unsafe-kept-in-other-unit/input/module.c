/* The module: it keeps what cache.c's functions return, some without a
 * reference of its own. */
#include <Python.h>

extern PyObject *get_stored(void);
extern PyObject *get_handed(void);
extern PyObject *get_passed(void);
extern PyObject *get_used(void);
extern PyObject *get_new_reference(void);

struct config {
    PyObject *handler;
};

static PyObject *alias;            /*~ OV301 alias */
static struct config cfg;          /*~ OV301 cfg */
static PyObject *kept_reference;   /*~ OV301 kept_reference */

static void
keep(struct config *c, PyObject *o)
{
    c->handler = o;
}

PyObject *
passed_on(void)
{
    return get_passed();
}

static PyObject *
setup(PyObject *module, PyObject *unused)
{
    PyObject *v = get_used();

    if (v == NULL || get_stored() == NULL || get_handed() == NULL)
        return NULL;
    alias = get_stored();
    keep(&cfg, get_handed());
    cfg.handler = passed_on();
    kept_reference = Py_NewRef(get_new_reference());
    return PyObject_Repr(v);
}

static PyMethodDef methods[] = {
    {"setup", setup, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "kept_in_other_unit", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_kept_in_other_unit(void)
{
    return PyModuleDef_Init(&def);
}
