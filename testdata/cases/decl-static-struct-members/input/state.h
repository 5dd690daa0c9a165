/* The module's state struct, kept in a static by the porting HOWTO's
 * non-m_size build. */
#ifndef STATE_H
#define STATE_H
#include <Python.h>

struct module_state {
    PyObject *error;
    PyObject *codec;
    int counter;
};

typedef struct module_state module_state;

#endif
