/* Tests: a member of the static's name in a macro body is a member even
 * when a line continuation stands between `->` or `.` and the name
 * (macro-param-same-name v15): `((st) ->   \` then `cache)`, a
 * designated initialiser `.cache = NULL` and `(s). \` then `cache`.
 * Before, the fix of the static `cache` was unsafe ("used inside the body
 * of macro"). Control: a macro whose continued line names the static
 * itself keeps the fix unsafe. */
#include <Python.h>

typedef struct { PyObject *cache; const char *name; } module_state;

#define STATE_CACHE(st) ((st) ->   \
    cache)
#define STATE_INIT(n) { .cache = NULL, .name = (n) }
#define STATE_CACHE2(s) ((s). \
                         cache)
#define TOUCH_SEEN() (void)( \
    seen)

static module_state global_state = STATE_INIT("m");

static PyObject *
get(PyObject *self, PyObject *unused)
{
    static PyObject *cache = NULL;      /*~ OV101 cache */
    if (cache == NULL) {
        cache = PyDict_New();
        if (cache == NULL)
            return NULL;
    }
    if (STATE_CACHE(&global_state) == NULL && STATE_CACHE2(global_state) == NULL)
        return Py_NewRef(cache);
    return Py_NewRef(cache);
}

static PyObject *seen = NULL;           /*~ OV101 seen */

static PyObject *
get_seen(PyObject *self, PyObject *unused)
{
    if (seen == NULL && (seen = PyList_New(0)) == NULL)
        return NULL;
    TOUCH_SEEN();
    return Py_NewRef(seen);
}
