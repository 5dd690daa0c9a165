/*
 * Memory exhaustion: when the table, its capsule, the interpreter dict entry
 * or a further chunk of slots cannot be allocated, an access does not crash
 * and does not raise: it yields the calling thread's fallback slot for that
 * variable, which reads NULL at first (so the caller's lazy initialisation
 * runs), keeps what is stored in it while the thread stays in the same
 * interpreter, and hands it over to the real slot once memory is available
 * again.  A pending exception is preserved.  Everything is released at exit.
 */
#include "testutil.h"
#include "oncevar.h"

#define NKEYS 70
#define DECL(n) Py_ONCEVAR_DECLARE(PyObject *, k##n);                      \
    static PyObject **slot_k##n(void) { return &Py_ONCEVAR(k##n); }
#define DECL10(p) DECL(p##0) DECL(p##1) DECL(p##2) DECL(p##3) DECL(p##4)    \
    DECL(p##5) DECL(p##6) DECL(p##7) DECL(p##8) DECL(p##9)
DECL10(0) DECL10(1) DECL10(2) DECL10(3) DECL10(4) DECL10(5) DECL10(6)
#define REF(n) slot_k##n,
#define REF10(p) REF(p##0) REF(p##1) REF(p##2) REF(p##3) REF(p##4)          \
    REF(p##5) REF(p##6) REF(p##7) REF(p##8) REF(p##9)
static PyObject **(*slots[NKEYS])(void) = {
    REF10(0) REF10(1) REF10(2) REF10(3) REF10(4) REF10(5) REF10(6)
};

Py_ONCEVAR_DECLARE(PyObject *, x);
Py_ONCEVAR_DECLARE(PyObject *, y);

/* ---- an allocator that can be made to fail (all three domains) ---- */

static int failing;
static long failures;
static PyMemAllocatorEx orig[3];

static void *
f_malloc(void *ctx, size_t size)
{
    PyMemAllocatorEx *a = (PyMemAllocatorEx *)ctx;
    if (failing) {
        failures++;
        return NULL;
    }
    return a->malloc(a->ctx, size);
}

static void *
f_calloc(void *ctx, size_t n, size_t size)
{
    PyMemAllocatorEx *a = (PyMemAllocatorEx *)ctx;
    if (failing) {
        failures++;
        return NULL;
    }
    return a->calloc(a->ctx, n, size);
}

static void *
f_realloc(void *ctx, void *p, size_t size)
{
    PyMemAllocatorEx *a = (PyMemAllocatorEx *)ctx;
    if (failing) {
        failures++;
        return NULL;
    }
    return a->realloc(a->ctx, p, size);
}

static void
f_free(void *ctx, void *p)
{
    PyMemAllocatorEx *a = (PyMemAllocatorEx *)ctx;
    a->free(a->ctx, p);
}

static void
install_failing_allocator(void)
{
    PyMemAllocatorDomain d[3] = {PYMEM_DOMAIN_RAW, PYMEM_DOMAIN_MEM,
                                 PYMEM_DOMAIN_OBJ};
    int i;
    for (i = 0; i < 3; i++) {
        PyMemAllocatorEx hook;
        PyMem_GetAllocator(d[i], &orig[i]);
        hook.ctx = &orig[i];
        hook.malloc = f_malloc;
        hook.calloc = f_calloc;
        hook.realloc = f_realloc;
        hook.free = f_free;
        PyMem_SetAllocator(d[i], &hook);
    }
}

static void
uninstall_failing_allocator(void)
{
    PyMem_SetAllocator(PYMEM_DOMAIN_RAW, &orig[0]);
    PyMem_SetAllocator(PYMEM_DOMAIN_MEM, &orig[1]);
    PyMem_SetAllocator(PYMEM_DOMAIN_OBJ, &orig[2]);
}

int
main(void)
{
    PyThreadState *main_ts, *sub;
    PyObject *ox, *oy, *o69, *exc_type;
    long before;

    Py_Initialize();
    install_failing_allocator();
    main_ts = PyThreadState_Get();
    {
        int i;
        for (i = 0; i < NKEYS; i++) {     /* registers k00..k69: 0..69 */
            CHECK(*slots[i]() == NULL);
        }
        CHECK_EQ_INT(Py_ONCEVAR_INDEX(k69), 69);
    }

    /* 1. A fresh sub-interpreter has no table yet; creating it fails. */
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    ox = counted_new(1);
    oy = counted_new(2);
    PyErr_SetString(PyExc_KeyError, "pending");
    before = failures;
    failing = 1;
    CHECK(Py_ONCEVAR(x) == NULL);           /* fallback, reads NULL */
    failing = 0;
    CHECK(failures > before);               /* allocation was attempted */
    CHECK(PyErr_ExceptionMatches(PyExc_KeyError));   /* preserved */
    PyErr_Clear();

    failing = 1;
    CHECK(Py_ONCEVAR(x) == NULL);
    CHECK(!PyErr_Occurred());               /* nothing raised */
    Py_ONCEVAR(x) = ox;                     /* the lazy init stores... */
    CHECK(Py_ONCEVAR(x) == ox);             /* ...and it is kept */
    CHECK(Py_ONCEVAR(y) == NULL);           /* other variables: own storage */
    CHECK(&Py_ONCEVAR(y) != &Py_ONCEVAR(x));
    CHECK(!PyErr_Occurred());
    failing = 0;

    /* 2. Memory is back: the table is created and the value moved in. */
    CHECK(Py_ONCEVAR(x) == ox);
    CHECK(Py_ONCEVAR(y) == NULL);
    Py_ONCEVAR(y) = oy;
    CHECK(!PyErr_Occurred());

    /* 3. Growing the table beyond the first chunk fails. */
    o69 = counted_new(69);
    failing = 1;
    CHECK(*slots[69]() == NULL);
    *slots[69]() = o69;
    CHECK(*slots[69]() == o69);             /* kept in the fallback */
    CHECK(Py_ONCEVAR(x) == ox);             /* first chunk unaffected */
    failing = 0;
    CHECK(*slots[69]() == o69);             /* moved into the new chunk */
    CHECK(!PyErr_Occurred());

    /* 4. The sub-interpreter's values are released at exit. */
    log_reset();
    Py_EndInterpreter(sub);
    LOG_EXPECT(2, 1, 69);   /* y (71), x (70), k69 (69) */

    /* 5. The main interpreter's table exists: first-chunk accesses need no
     * memory at all. */
    PyThreadState_Swap(main_ts);
    failing = 1;
    CHECK(Py_ONCEVAR(x) == NULL);
    CHECK(*slots[3]() == NULL);
    failing = 0;
    exc_type = PyErr_Occurred();
    CHECK(exc_type == NULL);

    uninstall_failing_allocator();
    CHECK(Py_FinalizeEx() == 0);
    test_passed("nomem");
    return 0;
}
