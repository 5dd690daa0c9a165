/* The module's state kept in statics, as the Python 2/3 porting HOWTO
 * showed it for builds without m_size, and a table type. */
#ifndef STATE_H
#define STATE_H

struct module_state {
    PyObject *error;
    long calls;
};

struct holder {
    PyObject *obj;
};

typedef struct {
    const char *name;
    PyObject *cls;
} exc_entry;

static struct module_state _state; /*~ OV404 _state */
#define GETSTATE(m) (&_state)
#define LAST_ERROR (last_state.error)
#define SET_OBJ(dst, v) Py_XSETREF(dst, v)

#endif
