/* _cache.c - a tiny memo cache used by _speedups, with a node free list. */
#include "../include/speedups.h"

typedef struct memo_node {
    struct memo_node *next;
    PyObject *key;
    PyObject *value;
} memo_node;

static memo_node *free_nodes = NULL;       /* free list: state, not a cache */
static memo_node *memo_head = NULL;
static Py_ssize_t memo_size = 0;

static struct lru_stats *stats = NULL;
static PyObject *missing_sentinel = NULL;
static PyTypeObject *OrderedDictType = NULL;
static PyObject *eviction_hook = NULL;     /* set by the user: state */

static int
load_ordered_dict(PyTypeObject **out)
{
    PyObject *collections = PyImport_ImportModule("collections");
    if (collections == NULL) {
        return -1;
    }
    *out = (PyTypeObject *)PyObject_GetAttrString(collections, "OrderedDict");
    Py_DECREF(collections);
    return *out == NULL ? -1 : 0;
}

struct lru_stats *
speedups_memo_stats(void)
{
    if (stats == NULL) {
        stats = PyMem_RawCalloc(1, sizeof(*stats));
    }
    return stats;
}

static memo_node *
node_new(void)
{
    memo_node *n = free_nodes;
    if (n != NULL) {
        free_nodes = n->next;
        return n;
    }
    return PyMem_Malloc(sizeof(memo_node));
}

static void
evict_oldest(void)
{
    memo_node **pp = &memo_head;
    while (*pp != NULL && (*pp)->next != NULL) {
        pp = &(*pp)->next;
    }
    memo_node *victim = *pp;
    if (victim == NULL) {
        return;
    }
    *pp = NULL;
    if (eviction_hook != NULL) {
        PyObject *r = PyObject_CallOneArg(eviction_hook, victim->key);
        Py_XDECREF(r);
        PyErr_Clear();
    }
    Py_CLEAR(victim->key);
    Py_CLEAR(victim->value);
    victim->next = free_nodes;
    free_nodes = victim;
    memo_size--;
}

PyObject *
speedups_memo_get(PyObject *key, PyObject *(*compute)(PyObject *))
{
    struct lru_stats *st = speedups_memo_stats();
    if (st == NULL) {
        return PyErr_NoMemory();
    }
    if (!missing_sentinel && !(missing_sentinel = PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type))) {
        return NULL;
    }
    for (memo_node *n = memo_head; n != NULL; n = n->next) {
        int eq = PyObject_RichCompareBool(n->key, key, Py_EQ);
        if (eq < 0) {
            return NULL;
        }
        if (eq && n->value != missing_sentinel) {
            st->hits++;
            return Py_NewRef(n->value);
        }
    }
    st->misses++;
    PyObject *value = compute(key);
    if (value == NULL) {
        return NULL;
    }
    if (memo_size >= SPEEDUPS_CACHE_MAX) {
        evict_oldest();
        st->evictions++;
    }
    memo_node *n = node_new();
    if (n == NULL) {
        return value;
    }
    n->key = Py_NewRef(key);
    n->value = Py_NewRef(value);
    n->next = memo_head;
    memo_head = n;
    memo_size++;
    return value;
}

static PyObject *
set_eviction_hook(PyObject *module, PyObject *hook)
{
    Py_XSETREF(eviction_hook, hook == Py_None ? NULL : Py_NewRef(hook));
    Py_RETURN_NONE;
}

static PyObject *
new_ordered(PyObject *module, PyObject *unused)
{
    if (OrderedDictType == NULL && load_ordered_dict(&OrderedDictType) < 0) {
        return NULL;
    }
    return PyObject_CallNoArgs((PyObject *)OrderedDictType);
}

static PyMethodDef cache_methods[] = {
    {"set_eviction_hook", set_eviction_hook, METH_O, NULL},
    {"new_ordered", new_ordered, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
speedups_cache_exec(PyObject *module)
{
    return PyModule_AddFunctions(module, cache_methods);
}

void
speedups_cache_fini(void)
{
    Py_XDECREF(missing_sentinel);
    missing_sentinel = NULL;
    Py_CLEAR(eviction_hook);
}
