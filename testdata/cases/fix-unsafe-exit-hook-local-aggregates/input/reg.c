/* See mod.c: reg_quit keeps the function in a table its Py_AtExit hook
 * walks. */
#include <Python.h>
#include "reg.h"

static void (*quitters[8])(void);
static int nquitters;

static void
run_quitters(void)
{
    while (nquitters > 0)
        quitters[--nquitters]();
}

int
reg_quit(void (*fn)(void))
{
    if (nquitters == 0 && Py_AtExit(run_quitters) < 0)
        return -1;
    if (nquitters == 8)
        return -1;
    quitters[nquitters++] = fn;
    return 0;
}
