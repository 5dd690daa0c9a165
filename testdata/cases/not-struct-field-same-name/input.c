/* Tests (look-alike): struct fields named like a static.
 * `self->cache` and `st.cache` are lazily filled, but they are fields; the
 * file-scope `static PyObject *cache` is only read, never lazily assigned,
 * so it is no finding. The static struct `st` is one, through its object
 * member (decl-static-struct-members). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *cache = NULL;

typedef struct {
    PyObject_HEAD
    PyObject *cache;
} MemoObject;

struct module_state {
    PyObject *cache;
};

static struct module_state st;  /*~ OV101 st */

static PyObject *
memo_get(MemoObject *self, PyObject *key)
{
    if (self->cache == NULL) {
        self->cache = PyDict_New();
        if (self->cache == NULL) {
            return NULL;
        }
    }
    if (st.cache == NULL) {
        st.cache = PyDict_New();
    }
    if (cache != NULL && PyDict_Contains(cache, key) > 0) {
        Py_RETURN_TRUE;
    }
    return Py_XNewRef(PyDict_GetItemWithError(self->cache, key));
}
