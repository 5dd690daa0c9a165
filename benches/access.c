/*
 * benches/access.c -- cost of reading a Py_ONCEVAR() variable compared with
 * reading a plain static, in an embedded CPython.  Built and run by
 * scripts/bench-runtime.sh (-O2, against libpython).
 *
 * Each iteration of both loops does the same work apart from the access:
 * the value is stored to a volatile sink, followed by a compiler memory
 * barrier, so the compiler can neither hoist the plain load out of the loop
 * nor drop it, and the oncevar access is redone every iteration too.  The
 * two variants run alternately, REPEATS times, and the medians are compared.
 * Besides the reads, three rows time a call alone in the oncevar column:
 * "getter" PyInterpreterState_Get(), "unchecked" the thread state's interp
 * field through the unchecked getter, "call" Py_IsInitialized() (a call
 * into CPython that does nothing): what any lookup through an exported
 * function costs; "identifier" _PyUnicode_FromId() of a _Py_IDENTIFIER,
 * CPython's own per-interpreter cache (3.10+) as an extension reaches it.
 *
 * Build modes (ONCEVAR_BENCH_PART):
 *   0 (default)  one executable (the accesses are in the executable)
 *   1            only the loops, to be built with -fPIC -shared, as an
 *                extension module would be (thread-local storage in a shared
 *                object is reached through __tls_get_addr)
 *   2            only the driver (main), linked against the part-1 library
 *   3            an extension module, `oncevar_bench`, with the loops and
 *                the driver (`oncevar_bench.run(ACCESSES, REPEATS, LABEL)`),
 *                loaded by the python executable itself: what an extension
 *                module's accesses cost where they run (Debian's and
 *                pyenv's default python link libpython into the
 *                executable, where CPython reads its thread state without
 *                __tls_get_addr)
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef ONCEVAR_BENCH_PART
#  define ONCEVAR_BENCH_PART 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#  define BENCH_NOINLINE __attribute__((noinline))
#  define BENCH_BARRIER() __asm__ __volatile__("" ::: "memory")
#  define BENCH_EXPORT __attribute__((visibility("default")))
#else
#  error "benches/access.c needs GCC or Clang"
#endif

typedef struct {
    const char *name;
    void (*plain)(long n);
    void (*oncevar)(long n);
} bench_case;

#if ONCEVAR_BENCH_PART != 2
#include "oncevar.h"

static PyObject *plain_cache = NULL;
Py_ONCEVAR_DECLARE(PyObject *, oncevar_cache);
static PyObject *volatile sink;

static PyObject *
make_value(void)
{
    return PyUnicode_FromString("cached value");
}

/* A single read per iteration. */
BENCH_NOINLINE static void
read_plain(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        sink = plain_cache;
        BENCH_BARRIER();
    }
}

BENCH_NOINLINE static void
read_oncevar(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        sink = Py_ONCEVAR(oncevar_cache);
        BENCH_BARRIER();
    }
}

/* The shape of rewritten code: lazy guard, then use (two accesses). */
BENCH_NOINLINE static void
guard_plain(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        if (plain_cache == NULL) {
            plain_cache = make_value();
        }
        sink = plain_cache;
        BENCH_BARRIER();
    }
}

BENCH_NOINLINE static void
guard_oncevar(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        if (Py_ONCEVAR(oncevar_cache) == NULL) {
            Py_ONCEVAR(oncevar_cache) = make_value();
        }
        sink = Py_ONCEVAR(oncevar_cache);
        BENCH_BARRIER();
    }
}

/* The guard as most code writes it, with the fill's NULL check: a branch
 * inside the fill.  GCC 12 then no longer copies the final read into the
 * fill's path, and the getter call it shares with the guard on the hot path
 * in "guard+read" is made a second time. */
#define BENCH_GUARD_CHECKED(func, V)                                        \
    BENCH_NOINLINE static void                                              \
    func(long n)                                                            \
    {                                                                       \
        long i;                                                             \
        for (i = 0; i < n; i++) {                                           \
            if ((V) == NULL) {                                              \
                PyObject *value = make_value();                             \
                if (value == NULL) {                                        \
                    return;                                                 \
                }                                                           \
                (V) = value;                                                \
            }                                                               \
            sink = (V);                                                     \
            BENCH_BARRIER();                                                \
        }                                                                   \
    }

BENCH_GUARD_CHECKED(check_plain, plain_cache)
BENCH_GUARD_CHECKED(check_oncevar, Py_ONCEVAR(oncevar_cache))

/* The shape `oncevar check --fix` writes for a module that may run without
 * the GIL (claim-gil-not-used-slot's fixed text): the guard and the final
 * read are Py_ONCEVAR_GET (an acquire load on the free-threaded build, a
 * plain read with a GIL), the fill Py_ONCEVAR_SET (a compare-and-swap, never
 * reached once the slot holds a value).  Against the plain guard with its
 * NULL check, the shape it replaces. */
BENCH_NOINLINE static void
getset_oncevar(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        if (Py_ONCEVAR_GET(oncevar_cache) == NULL) {
            if (Py_ONCEVAR_SET(oncevar_cache, make_value()) == NULL) {
                return;
            }
        }
        sink = Py_ONCEVAR_GET(oncevar_cache);
        BENCH_BARRIER();
    }
}

/* The floor of any per-interpreter lookup through the public C API: the
 * call that names the calling thread's interpreter, alone, as the header
 * makes it (PyInterpreterState_Get(), PyThreadState_Get()->interp on 3.8). */
BENCH_NOINLINE static void
getter_only(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        sink = (PyObject *)_Py_OnceVar_CurrentInterp();
        BENCH_BARRIER();
    }
}

/* The other ways to name the interpreter through exported functions: the
 * thread state without the NULL check (public as
 * PyThreadState_GetUnchecked() since 3.13, exported as
 * _PyThreadState_UncheckedGet() before), then its public `interp` field. */
BENCH_NOINLINE static void
unchecked_only(long n)
{
    long i;
    for (i = 0; i < n; i++) {
#if PY_VERSION_HEX >= 0x030D0000
        sink = (PyObject *)PyThreadState_GetUnchecked()->interp;
#else
        sink = (PyObject *)_PyThreadState_UncheckedGet()->interp;
#endif
        BENCH_BARRIER();
    }
}

/* The floor of any call into CPython from this object: an exported
 * function that only returns a global (no thread state, no check). */
BENCH_NOINLINE static void
call_only(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        sink = (PyObject *)(Py_ssize_t)Py_IsInitialized();
        BENCH_BARRIER();
    }
}

/* CPython's own per-interpreter cache, as an extension reaches it: an
 * identifier's string, kept per interpreter since 3.10 (an array in the
 * interpreter indexed by the identifier's index), through the exported
 * _PyUnicode_FromId() (deprecated in 3.15, still exported: measured all
 * the same). */
_Py_IDENTIFIER(oncevar_bench_identifier);

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
BENCH_NOINLINE static void
identifier_only(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        sink = _PyUnicode_FromId(&PyId_oncevar_bench_identifier);
        BENCH_BARRIER();
    }
}
#pragma GCC diagnostic pop

/* The floor of a per-thread cache: one load of a thread-local that this
 * object owns (in a shared object, as an extension module is, reached
 * through __tls_get_addr with the default TLS dialect).  Validating such a
 * cache needs the current thread state on top. */
static __thread PyObject *bench_thread_local;

BENCH_NOINLINE static void
tls_only(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        sink = bench_thread_local;
        BENCH_BARRIER();
    }
}

/* The same in a function entered for each access, as an extension's
 * function is for each Python call: in the loop above the compiler computes
 * the thread-local's address once (in a shared object, one __tls_get_addr
 * call) and only the load is left; here every access pays it, against a
 * plain static read in the same kind of function. */
BENCH_NOINLINE static PyObject *
plain_in_call(void)
{
    BENCH_BARRIER();
    return plain_cache;
}

BENCH_NOINLINE static PyObject *
tls_in_call(void)
{
    BENCH_BARRIER();
    return bench_thread_local;
}

BENCH_NOINLINE static void
plain_per_call(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        sink = plain_in_call();
        BENCH_BARRIER();
    }
}

BENCH_NOINLINE static void
tls_per_call(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        sink = tls_in_call();
        BENCH_BARRIER();
    }
}

#if defined(BENCH_RT_HEAD_OFF)
/* A candidate not taken (runtime/README.md, "Cost"): CPython pushes every
 * new interpreter at the head of its list, so while the head is the main
 * interpreter the list holds no other, and a thread with an attached thread
 * state is in the main interpreter: the getter call can be skipped.  (Not
 * "the head's next is NULL": CPython stores the head and the new
 * interpreter's next with plain stores that may be seen in either order.)
 * The head is read through the exported _PyRuntime at an offset of
 * CPython's internal layout (benches/runtime_offsets.c) with a plain load
 * that races with CPython's stores under its HEAD_LOCK: measured here,
 * never used by oncevar.h. */
extern char _PyRuntime[];
static PyInterpreterState *solo_main;

static inline PyInterpreterState *
solo_interp(void)
{
    PyInterpreterState *head = *(PyInterpreterState *const volatile *)(
        _PyRuntime + BENCH_RT_HEAD_OFF);
    if (head == solo_main) {
        return head;
    }
    return _Py_OnceVar_CurrentInterp();
}

BENCH_NOINLINE static void
solo_only(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        sink = (PyObject *)solo_interp();
        BENCH_BARRIER();
    }
}

BENCH_NOINLINE static void
read_solo(long n)
{
    long i;
    for (i = 0; i < n; i++) {
        /* The header's hot path, with the solo check in place of the
         * getter call. */
        sink = *(PyObject **)_Py_OnceVar_SlotOf(
            (void *)solo_interp(), &_Py_oncevar_k_oncevar_cache,
            (void *)&_Py_oncevar_v_oncevar_cache, &_Py_oncevar_g_oncevar_cache);
        BENCH_BARRIER();
    }
}
#endif

static const bench_case bench_cases[] = {
    {"tls", read_plain, tls_only},
    {"tls, call", plain_per_call, tls_per_call},
#if defined(BENCH_RT_HEAD_OFF)
    {"solo", read_plain, solo_only},
    {"read, solo", read_plain, read_solo},
#endif
    {"call", read_plain, call_only},
    {"identifier", read_plain, identifier_only},
    {"unchecked", read_plain, unchecked_only},
    {"getter", read_plain, getter_only},
    {"read", read_plain, read_oncevar},
    {"guard+read", guard_plain, guard_oncevar},
    {"guard+check", check_plain, check_oncevar},
    {"get/set", check_plain, getset_oncevar},
};

BENCH_EXPORT const bench_case *
oncevar_bench_cases(int *count)
{
    *count = (int)(sizeof(bench_cases) / sizeof(bench_cases[0]));
    return bench_cases;
}

BENCH_EXPORT int
oncevar_bench_setup(void)
{
    plain_cache = make_value();
    Py_ONCEVAR(oncevar_cache) = make_value();
#if defined(BENCH_RT_HEAD_OFF)
    solo_main = PyInterpreterState_Main();
#endif
    if (plain_cache == NULL || Py_ONCEVAR(oncevar_cache) == NULL) {
        return -1;
    }
    return 0;
}

BENCH_EXPORT void
oncevar_bench_teardown(void)
{
    Py_CLEAR(plain_cache);
    /* The oncevar slot is released by Py_FinalizeEx. */
}
#else
extern const bench_case *oncevar_bench_cases(int *count);
extern int oncevar_bench_setup(void);
extern void oncevar_bench_teardown(void);
#endif /* ONCEVAR_BENCH_PART != 2 */

#if ONCEVAR_BENCH_PART != 1
/* The calling thread's CPU time: on a machine shared with other work, the
 * time the thread waited for a CPU is not counted (wall time was up to
 * ten times the CPU time on a loaded 2-CPU machine). */
static double
now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

#define MAX_REPEATS 101

/* Runs every case (n accesses, `repeats` alternating runs) and prints the
 * medians, in ns per iteration. */
static void
bench_report(long n, int repeats, const char *label)
{
    int ncases, c, r;
    const bench_case *cases = oncevar_bench_cases(&ncases);

    printf("# oncevar access benchmark: CPython %s, %s\n",
           PY_VERSION, label);
    printf("# %ld iterations per run, %d alternating runs per variant, "
           "median ns per iteration\n", n, repeats);
    printf("%-12s %-24s %10s %10s %10s %8s\n",
           "case", "build", "plain_ns", "oncevar_ns", "diff_ns", "ratio");
    for (c = 0; c < ncases; c++) {
        double tp[MAX_REPEATS], to[MAX_REPEATS], t0, mp, mo;
        /* warm-up */
        cases[c].plain(n / 10);
        cases[c].oncevar(n / 10);
        for (r = 0; r < repeats; r++) {
            t0 = now_ns();
            cases[c].plain(n);
            tp[r] = (now_ns() - t0) / (double)n;
            t0 = now_ns();
            cases[c].oncevar(n);
            to[r] = (now_ns() - t0) / (double)n;
        }
        mp = median(tp, repeats);
        mo = median(to, repeats);
        printf("%-12s %-24s %10.3f %10.3f %+10.3f %7.2fx\n",
               cases[c].name, label, mp, mo, mo - mp, mo / mp);
    }
    fflush(stdout);
}
#endif /* ONCEVAR_BENCH_PART != 1 */

#if ONCEVAR_BENCH_PART == 3
static PyObject *
bench_run(PyObject *module, PyObject *args)
{
    long n;
    int repeats;
    const char *label;
    (void)module;
    if (!PyArg_ParseTuple(args, "lis", &n, &repeats, &label)) {
        return NULL;
    }
    if (n <= 0 || repeats < 1 || repeats > MAX_REPEATS) {
        PyErr_Format(PyExc_ValueError, "ACCESSES > 0, REPEATS in 1..%d",
                     MAX_REPEATS);
        return NULL;
    }
    if (oncevar_bench_setup() < 0) {
        return NULL;
    }
    bench_report(n, repeats, label);
    oncevar_bench_teardown();
    Py_RETURN_NONE;
}

static PyMethodDef bench_methods[] = {
    {"run", bench_run, METH_VARARGS, "run(ACCESSES, REPEATS, LABEL)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef bench_module = {
    PyModuleDef_HEAD_INIT, "oncevar_bench", NULL, -1, bench_methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit_oncevar_bench(void)
{
    return PyModule_Create(&bench_module);
}
#elif ONCEVAR_BENCH_PART != 1
int
main(int argc, char **argv)
{
    long n = 50L * 1000 * 1000;
    int repeats = 9;
    const char *label = ONCEVAR_BENCH_PART == 2 ? "shared library, -fPIC"
                                                : "executable";

    if (argc > 1) {
        n = atol(argv[1]);
    }
    if (argc > 2) {
        repeats = atoi(argv[2]);
    }
    if (argc > 3) {
        label = argv[3];
    }
    if (n <= 0 || repeats < 1 || repeats > MAX_REPEATS) {
        fprintf(stderr, "usage: %s [ACCESSES [REPEATS(1..%d) [LABEL]]]\n",
                argv[0], MAX_REPEATS);
        return 2;
    }

    Py_Initialize();
    if (oncevar_bench_setup() < 0) {
        PyErr_Print();
        return 1;
    }
    bench_report(n, repeats, label);
    oncevar_bench_teardown();
    if (Py_FinalizeEx() < 0) {
        return 1;
    }
    return 0;
}
#endif
