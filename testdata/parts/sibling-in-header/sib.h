/* The sibling of mod.c's `head`. */
static PyObject *tail = NULL; /* ~ OV101 tail */
