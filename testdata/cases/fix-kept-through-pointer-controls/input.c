/* Tests: the contrasts of fix-unsafe-kept-through-pointer, which keep a
 * safe fix: the copy goes through a pointer, a macro, memcpy or a setter
 * into storage each call or object owns, or with a reference of its own.
 * Into a local struct through a pointer to it (into_local), into heap
 * memory freed before the function returns (into_heap), into the module's
 * state through a getter of the unit (into_state), through a setter handed
 * a local struct's address while another call hands it the static's with
 * another value (setter_local), compared by a macro (compared), stored
 * with `Py_NewRef` through a pointer to a static struct (new_reference),
 * with the storage increfed after (increfed), copied by memcpy into a
 * local (copied_local). Each in a function of its own: a local pointer
 * given a static's address anywhere in its function counts as holding it
 * everywhere there. */
#include <Python.h>
#include <string.h>

struct config {
    PyObject *handler;
};

typedef struct {
    PyObject *handler;
} module_state;

static struct config cfg;

#define SAME(x) (cfg.handler == (x))

static PyObject *into_local = NULL;    /*~ OV101 into_local */
static PyObject *into_heap = NULL;     /*~ OV101 into_heap */
static PyObject *into_state = NULL;    /*~ OV101 into_state */
static PyObject *setter_local = NULL;  /*~ OV101 setter_local */
static PyObject *compared = NULL;      /*~ OV101 compared */
static PyObject *new_reference = NULL; /*~ OV101 new_reference */
static PyObject *increfed = NULL;      /*~ OV101 increfed */
static PyObject *copied_local = NULL;  /*~ OV101 copied_local */

static module_state *
get_state(PyObject *module)
{
    return (module_state *)PyModule_GetState(module);
}

static void
set_handler(struct config *c, PyObject *h)
{
    c->handler = h;
}

static PyObject *
local_struct(PyObject *module, PyObject *unused)
{
    struct config local = {NULL};
    struct config *c = &local;

    if (into_local == NULL) {
        into_local = PyUnicode_FromString("oncevar-kept-into-local");
        if (into_local == NULL)
            return NULL;
    }
    c->handler = into_local;
    return Py_NewRef(local.handler);
}

static PyObject *
heap_memory(PyObject *module, PyObject *unused)
{
    struct config *heap;

    if (into_heap == NULL) {
        into_heap = PyUnicode_FromString("oncevar-kept-into-heap");
        if (into_heap == NULL)
            return NULL;
    }
    heap = PyMem_Malloc(sizeof *heap);
    if (heap == NULL)
        return PyErr_NoMemory();
    heap->handler = into_heap;
    PyMem_Free(heap);
    Py_RETURN_NONE;
}

static PyObject *
module_state_(PyObject *module, PyObject *unused)
{
    if (into_state == NULL) {
        into_state = PyUnicode_FromString("oncevar-kept-into-state");
        if (into_state == NULL)
            return NULL;
    }
    get_state(module)->handler = into_state;
    Py_INCREF(into_state);
    Py_RETURN_NONE;
}

static PyObject *
set_local(PyObject *module, PyObject *unused)
{
    struct config local = {NULL};

    if (setter_local == NULL) {
        setter_local = PyUnicode_FromString("oncevar-kept-setter-local");
        if (setter_local == NULL)
            return NULL;
    }
    set_handler(&local, setter_local);
    set_handler(&cfg, Py_None);
    return Py_NewRef(local.handler);
}

static PyObject *
compare(PyObject *module, PyObject *unused)
{
    if (compared == NULL) {
        compared = PyUnicode_FromString("oncevar-kept-compared");
        if (compared == NULL)
            return NULL;
    }
    return PyBool_FromLong(SAME(compared));
}

static PyObject *
new_ref(PyObject *module, PyObject *unused)
{
    struct config *c = &cfg;

    if (new_reference == NULL) {
        new_reference = PyUnicode_FromString("oncevar-kept-new-reference");
        if (new_reference == NULL)
            return NULL;
    }
    Py_XSETREF(c->handler, Py_NewRef(new_reference));
    Py_RETURN_NONE;
}

static PyObject *
incref(PyObject *module, PyObject *unused)
{
    struct config *c = &cfg;

    if (increfed == NULL) {
        increfed = PyUnicode_FromString("oncevar-kept-increfed");
        if (increfed == NULL)
            return NULL;
    }
    Py_XDECREF(c->handler);
    c->handler = increfed;
    Py_INCREF(c->handler);
    Py_RETURN_NONE;
}

static PyObject *
copy_local(PyObject *module, PyObject *unused)
{
    PyObject *tmp = NULL;
    PyObject *v;

    if (copied_local == NULL) {
        copied_local = PyUnicode_FromString("oncevar-kept-copied-local");
        if (copied_local == NULL)
            return NULL;
    }
    v = copied_local;
    memcpy(&tmp, &v, sizeof v);
    return Py_NewRef(tmp);
}

static int
module_traverse(PyObject *module, visitproc visit, void *arg)
{
    Py_VISIT(get_state(module)->handler);
    return 0;
}

static int
module_clear(PyObject *module)
{
    Py_CLEAR(get_state(module)->handler);
    return 0;
}

static PyMethodDef methods[] = {
    {"local_struct", local_struct, METH_NOARGS, NULL},
    {"heap_memory", heap_memory, METH_NOARGS, NULL},
    {"module_state", module_state_, METH_NOARGS, NULL},
    {"set_local", set_local, METH_NOARGS, NULL},
    {"compare", compare, METH_NOARGS, NULL},
    {"new_ref", new_ref, METH_NOARGS, NULL},
    {"incref", incref, METH_NOARGS, NULL},
    {"copy_local", copy_local, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "kept_through_pointer_controls", NULL, sizeof(module_state),
    methods, NULL, module_traverse, module_clear, NULL,
};

PyMODINIT_FUNC
PyInit_kept_through_pointer_controls(void)
{
    return PyModuleDef_Init(&def);
}
