/* A stand-in for a default (GIL) build's pyconfig.h. */
#define SIZEOF_VOID_P 8
/* #undef Py_GIL_DISABLED */
