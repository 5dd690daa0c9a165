/* Tests: a word after `->` or `.` in a macro body is a member of a struct,
 * not the static spelled the same: `((st)->cache)`, `(m).names`,
 * `p -> table` with blanks, and a header's `(the_api->registry)` leave
 * the statics' fixes safe. A macro body that names the static itself
 * (`(counter)`, or a member and the static in one body) keeps the fix
 * unsafe. */
#include <Python.h>
#include "api.h"

typedef struct { PyObject *cache; PyObject *names; PyObject *hits; } state_t;
#define STATE_CACHE(st) ((st)->cache)
#define MOD_NAMES(m) (m).names
#define SPACED_TABLE(p) p -> table
#define COUNTER_NOW() (counter)
#define BOTH_HITS(s) ((s)->hits != NULL ? (s)->hits : hits)

api_t *the_api;

static PyObject *names = NULL;      /*~ OV101 names */
static PyObject *registry = NULL;   /*~ OV101 registry */
static PyObject *table = NULL;      /*~ OV101 table */
static PyObject *counter = NULL;    /*~ OV101 counter */
static PyObject *hits = NULL;       /*~ OV101 hits */

static PyObject *
get_cache(PyObject *self, PyObject *unused)
{
    static PyObject *cache = NULL;  /*~ OV101 cache */
    state_t *st = PyModule_GetState(self);
    if (st != NULL && STATE_CACHE(st) != NULL)
        return Py_NewRef(STATE_CACHE(st));
    if (cache == NULL) {
        cache = PyDict_New();
        if (cache == NULL)
            return NULL;
    }
    return Py_NewRef(cache);
}

static PyObject *
get_names(PyObject *self, PyObject *unused)
{
    state_t *st = PyModule_GetState(self);
    if (st != NULL && MOD_NAMES(*st) != NULL)
        return Py_NewRef(MOD_NAMES(*st));
    if (names == NULL && (names = PyList_New(0)) == NULL)
        return NULL;
    return Py_NewRef(names);
}

static PyObject *
get_registry(PyObject *self, PyObject *unused)
{
    if (registry == NULL) {
        registry = PyDict_New();
        if (registry == NULL)
            return NULL;
    }
    if (table == NULL) {
        table = PyDict_New();
        if (table == NULL)
            return NULL;
    }
    if (the_api != NULL && API_REGISTRY != NULL)
        return Py_NewRef(API_REGISTRY);
    if (the_api != NULL && SPACED_TABLE(the_api) != NULL)
        return Py_NewRef(SPACED_TABLE(the_api));
    return Py_NewRef(registry);
}

static PyObject *
get_counter(PyObject *self, PyObject *unused)
{
    if (counter == NULL) {
        counter = PyLong_FromLong(0);
        if (counter == NULL)
            return NULL;
    }
    return Py_NewRef(COUNTER_NOW());
}

static PyObject *
get_hits(PyObject *self, PyObject *unused)
{
    state_t *st = PyModule_GetState(self);
    if (hits == NULL) {
        hits = PyDict_New();
        if (hits == NULL)
            return NULL;
    }
    return Py_NewRef(BOTH_HITS(st));
}
