/*
 * (5) Borrowed (non-owning) variables are not decref'd at exit; raw
 * variables are released with their free function; both take part in the
 * reverse registration order together with owning variables.
 */
#include "testutil.h"
#include "oncevar.h"

struct point {
    int id;
    double x, y;
};

static void
counting_free(void *p)
{
    int id;
    memcpy(&id, p, sizeof(id));   /* both raw types start with an int id */
    if (dealloc_count < DEALLOC_LOG_MAX) {
        dealloc_log[dealloc_count] = 10000 + id;
    }
    dealloc_count++;
    PyMem_RawFree(p);
}

/* Registration order (first access below): owner, borrowed, type_ref,
 * buffer, point, pymem. */
Py_ONCEVAR_DECLARE(PyObject *, owner);
Py_ONCEVAR_DECLARE_BORROWED(PyObject *, borrowed);
Py_ONCEVAR_DECLARE_BORROWED(PyTypeObject *, type_ref);
Py_ONCEVAR_DECLARE_RAW(char *, buffer, counting_free);
Py_ONCEVAR_DECLARE_RAW(struct point *, point, counting_free);
Py_ONCEVAR_DECLARE_RAW(char *, pymem, PyMem_Free);

static char *
new_buffer(int id)
{
    char *b = (char *)PyMem_RawMalloc(64);
    CHECK(b != NULL);
    memcpy(b, &id, sizeof(id));
    return b;
}

static struct point *
new_point(int id)
{
    struct point *p = (struct point *)PyMem_RawMalloc(sizeof(*p));
    CHECK(p != NULL);
    p->id = id;
    p->x = p->y = 0.5;
    return p;
}

static void
fill(int base)
{
    Py_ssize_t refcnt;
    CHECK(Py_ONCEVAR(owner) == NULL);
    CHECK(Py_ONCEVAR(borrowed) == NULL);
    CHECK(Py_ONCEVAR(type_ref) == NULL);
    CHECK(Py_ONCEVAR(buffer) == NULL);
    CHECK(Py_ONCEVAR(point) == NULL);
    CHECK(Py_ONCEVAR(pymem) == NULL);
    Py_ONCEVAR(owner) = counted_new(base);
    refcnt = Py_REFCNT(Py_ONCEVAR(owner));
    Py_ONCEVAR(borrowed) = Py_ONCEVAR(owner);          /* no incref */
    Py_ONCEVAR(type_ref) = &PyLong_Type;               /* static type */
    Py_ONCEVAR(buffer) = new_buffer(base + 1);
    Py_ONCEVAR(point) = new_point(base + 2);
    Py_ONCEVAR(pymem) = (char *)PyMem_Malloc(16);
    CHECK(Py_ONCEVAR(pymem) != NULL);
    CHECK(Py_REFCNT(Py_ONCEVAR(owner)) == refcnt);
    CHECK(strcmp(Py_ONCEVAR(type_ref)->tp_name, "int") == 0);
    CHECK(Py_ONCEVAR(point)->x == 0.5);
}

int
main(void)
{
    PyThreadState *main_ts, *sub;

    Py_Initialize();
    main_ts = PyThreadState_Get();
    fill(100);

    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    fill(200);
    log_reset();
    Py_EndInterpreter(sub);
    /* Reverse registration order: pymem (not logged), point, buffer,
     * type_ref (dropped), borrowed (dropped: had it been decref'd, the
     * object would be freed here and counted twice, or crash), owner. */
    LOG_EXPECT(10000 + 202, 10000 + 201, 200);

    PyThreadState_Swap(main_ts);
    CHECK_EQ_INT(counted_id(Py_ONCEVAR(owner)), 100);
    CHECK(Py_ONCEVAR(borrowed) == Py_ONCEVAR(owner));
    log_reset();
    CHECK(Py_FinalizeEx() == 0);
    LOG_EXPECT(10000 + 102, 10000 + 101, 100);
    test_passed("kinds");
    return 0;
}
