/* A stand-in for the free-threaded build's pyconfig.h (configure
 * --disable-gil writes this line). */
#define SIZEOF_VOID_P 8
#define Py_GIL_DISABLED 1
