/*
 * (2) Every cached object is released at Py_EndInterpreter and at
 * Py_FinalizeEx, in reverse registration order (whatever order the values
 * were set in), including slots beyond the first chunk of 64, and values
 * set again by a release while the interpreter's slots are being released.
 */
#include "testutil.h"
#include "oncevar.h"

#define NKEYS 80

#define DECL(n) Py_ONCEVAR_DECLARE(PyObject *, k##n);                      \
    static PyObject **slot_k##n(void) { return &Py_ONCEVAR(k##n); }        \
    static Py_ssize_t index_k##n(void) { return Py_ONCEVAR_INDEX(k##n); }
#define DECL10(p) DECL(p##0) DECL(p##1) DECL(p##2) DECL(p##3) DECL(p##4)    \
    DECL(p##5) DECL(p##6) DECL(p##7) DECL(p##8) DECL(p##9)
DECL10(0) DECL10(1) DECL10(2) DECL10(3) DECL10(4) DECL10(5) DECL10(6)
DECL10(7)

#define REF(n) slot_k##n,
#define REF10(p) REF(p##0) REF(p##1) REF(p##2) REF(p##3) REF(p##4)          \
    REF(p##5) REF(p##6) REF(p##7) REF(p##8) REF(p##9)
static PyObject **(*slots[NKEYS])(void) = {
    REF10(0) REF10(1) REF10(2) REF10(3) REF10(4) REF10(5) REF10(6) REF10(7)
};
#define IREF(n) index_k##n,
#define IREF10(p) IREF(p##0) IREF(p##1) IREF(p##2) IREF(p##3) IREF(p##4)    \
    IREF(p##5) IREF(p##6) IREF(p##7) IREF(p##8) IREF(p##9)
static Py_ssize_t (*indexes[NKEYS])(void) = {
    IREF10(0) IREF10(1) IREF10(2) IREF10(3) IREF10(4) IREF10(5) IREF10(6)
    IREF10(7)
};

Py_ONCEVAR_DECLARE(PyObject *, reent_a);
Py_ONCEVAR_DECLARE(PyObject *, reent_c);

static int hook_runs;

/* Runs while reent_a's value is being released: lazily initialises a
 * variable whose slot this release pass has already visited. */
static void
reinit_hook(int id)
{
    (void)id;
    hook_runs++;
    CHECK(Py_ONCEVAR(reent_c) == NULL);
    Py_ONCEVAR(reent_c) = counted_new(501);
}

int
main(void)
{
    PyThreadState *main_ts, *sub;
    int i, expected[NKEYS + 2], n;

    Py_Initialize();
    main_ts = PyThreadState_Get();

    /* Register k00..k79 in order: indexes 0..79. */
    for (i = 0; i < NKEYS; i++) {
        CHECK_EQ_INT(indexes[i](), i);
    }
    CHECK_EQ_INT(Py_ONCEVAR_INDEX(reent_a), NKEYS);

    for (i = 0; i < NKEYS; i++) {
        PyObject **slot = slots[i]();
        CHECK(*slot == NULL);
        *slot = counted_new(i);
    }
    for (i = 0; i < NKEYS; i++) {
        CHECK_EQ_INT(counted_id(*slots[i]()), i);
    }

    /* A sub-interpreter sets its values in a scrambled order. */
    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    for (i = 0; i < NKEYS; i++) {
        int k = (i * 37) % NKEYS;   /* 37 is prime to 80: a permutation */
        PyObject **slot = slots[k]();
        CHECK(*slot == NULL);
        *slot = counted_new(1000 + k);
    }
    Py_ONCEVAR(reent_a) = counted_new_hook(500, reinit_hook);
    /* Slot addresses are stable: taking one, then touching other slots
     * (including growing the table), keeps it valid. */
    {
        PyObject **p = &Py_ONCEVAR(k05);
        PyObject *keep = *p;
        for (i = NKEYS - 1; i >= 0; i--) {
            (void)*slots[i]();
        }
        CHECK(p == &Py_ONCEVAR(k05));
        CHECK(*p == keep);
    }

    log_reset();
    Py_EndInterpreter(sub);
    CHECK_EQ_INT(hook_runs, 1);
    /* Pass 1: reent_a (index 80), then k79..k00; reent_c was registered and
     * set during pass 1 (index 81, a new chunk): released by pass 2. */
    n = 0;
    expected[n++] = 500;
    for (i = NKEYS - 1; i >= 0; i--) {
        expected[n++] = 1000 + i;
    }
    expected[n++] = 501;
    log_expect_at(__FILE__, __LINE__, expected, n);
    CHECK_EQ_INT(Py_ONCEVAR_INDEX(reent_c), NKEYS + 1);

    /* The main interpreter's values are untouched... */
    PyThreadState_Swap(main_ts);
    for (i = 0; i < NKEYS; i++) {
        CHECK_EQ_INT(counted_id(*slots[i]()), i);
    }
    CHECK(Py_ONCEVAR(reent_a) == NULL);
    CHECK(Py_ONCEVAR(reent_c) == NULL);
    Py_ONCEVAR(reent_c) = counted_new(600);

    /* ...and released by Py_FinalizeEx, in reverse registration order. */
    log_reset();
    CHECK(Py_FinalizeEx() == 0);
    n = 0;
    expected[n++] = 600;
    for (i = NKEYS - 1; i >= 0; i--) {
        expected[n++] = i;
    }
    log_expect_at(__FILE__, __LINE__, expected, n);
    test_passed("release");
    return 0;
}
