/*
 * benches/runtime_offsets.c -- prints the offset in bytes of the head of
 * CPython's interpreter list in _PyRuntime (its internal layout), for
 * scripts/bench-runtime.sh's "solo" rows.  Compiled with Py_BUILD_CORE
 * against the internal headers every CPython 3.8+ installs; they are
 * internal (the layout may change in any release, and 3.13+ publish it for
 * out-of-process debuggers only, in _PyRuntime.debug_offsets), which is why
 * the runtime does not use them (see runtime/README.md, "Cost").  Where
 * the internal headers do not compile, the bench leaves the rows out.
 */
#define Py_BUILD_CORE 1
#include <Python.h>
#include "internal/pycore_runtime.h"
#include <stddef.h>
#include <stdio.h>

int
main(void)
{
    printf("%zu\n", offsetof(_PyRuntimeState, interpreters.head));
    return 0;
}
