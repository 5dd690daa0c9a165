/* Aliases of the C API's statement macros, defined in the package's header
 * and written without `;` in m.c. */
#include <Python.h>
#define LEAVE_GIL Py_UNBLOCK_THREADS
#define ENTER_GIL Py_BLOCK_THREADS
typedef unsigned long level_t;
