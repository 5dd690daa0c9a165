/* See reg.c. */
#include <Python.h>
#include <stdlib.h>
#include "reg.h"

static struct hooks *all_hooks[4];
static int nall_hooks;

static void
fini(void)
{
    while (nall_hooks > 0)
        all_hooks[--nall_hooks]->quit();
}

int
add_hooks(struct hooks *h)
{
    if (nall_hooks == 0 && atexit(fini) != 0)
        return -1;
    if (nall_hooks == 4)
        return -1;
    all_hooks[nall_hooks++] = h;
    return 0;
}
