/* Which statics are sites depends on the unit's flags in
 * compile_commands.json: -DWITH_CACHE, -DNDEBUG ... -UNDEBUG, and the
 * Python headers of -Ipython312 (a 3.12 patchlevel.h). */
#include <Python.h>

#ifdef WITH_CACHE
static PyObject *live_cache = NULL; /*~ OV101 live_cache */

static PyObject *get_live_cache(void)
{
    if (live_cache == NULL) {
        live_cache = PyDict_New();
    }
    return live_cache;
}
#else
/* Switched off by -DWITH_CACHE, but another build compiles it: a site,
 * with a note that this build does not compile it. */
static PyObject *off_cache = NULL; /*~ OV101 off_cache */

static PyObject *get_off_cache(void)
{
    if (off_cache == NULL) {
        off_cache = PyDict_New();
    }
    return off_cache;
}
#endif

#if PY_VERSION_HEX >= 0x030C0000
static PyObject *new_name = NULL; /*~ OV101 new_name */

static PyObject *get_name(void)
{
    if (new_name == NULL) {
        new_name = PyUnicode_FromString("new");
    }
    return new_name;
}
#else
/* Python below 3.12: not this build's, but a site of the builds for it. */
static PyObject *old_name = NULL; /*~ OV101 old_name */

static PyObject *get_name(void)
{
    if (old_name == NULL) {
        old_name = PyUnicode_FromString("old");
    }
    return old_name;
}
#endif

/* -DNDEBUG comes first on the command line, -UNDEBUG last: it wins. */
#ifndef NDEBUG
static PyObject *debug_table = NULL; /*~ OV101 debug_table */

static PyObject *get_debug_table(void)
{
    if (debug_table == NULL) {
        debug_table = PyList_New(0);
    }
    return debug_table;
}
#endif

/* Nothing says what HAVE_FEATURE(3) or SOME_SETTING are: both kept. */
#if HAVE_FEATURE(3) || SOME_SETTING > 2
static PyObject *maybe_a = NULL; /*~ OV101 maybe_a */
#else
static PyObject *maybe_b = NULL; /*~ OV101 maybe_b */
#endif

static PyObject *get_maybe(void)
{
#if HAVE_FEATURE(3) || SOME_SETTING > 2
    if (maybe_a == NULL) {
        maybe_a = PyDict_New();
    }
    return maybe_a;
#else
    if (maybe_b == NULL) {
        maybe_b = PyDict_New();
    }
    return maybe_b;
#endif
}

/* Live in this build, and also named in the branch for older Pythons,
 * which the fix rewrites too (with a note that this build does not
 * compile it). */
static PyObject *tag = NULL; /*~ OV101 tag */

static PyObject *get_tag(void)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (tag == NULL) {
        tag = PyUnicode_FromString("3.12+");
    }
#else
    if (tag == NULL) {
        tag = PyUnicode_FromString("older");
    }
#endif
    return tag;
}

/* No build compiles this: named here, the fix of `live_cache` stays safe. */
#if 0
static void unused(void) { Py_XDECREF(live_cache); }
#endif

/* A macro for older Pythons whose parameter is spelled like a live static:
 * the parameter names the macro's argument, not the variable, so the dead
 * branch does not make the fix of `clock_fn` unsafe. */
#if PY_VERSION_HEX < 0x030B0000
#define CFUNC_CAST(clock_fn) ((PyCFunction)(void (*)(void))(clock_fn))
#endif

static PyObject *clock_fn = NULL; /*~ OV101 clock_fn */

static PyObject *get_clock(void)
{
    if (clock_fn == NULL) {
        clock_fn = PyUnicode_FromString("monotonic");
    }
    return clock_fn;
}
