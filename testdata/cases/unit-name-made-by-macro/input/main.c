/* Tests: a static whose declared name a macro makes is a site under the
 * name the compiler declares (issue 18, breaker s11 U1): through a
 * function-like macro with `##` (defined in a header, two levels deep), an
 * object-like macro, an object-like macro that invokes the function-like
 * one, a macro whose neighbours stringify (`#n`), two declarators of one
 * declaration, and a block-scope static. Before: the function-like ones
 * were no site at all (the prefilter saw a call, not a name), the
 * object-like one was reported as `STATE_CACHE`. Each fix is unsafe (the
 * name is spelled through a macro, which oncevar does not rewrite); the
 * plainly named static keeps its safe fix. */
#include <Python.h>
#include "names.h"

#define STATE_CACHE state_cache_impl
#define TWO_LEVEL CAT(cache_, two)
#define CACHE(n) cache_##n
#define STR(n) #n
#define INTERN(n) PyUnicode_InternFromString(STR(n))

static PyObject *CAT(cache_, a) = NULL;                 /*~ OV101 cache_a */
static PyObject *STATE_CACHE = NULL;                    /*~ OV101 state_cache_impl */
static PyObject *TWO_LEVEL = NULL;                      /*~ OV101 cache_two */
static PyObject *CACHE(foo) = NULL;                     /*~ OV101 cache_foo */
static PyObject *CAT(c_, x) = NULL, *CAT(c_, y) = NULL; /*~ OV101 c_x */ /*~ OV101 c_y */
static PyObject *plain = NULL;                          /*~ OV101 plain */

static PyObject *
get_all(PyObject *self, PyObject *unused)
{
    if (CAT(cache_, a) == NULL) {
        CAT(cache_, a) = PyUnicode_FromString("a");
        if (CAT(cache_, a) == NULL)
            return NULL;
    }
    if (STATE_CACHE == NULL && (STATE_CACHE = PyDict_New()) == NULL)
        return NULL;
    if (TWO_LEVEL == NULL && (TWO_LEVEL = PyList_New(0)) == NULL)
        return NULL;
    if (CACHE(foo) == NULL && (CACHE(foo) = INTERN(foo)) == NULL)
        return NULL;
    if (CAT(c_, x) == NULL && (CAT(c_, x) = PyDict_New()) == NULL)
        return NULL;
    if (CAT(c_, y) == NULL && (CAT(c_, y) = PyDict_New()) == NULL)
        return NULL;
    if (plain == NULL && (plain = PyList_New(0)) == NULL)
        return NULL;
    return PyTuple_Pack(7, CAT(cache_, a), STATE_CACHE, TWO_LEVEL, CACHE(foo),
                        CAT(c_, x), CAT(c_, y), plain);
}

static PyObject *
get_local(PyObject *self, PyObject *unused)
{
    static PyObject *CAT(local_, b) = NULL;             /*~ OV101 local_b */
    if (CAT(local_, b) == NULL) {
        CAT(local_, b) = PyUnicode_FromString("b");
        if (CAT(local_, b) == NULL)
            return NULL;
    }
    return Py_NewRef(CAT(local_, b));
}
