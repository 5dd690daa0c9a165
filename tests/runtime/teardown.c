/*
 * Accesses during interpreter teardown, across translation units.  Each
 * translation unit's slots are released when the interpreter dict drops its
 * table (in dict order).  A release that runs code of a unit whose table is
 * still there uses that table (and the value is released with it); code of a
 * unit whose table is already gone, or that never had one in this
 * interpreter, gets the thread's fallback slot: it reads NULL, no
 * interpreter dict is re-created behind CPython's back, and a value stored
 * there cannot be released any more: it is left alone (leaked), reported on
 * stderr when the fallback is next reused, and never touched from another
 * interpreter.
 */
#include "testutil.h"
#include "oncevar.h"
#include <fcntl.h>
#include <unistd.h>

void b_set(PyObject *obj);
PyObject *b_get(void);

Py_ONCEVAR_DECLARE(PyObject *, a_cache);
Py_ONCEVAR_DECLARE(PyObject *, a_late);

static int hook_calls;
static PyObject *hook_saw;
static PyObject *late_value;      /* stored by the hook (reference moved) */

/* Runs when the object cached by the other unit is released. */
static void
late_hook(int id)
{
    (void)id;
    hook_calls++;
    hook_saw = Py_ONCEVAR(a_late);
    if (hook_saw == NULL) {
        Py_ONCEVAR(a_late) = late_value;
        late_value = NULL;
    }
}

/* Run `access` with stderr captured; return what it wrote. */
static char captured[4096];

static const char *
capture_stderr(PyObject *(*access)(void), PyObject **result)
{
    char path[] = "/tmp/oncevar-teardown-XXXXXX";
    int fd = mkstemp(path), saved;
    ssize_t n;
    CHECK(fd >= 0);
    fflush(stderr);
    saved = dup(2);
    CHECK(dup2(fd, 2) >= 0);
    *result = access();
    fflush(stderr);
    CHECK(dup2(saved, 2) >= 0);
    close(saved);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    n = read(fd, captured, sizeof(captured) - 1);
    captured[n < 0 ? 0 : n] = '\0';
    close(fd);
    unlink(path);
    return captured;
}

static PyObject *
read_a_late(void)
{
    return Py_ONCEVAR(a_late);
}

int
main(void)
{
    PyThreadState *main_ts, *sub;
    PyObject *got;
    const char *err;

    Py_Initialize();
    main_ts = PyThreadState_Get();

    /* A. This unit's table is created first, so released first; the other
     * unit's release then runs code of this unit. */
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    Py_ONCEVAR(a_cache) = counted_new(1);
    b_set(counted_new_hook(2, late_hook));
    late_value = counted_new(3);
    log_reset();
    hook_calls = 0;
    Py_EndInterpreter(sub);
    CHECK_EQ_INT(hook_calls, 1);
    CHECK(hook_saw == NULL);
    LOG_EXPECT(1, 2);             /* 3 is left in the fallback: not freed */
    PyThreadState_Swap(main_ts);
    /* The main interpreter does not see it; the abandoned value is
     * reported, and not released from the wrong interpreter. */
    err = capture_stderr(read_a_late, &got);
    CHECK(got == NULL);
    CHECK(strstr(err, "oncevar: warning:") != NULL);
    CHECK(strstr(err, "a_late") != NULL);
    LOG_EXPECT(1, 2);

    /* B. The other unit's table is created first: its release runs while
     * this unit's table still exists; the value lands there and is
     * released with it. */
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    b_set(counted_new_hook(12, late_hook));
    Py_ONCEVAR(a_cache) = counted_new(11);
    late_value = counted_new(13);
    log_reset();
    hook_calls = 0;
    Py_EndInterpreter(sub);
    CHECK_EQ_INT(hook_calls, 1);
    CHECK(hook_saw == NULL);
    LOG_EXPECT(12, 13, 11);
    PyThreadState_Swap(main_ts);

    /* C. This unit was never used in the interpreter: its first access
     * happens after the interpreter dict is gone. */
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    b_set(counted_new_hook(22, late_hook));
    late_value = counted_new(23);
    log_reset();
    hook_calls = 0;
    Py_EndInterpreter(sub);
    CHECK_EQ_INT(hook_calls, 1);
    CHECK(hook_saw == NULL);
    LOG_EXPECT(22);
    PyThreadState_Swap(main_ts);
    CHECK(read_a_late() == NULL);

    /* D. The same in the main interpreter, then a new runtime. */
    Py_ONCEVAR(a_cache) = counted_new(31);
    b_set(counted_new_hook(32, late_hook));
    late_value = counted_new(33);
    log_reset();
    hook_calls = 0;
    CHECK(Py_FinalizeEx() == 0);
    CHECK_EQ_INT(hook_calls, 1);
    LOG_EXPECT(31, 32);
    Py_Initialize();
    err = capture_stderr(read_a_late, &got);
    CHECK(got == NULL);
    CHECK(b_get() == NULL);
    CHECK(Py_ONCEVAR(a_cache) == NULL);
    LOG_EXPECT(31, 32);
    CHECK(Py_FinalizeEx() == 0);
    test_passed("teardown");
    return 0;
}
