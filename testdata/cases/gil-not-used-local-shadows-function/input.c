/* Tests: a local or a parameter that shadows a function of the unit names
 * no function. In a module that runs without the GIL, `token` fills a lazy
 * cache and `make_token`'s local is also `token`: its `return token;` does
 * not hand the function away, so the fix is safe (found by
 * scripts/e2e-freethreading.sh on 5c3b5a6's ftcache.c: "`make_token`
 * returns it, and where its callers take it is not followed"). Also a
 * parameter, a local of a nested block and one of a `for` loop. Control:
 * a helper that returns the function itself keeps its fix unsafe. */
#include <Python.h>

static PyObject *
make_token(void)
{
    PyObject *token = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
    return token;
}

static PyObject *
same(PyObject *label)
{
    return label;
}

static PyObject *
echo(PyObject *module, PyObject *arg)
{
    return Py_NewRef(same(arg));
}

static PyObject *
first(void)
{
    {
        PyObject *entry = PyUnicode_FromString("entry");
        return entry;
    }
}

static PyObject *
fresh_list(void)
{
    for (PyObject *item = PyList_New(0); item != NULL;)
        return item;
    return NULL;
}

static PyObject *token_cache;     /*~ OV401 token_cache */
static PyObject *label_cache;     /*~ OV401 label_cache */
static PyObject *entry_cache;     /*~ OV401 entry_cache */
static PyObject *item_cache;      /*~ OV401 item_cache */
static PyObject *control_cache;   /*~ OV401 control_cache */

static PyObject *
token(PyObject *module, PyObject *unused)
{
    if (token_cache == NULL) {
        token_cache = make_token();
        if (token_cache == NULL)
            return NULL;
    }
    return Py_NewRef(token_cache);
}

static PyObject *
label(PyObject *module, PyObject *unused)
{
    if (label_cache == NULL) {
        label_cache = PyUnicode_FromString("label");
        if (label_cache == NULL)
            return NULL;
    }
    return Py_NewRef(label_cache);
}

static PyObject *
entry(PyObject *module, PyObject *unused)
{
    if (entry_cache == NULL) {
        entry_cache = first();
        if (entry_cache == NULL)
            return NULL;
    }
    return Py_NewRef(entry_cache);
}

static PyObject *
item(PyObject *module, PyObject *unused)
{
    if (item_cache == NULL) {
        item_cache = fresh_list();
        if (item_cache == NULL)
            return NULL;
    }
    return Py_NewRef(item_cache);
}

static PyObject *
control(PyObject *module, PyObject *unused)
{
    if (control_cache == NULL) {
        control_cache = PyList_New(0);
        if (control_cache == NULL)
            return NULL;
    }
    return Py_NewRef(control_cache);
}

static PyCFunction
pick(void)
{
    return control;
}

static PyObject *
call_picked(PyObject *module, PyObject *unused)
{
    return pick()(module, unused);
}

static PyMethodDef methods[] = {
    {"token", token, METH_NOARGS, NULL},
    {"label", label, METH_NOARGS, NULL},
    {"entry", entry, METH_NOARGS, NULL},
    {"item", item, METH_NOARGS, NULL},
    {"control", control, METH_NOARGS, NULL},
    {"echo", echo, METH_O, NULL},
    {"call_picked", call_picked, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "shadows", NULL, 0, methods, slots};

PyMODINIT_FUNC
PyInit_shadows(void)
{
    return PyModuleDef_Init(&def);
}
