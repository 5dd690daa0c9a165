/* Tests: one reading per #include (issue 18, the unity-split kind). A
 * template part included three times, through a macro naming it, from a
 * subfolder, under `#define NAME one` / `two` / `three`, declares three
 * statics (cache_one, cache_two, cache_three, spelled `CAT(cache_, NAME)`);
 * each is a site of its own, with the evidence of its reading, and
 * cache_two, released here, is OV102. Before: one site, `CAT` unread, the
 * other readings missed. Each file-scope static's fix is unsafe (one text,
 * three variables); the block-scope `local` is declared anew in each
 * function and keeps its safe fix. A part guarded by `#ifndef` whose guard
 * is undefined between the includes is read twice (cache_x, cache_y); a
 * header whose guard holds is read once (its static's fix stays safe). */
#include <Python.h>

#define PART "parts/part.h"
#define NAME one
#include PART
#undef NAME
#define NAME two
#include PART
#undef NAME
#define NAME three
#include PART
#undef NAME

#define GUARDED_NAME cache_x
#include "guarded.h"
#undef GUARDED_H
#undef GUARDED_NAME
#define GUARDED_NAME cache_y
#include "guarded.h"

#include "once.h"
#include "once.h"

static int
mod_clear(PyObject *m)
{
    Py_CLEAR(cache_two);
    return 0;
}

static PyObject *
all(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(6, get_one(), get_two(), get_three(),
                        get_cache_x(), get_cache_y(), get_once());
}
