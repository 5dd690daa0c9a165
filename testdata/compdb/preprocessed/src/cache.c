/* With a trusted database, the build's own preprocessor decides which
 * branches this unit compiles; without one, oncevar's evaluator keeps
 * every branch whose condition it cannot decide. */
#include <Python.h>
#include "settings.h"

/* Nothing defines WITH_CACHE: not a site of this build. */
#ifdef WITH_CACHE
static PyObject *cache = NULL;

static PyObject *get_cache(void)
{
    if (cache == NULL) {
        cache = PyDict_New();
    }
    return cache;
}
#endif

/* settings.h defines USE_TABLES: a site. */
#if USE_TABLES
static PyObject *tables = NULL; /*~ OV101 tables */

static PyObject *get_tables(void)
{
    if (tables == NULL) {
        tables = PyDict_New();
    }
    return tables;
}
#else
static PyObject *no_tables = NULL;

static PyObject *get_no_tables(void)
{
    if (no_tables == NULL) {
        no_tables = PyDict_New();
    }
    return no_tables;
}
#endif

/* A function-like macro of the project: HAVE_FEATURE(3) is 0. */
#if HAVE_FEATURE(3)
static PyObject *feature = NULL;

static PyObject *get_feature(void)
{
    if (feature == NULL) {
        feature = PyList_New(0);
    }
    return feature;
}
#else
static PyObject *fallback = NULL; /*~ OV101 fallback */

static PyObject *get_fallback(void)
{
    if (fallback == NULL) {
        fallback = PyList_New(0);
    }
    return fallback;
}
#endif

/* Live, and named in a branch for another compiler (another build may
 * compile it): its fix is unsafe. */
static PyObject *shared = NULL; /*~ OV101 shared */

static PyObject *get_shared(void)
{
    if (shared == NULL) {
        shared = PyUnicode_FromString("s");
    }
#ifdef _MSC_VER
    Py_XDECREF(shared);
#endif
    return shared;
}

/* Named only where no build looks: its fix stays safe. */
static PyObject *plain = NULL; /*~ OV101 plain */

static PyObject *get_plain(void)
{
    if (plain == NULL) {
        plain = PyUnicode_FromString("p");
    }
    return plain;
}

#if 0
static void unused(void) { Py_XDECREF(plain); }
#endif
