/* The sibling of mod.c's `lq`, found only with -I inc. */
static PyObject *rq = NULL; /* ~ OV101 rq */
