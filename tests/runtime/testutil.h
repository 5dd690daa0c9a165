/*
 * Helpers shared by the runtime tests (the .c files of tests/runtime).  Each test is a
 * standalone program embedding CPython; it exits 0 and prints "ok: NAME"
 * on success, and exits 1 after printing the failed check otherwise.
 */
#ifndef ONCEVAR_TESTUTIL_H
#define ONCEVAR_TESTUTIL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#define TEST_UNUSED __attribute__((unused))

/* A function as a PyType_Slot's `void *pfunc`, through an integer: ISO C
 * has no function-to-object pointer conversion, and the tests build with
 * -Wpedantic. */
#define TEST_SLOT_FUNC(f) ((void *)(uintptr_t)(f))

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            if (PyErr_Occurred()) {                                          \
                PyErr_Print();                                               \
            }                                                                \
            fflush(stdout);                                                  \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                   \
    do {                                                                     \
        long long a_ = (long long)(a), b_ = (long long)(b);                  \
        if (a_ != b_) {                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s == %s (%lld != %lld)\n",\
                    __FILE__, __LINE__, #a, #b, a_, b_);                     \
            fflush(stdout);                                                  \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

/* ---- counted objects ------------------------------------------------
 * Instances of a fresh heap type (one per object, so that nothing outlives
 * its interpreter), whose tp_dealloc appends the object's id to a log.
 */

#define DEALLOC_LOG_MAX 4096

typedef struct {
    PyObject_HEAD
    int id;
    void (*on_dealloc)(int id);     /* optional hook, run before freeing */
} CountedObject;

static int dealloc_log[DEALLOC_LOG_MAX] TEST_UNUSED;
static int dealloc_count TEST_UNUSED;

static inline void
counted_dealloc(PyObject *self)
{
    CountedObject *obj = (CountedObject *)self;
    PyTypeObject *tp = Py_TYPE(self);
    /* atomic: objects may die in parallel threads (free-threaded build) */
    int at = __atomic_fetch_add(&dealloc_count, 1, __ATOMIC_RELAXED);
    if (at < DEALLOC_LOG_MAX) {
        dealloc_log[at] = obj->id;
    }
    if (obj->on_dealloc != NULL) {
        obj->on_dealloc(obj->id);
    }
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot counted_slots[] TEST_UNUSED = {
    {Py_tp_dealloc, TEST_SLOT_FUNC(counted_dealloc)},
    {0, NULL},
};

static PyType_Spec counted_spec TEST_UNUSED = {
    "oncevar_test.Counted", sizeof(CountedObject), 0, Py_TPFLAGS_DEFAULT,
    counted_slots,
};

static inline PyObject *
counted_new_hook(int id, void (*on_dealloc)(int))
{
    PyObject *type = PyType_FromSpec(&counted_spec);
    CountedObject *obj;
    CHECK(type != NULL);
    obj = PyObject_New(CountedObject, (PyTypeObject *)type);
    Py_DECREF(type);  /* the instance holds a reference to its type */
    CHECK(obj != NULL);
    obj->id = id;
    obj->on_dealloc = on_dealloc;
    return (PyObject *)obj;
}

static inline PyObject *
counted_new(int id)
{
    return counted_new_hook(id, NULL);
}

static inline int
counted_id(PyObject *op)
{
    return op == NULL ? -1 : ((CountedObject *)op)->id;
}

static inline void
log_reset(void)
{
    dealloc_count = 0;
}

/* Check that exactly `n` objects were deallocated, with ids `ids` in that
 * order, since the last log_reset(). */
static inline void
log_expect_at(const char *file, int line, const int *ids, int n)
{
    int i, ok = dealloc_count == n;
    for (i = 0; ok && i < n; i++) {
        ok = dealloc_log[i] == ids[i];
    }
    if (!ok) {
        fprintf(stderr, "%s:%d: dealloc log mismatch\n  expected:", file, line);
        for (i = 0; i < n; i++) {
            fprintf(stderr, " %d", ids[i]);
        }
        fprintf(stderr, "\n  got:     ");
        for (i = 0; i < dealloc_count && i < DEALLOC_LOG_MAX; i++) {
            fprintf(stderr, " %d", dealloc_log[i]);
        }
        fprintf(stderr, "\n");
        exit(1);
    }
}

#define LOG_EXPECT(...)                                                      \
    do {                                                                     \
        static const int expected_[] = {__VA_ARGS__};                        \
        log_expect_at(__FILE__, __LINE__, expected_,                         \
                      (int)(sizeof(expected_) / sizeof(expected_[0])));      \
    } while (0)

#define LOG_EXPECT_NONE() log_expect_at(__FILE__, __LINE__, NULL, 0)

/* A new sub-interpreter, current (its GIL held) on return: isolated, with
 * its own GIL, on 3.12+; a legacy one sharing the GIL before. */
static inline PyThreadState *
new_sub_interpreter(void)
{
    PyThreadState *sub;
#if PY_VERSION_HEX >= 0x030C0000
    PyInterpreterConfig config;
    PyStatus status;
    memset(&config, 0, sizeof(config));
    config.use_main_obmalloc = 0;
    config.allow_threads = 1;
    config.check_multi_interp_extensions = 1;
    config.gil = PyInterpreterConfig_OWN_GIL;
    status = Py_NewInterpreterFromConfig(&sub, &config);
    CHECK(!PyStatus_Exception(status));
#else
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
#endif
    return sub;
}

static inline void
test_passed(const char *name)
{
    printf("ok: %s (CPython %s)\n", name, PY_VERSION);
    fflush(stdout);
}

#endif /* ONCEVAR_TESTUTIL_H */
