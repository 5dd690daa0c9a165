/* The project's filling macro, in a header: pastes the name it writes. */
#ifndef FILL_H
#define FILL_H
#define HEADER_FILL(mod, kind) (kind##_type = PyObject_GetAttrString((mod), #kind))
#endif
