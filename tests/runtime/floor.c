/*
 * Below the runtime's floor (CPython < 3.8) the header falls back to the
 * plain process-wide static that rewritten code replaced: it compiles
 * (warnings as errors: the compile-time note is not a warning), a value is
 * shared by every interpreter and nothing is released at exit, exactly the
 * old behaviour; Py_ONCEVAR_SET keeps its contract.
 *
 * Against CPython >= 3.8 this program pretends to be older (it lowers
 * PY_VERSION_HEX before including the header), so the fallback is tested
 * with every Python; tests/runtime_c.rs also builds and runs it against
 * real 3.6 and 3.7 installations when it finds them.
 */
#include "testutil.h"
#if PY_VERSION_HEX >= 0x03080000
#  undef PY_VERSION_HEX
#  define PY_VERSION_HEX 0x030710F0
#endif
#include "oncevar.h"

#ifndef Py_ONCEVAR_STATIC_FALLBACK
#  error "expected the static fallback below 3.8"
#endif

static int freed;

static void
count_free(void *p)
{
    freed++;
    PyMem_RawFree(p);
}

Py_ONCEVAR_DECLARE(PyObject *, cache);
Py_ONCEVAR_DECLARE_BORROWED(PyTypeObject *, type_ref);
Py_ONCEVAR_DECLARE_RAW(char *, buffer, count_free);

static PyObject *
get_cache(void)
{
    if (Py_ONCEVAR(cache) == NULL) {
        Py_ONCEVAR(cache) = counted_new(1);
    }
    return Py_ONCEVAR(cache);
}

static PyObject *
local_cache(void)
{
    Py_ONCEVAR_DECLARE(PyObject *, local);      /* block scope */
    return Py_ONCEVAR_SET(local, counted_new(2));
}

int
main(void)
{
    PyThreadState *main_ts, *sub;
    PyObject *first, *in_sub, *local1;
    char *b1, *b2;

    Py_Initialize();
    main_ts = PyThreadState_Get();
    first = get_cache();
    CHECK(first != NULL && counted_id(first) == 1);
    CHECK(Py_ONCEVAR_INDEX(cache) == -1);
    CHECK(&Py_ONCEVAR(cache) == &cache);       /* the static itself */

    /* Py_ONCEVAR_SET: first value wins, losers released by kind. */
    local1 = local_cache();
    log_reset();
    CHECK(local_cache() == local1);             /* the new one lost */
    LOG_EXPECT(2);
    CHECK(Py_ONCEVAR_SET(type_ref, &PyList_Type) == &PyList_Type);
    CHECK(Py_ONCEVAR_SET(type_ref, &PyDict_Type) == &PyList_Type);
    b1 = (char *)PyMem_RawMalloc(4);
    b2 = (char *)PyMem_RawMalloc(4);
    CHECK(Py_ONCEVAR_SET(buffer, b1) == b1);
    CHECK(Py_ONCEVAR_SET(buffer, b2) == b1);
    CHECK_EQ_INT(freed, 1);
    CHECK(Py_ONCEVAR_SET(cache, NULL) == NULL);
    CHECK(Py_ONCEVAR_GET(cache) == first);
    /* The winner's own object handed in again: that reference is released
     * all the same; the winner's raw pointer is never freed. */
    {
        Py_ssize_t refs = Py_REFCNT(first);
        Py_INCREF(first);
        CHECK(Py_ONCEVAR_SET(cache, first) == first);
        CHECK_EQ_INT(Py_REFCNT(first), refs);
        CHECK(Py_ONCEVAR_SET(buffer, b1) == b1);
        CHECK_EQ_INT(freed, 1);
    }

    /* The old behaviour: one value for all interpreters. */
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    in_sub = get_cache();
    CHECK(in_sub == first);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);

    log_reset();
    CHECK(Py_FinalizeEx() == 0);
    /* Nothing is released at exit: the statics still hold their values. */
    CHECK_EQ_INT(dealloc_count, 0);
    CHECK(Py_ONCEVAR(cache) == first && Py_ONCEVAR(buffer) == b1);
    test_passed("floor");
    return 0;
}
