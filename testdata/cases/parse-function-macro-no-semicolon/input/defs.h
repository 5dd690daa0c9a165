/* The project's macro that defines a method, used without a `;`. */
#ifndef DEFS_H
#define DEFS_H

#define DEFINE_IDENTITY(name) \
    static PyObject * \
    name##_identity(PyObject *self, PyObject *unused) \
    { \
        return Py_NewRef(self); \
    }

#endif
