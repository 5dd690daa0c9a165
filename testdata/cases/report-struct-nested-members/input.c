/* Tests: a static struct holding a struct of object pointers by value,
 * filled lazily through the inner members (`cfg.objs.a =
 * PyLong_FromLong(10);`), caches new references for the whole process,
 * never released and shared by every interpreter, as a struct of object
 * members does: reported (report only), whether the inner struct is
 * anonymous, named apart, a typedef, three levels deep, an array of
 * structs, or reached through parentheses (`(deep.x).y.z =`, which the
 * prefilter did not take for a write of `deep`) or a macro
 * (`#define CACHED (viamacro.objs.a)`). A release through the inner
 * member is OV102. Before: none reported (a member that is a struct was
 * no object member). Contrasts: an inner struct of `const char *`, a
 * pointer to an inner struct, and an object struct held by value (its
 * members are the object's) are no caches of the static. */
#include <Python.h>

static struct {
    int n;
    struct { PyObject *a; PyObject *b; } objs;
} cfg;                                          /*~ OV101 cfg */

struct pair { PyObject *a, *b; };
static struct { struct pair objs; } named;      /*~ OV101 named */

typedef struct { PyObject *a; } Inner;
typedef struct { Inner p; } Outer;
static Outer typed;                             /*~ OV102 typed */

static struct { struct { int k; struct { PyObject *z; } y; } x; } deep;   /*~ OV101 deep */

static struct {
    struct { const char *s; PyObject *o; } rows[2];
} table = {{{"a", NULL}, {"b", NULL}}};         /*~ OV101 table */

static struct { int n; struct { PyObject *a; } objs; } viamacro;   /*~ OV101 viamacro */
#define CACHED (viamacro.objs.a)

static struct { struct { const char *a; } names; } labels;
static struct { struct { PyObject *a; } *objs; } pointed;

typedef struct { PyObject_HEAD PyObject *dict; } HolderObject;
static struct { int n; HolderObject h; } holder;

static PyObject *
get(PyObject *self, PyObject *arg)
{
    int i = PyObject_IsTrue(arg);
    if (cfg.objs.a == NULL) {
        cfg.objs.a = PyLong_FromLong(10);
        cfg.objs.b = PyLong_FromLong(20);
        cfg.n = 2;
    }
    if (!named.objs.a) {
        named.objs.a = PyLong_FromLong(1);
        named.objs.b = PyLong_FromLong(2);
    }
    if (NULL == typed.p.a)
        typed.p.a = PyLong_FromLong(3);
    if ((deep.x.y.z) == NULL)
        (deep.x).y.z = PyLong_FromLong(4);
    if (table.rows[i & 1].o == NULL)
        table.rows[i & 1].o = PyUnicode_FromString(table.rows[i & 1].s);
    if (CACHED == NULL)
        CACHED = PyLong_FromLong(5);
    if (labels.names.a == NULL)
        labels.names.a = "x";
    if (pointed.objs != NULL && pointed.objs->a == NULL)
        pointed.objs->a = PyLong_FromLong(6);
    if (holder.h.dict == NULL)
        holder.h.dict = PyDict_New();
    return PyTuple_Pack(5, cfg.objs.b, named.objs.b, typed.p.a, deep.x.y.z,
                        table.rows[i & 1].o);
}

static PyObject *
reset(PyObject *self, PyObject *unused)
{
    Py_CLEAR(typed.p.a);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"get", get, METH_O, NULL},
    {"reset", reset, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "nested", NULL, 0, methods};

PyMODINIT_FUNC
PyInit_nested(void)
{
    return PyModule_Create(&def);
}
