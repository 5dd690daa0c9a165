/* The project's own drop macros, in a header of the unit. */
#ifndef DROP_H
#define DROP_H
#define HDR_DROP(var) do { Py_XDECREF(var); (var) = NULL; } while (0)
#endif
