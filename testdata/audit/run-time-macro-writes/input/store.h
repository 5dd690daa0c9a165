/* The project's own writing macros, in a header of the unit. */
#ifndef STORE_H
#define STORE_H

#define STORE(dst, v) do { PyObject *old_ = (dst); (dst) = (v); Py_XDECREF(old_); } while (0)
#define STORE_NEW(dst, v) STORE(dst, Py_NewRef(v))
#define REMEMBER(slot, value) Py_XSETREF(slot, Py_NewRef(value))
#define BUMP(c) ((c)++)
#define SET_MEMBER(s, v) ((s).count = (v))
#define SHOW(v) PyObject_Repr(v)

#endif
