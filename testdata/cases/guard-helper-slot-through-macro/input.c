/* Tests: the static's name reaches a slot helper through a macro of the
 * file that passes its address on (`#define LAZY_ATTR(var, m, a)
 * fetch_attr(m, a, &(var))`, also `&var` and a macro calling the helper
 * with the slot second): each static is a lazy cache (OV101), its fix
 * rewrites the macro's argument; a macro calling such a macro with the name
 * (`LAZY_ENUM`) passes it on as well. A macro whose helper stores a
 * borrowed reference through the slot makes that fix unsafe, as the
 * helper called directly does. */
#include <Python.h>

static void
fetch_attr(const char *modname, const char *attr, PyObject **slot)
{
    if (*slot == NULL) {
        PyObject *mod = PyImport_ImportModule(modname);
        if (mod != NULL) {
            *slot = PyObject_GetAttrString(mod, attr);
            Py_DECREF(mod);
        }
    }
}

static int
load_module(PyObject **slot, const char *name)
{
    if (*slot != NULL)
        return 0;
    *slot = PyImport_ImportModule(name);
    return *slot == NULL ? -1 : 0;
}

static void
borrow_builtin(PyObject **slot, const char *name)
{
    if (!*slot)
        *slot = PyDict_GetItemString(PyEval_GetBuiltins(), name);
}

#define LAZY_ATTR(var, m, a) fetch_attr((m), (a), &(var))
#define LAZY_MODULE(var, name) load_module(&var, name)
#define LAZY_ENUM(var, a) LAZY_ATTR(var, "enum", a)
#define BUILTIN(var, name) borrow_builtin(&var, name)

static PyObject *enum_cls = NULL;    /*~ OV101 enum_cls */
static PyObject *flag_cls = NULL;    /*~ OV101 flag_cls */
static PyObject *decimal_mod = NULL; /*~ OV101 decimal_mod */
static PyObject *auto_cls;           /*~ OV101 auto_cls */
static PyObject *repr_builtin;       /*~ OV101 repr_builtin */

static PyObject *
classes(PyObject *self, PyObject *arg)
{
    LAZY_ATTR(enum_cls, "enum", "Enum");
    LAZY_ATTR(flag_cls, "enum", "Flag");
    if (enum_cls == NULL || flag_cls == NULL)
        return NULL;
    return PyTuple_Pack(2, enum_cls, flag_cls);
}

static PyObject *
decimal(PyObject *self, PyObject *arg)
{
    if (LAZY_MODULE(decimal_mod, "decimal") < 0)
        return NULL;
    return PyObject_CallMethod(decimal_mod, "Decimal", "O", arg);
}

static PyObject *
make_auto(PyObject *self, PyObject *arg)
{
    LAZY_ENUM(auto_cls, "auto");
    if (auto_cls == NULL)
        return NULL;
    return PyObject_CallNoArgs(auto_cls);
}

static PyObject *
show(PyObject *self, PyObject *arg)
{
    BUILTIN(repr_builtin, "repr");
    if (repr_builtin == NULL)
        return NULL;
    return PyObject_CallOneArg(repr_builtin, arg);
}
