/*
 * (6) The API surface compiles warning-free (-Wall -Wextra -Werror, -std=c99
 * and -std=gnu11) and keeps the meaning of the original static: file-scope
 * and block-scope declarations, several in one scope, the same name in two
 * functions, T = PyObject *, PyTypeObject *, const char *, struct foo *,
 * const struct foo *; reads, writes, &Py_ONCEVAR(x), Py_CLEAR, Py_XDECREF,
 * Py_SETREF, Py_ONCEVAR(t)->tp_name, init through the address, guards of
 * every shape; a declared but unused variable.
 */
#include "testutil.h"
#include "oncevar.h"

struct foo {
    int id;
    const char *name;
};

/* file scope, several in one scope */
Py_ONCEVAR_DECLARE(PyObject *, a);
Py_ONCEVAR_DECLARE(PyObject *, b);
Py_ONCEVAR_DECLARE(PyTypeObject *, heap_type);
Py_ONCEVAR_DECLARE_BORROWED(PyTypeObject *, static_type);
Py_ONCEVAR_DECLARE_BORROWED(const char *, label);
Py_ONCEVAR_DECLARE_RAW(struct foo *, foo, PyMem_RawFree);
Py_ONCEVAR_DECLARE_BORROWED(const struct foo *, cfoo);
Py_ONCEVAR_DECLARE(PyObject *, never_used);   /* must not warn */
#if PY_VERSION_HEX >= 0x03080000
Py_ONCEVAR_DECLARE(PyObject *, under_if);
#endif

static int
init_through_address(PyObject **slot)
{
    *slot = PyUnicode_FromString("via address");
    return *slot == NULL ? -1 : 0;
}

static int
file_scope_uses(void)
{
    PyObject **pa;
    const char **pl;
    PyObject *tmp;

    /* NULL guard, then use */
    if (Py_ONCEVAR(a) == NULL) {
        Py_ONCEVAR(a) = PyLong_FromLong(42);
        if (Py_ONCEVAR(a) == NULL) {
            return -1;
        }
    }
    CHECK(PyLong_AsLong(Py_ONCEVAR(a)) == 42);
    /* the lvalue has exactly the declared type */
    pa = &Py_ONCEVAR(a);
    CHECK(*pa == Py_ONCEVAR(a));
    CHECK(sizeof(Py_ONCEVAR(a)) == sizeof(PyObject *));
    /* Py_CLEAR / Py_XDECREF / Py_SETREF */
    Py_CLEAR(Py_ONCEVAR(a));
    CHECK(Py_ONCEVAR(a) == NULL);
    Py_XDECREF(Py_ONCEVAR(a));
    Py_ONCEVAR(a) = PyLong_FromLong(1);
    Py_SETREF(Py_ONCEVAR(a), PyLong_FromLong(2));
    CHECK(PyLong_AsLong(Py_ONCEVAR(a)) == 2);
    Py_XSETREF(Py_ONCEVAR(a), NULL);
    CHECK(!Py_ONCEVAR(a));
    /* assignment inside the guard, `!v && !(v = f())` shapes */
    if (!Py_ONCEVAR(b) && !(Py_ONCEVAR(b) = PyLong_FromLong(7))) {
        return -1;
    }
    if (Py_ONCEVAR(b) == NULL && (Py_ONCEVAR(b) = PyLong_FromLong(8)) == NULL) {
        return -1;
    }
    CHECK(PyLong_AsLong(Py_ONCEVAR(b)) == 7);
    tmp = Py_ONCEVAR(b) ? Py_ONCEVAR(b) : Py_None;
    CHECK(tmp == Py_ONCEVAR(b));
    /* init through the address */
    if (Py_ONCEVAR(under_if) == NULL && init_through_address(&Py_ONCEVAR(under_if)) < 0) {
        return -1;
    }
    CHECK(PyUnicode_Check(Py_ONCEVAR(under_if)));
    /* guard through a pointer to the static */
    {
        PyObject **slot = &Py_ONCEVAR(under_if);
        if (!*slot) {
            return -1;
        }
    }
    /* type objects: ->tp_name */
    Py_ONCEVAR(static_type) = &PyList_Type;
    CHECK(strcmp(Py_ONCEVAR(static_type)->tp_name, "list") == 0);
    if (Py_ONCEVAR(heap_type) == NULL) {
        Py_ONCEVAR(heap_type) = (PyTypeObject *)PyType_FromSpec(&counted_spec);
        CHECK(Py_ONCEVAR(heap_type) != NULL);
    }
    CHECK(strstr(Py_ONCEVAR(heap_type)->tp_name, "Counted") != NULL);
    /* const char *: the pointee is const, the slot is assignable */
    if (Py_ONCEVAR(label) == NULL) {
        Py_ONCEVAR(label) = "hello";
    }
    pl = &Py_ONCEVAR(label);
    CHECK(strcmp(*pl, "hello") == 0);
    CHECK(Py_ONCEVAR(label)[0] == 'h');
    /* struct pointers, raw memory */
    if (Py_ONCEVAR(foo) == NULL) {
        Py_ONCEVAR(foo) = (struct foo *)PyMem_RawMalloc(sizeof(struct foo));
        CHECK(Py_ONCEVAR(foo) != NULL);
        Py_ONCEVAR(foo)->id = 5;
        Py_ONCEVAR(foo)->name = "five";
    }
    Py_ONCEVAR(cfoo) = Py_ONCEVAR(foo);
    CHECK(Py_ONCEVAR(cfoo)->id == 5);
    CHECK(strcmp(Py_ONCEVAR(cfoo)->name, "five") == 0);
    return 0;
}

/* block scope, several in one scope, nested blocks */
static PyObject *
cached_tuple(void)
{
    Py_ONCEVAR_DECLARE(PyObject *, cache);
    Py_ONCEVAR_DECLARE(PyObject *, other);
    if (Py_ONCEVAR(cache) == NULL) {
        Py_ONCEVAR_DECLARE_BORROWED(const char *, inner);
        if (Py_ONCEVAR(inner) == NULL) {
            Py_ONCEVAR(inner) = "inner";
        }
        Py_ONCEVAR(other) = PyUnicode_FromString(Py_ONCEVAR(inner));
        Py_ONCEVAR(cache) = PyTuple_Pack(1, Py_ONCEVAR(other));
    }
    return Py_ONCEVAR(cache);
}

/* the same name in another function is another variable */
static PyObject *
cached_int(void)
{
    Py_ONCEVAR_DECLARE(PyObject *, cache);
    if (Py_ONCEVAR(cache) != NULL) {
        return Py_ONCEVAR(cache);
    }
    Py_ONCEVAR(cache) = PyList_New(0);
    return Py_ONCEVAR(cache);
}

/* block scope inside a static inline function */
static inline PyObject *
cached_in_inline(void)
{
    Py_ONCEVAR_DECLARE(PyObject *, c);
    return Py_ONCEVAR(c) ? Py_ONCEVAR(c) : (Py_ONCEVAR(c) = PyFloat_FromDouble(1.5));
}

int
main(void)
{
    PyThreadState *main_ts, *sub;
    PyObject *t1, *i1;

    Py_Initialize();
    main_ts = PyThreadState_Get();
    CHECK(file_scope_uses() == 0);
    t1 = cached_tuple();
    i1 = cached_int();
    CHECK(t1 != NULL && PyTuple_Check(t1));
    CHECK(i1 != NULL && PyList_Check(i1));
    CHECK(cached_tuple() == t1);
    CHECK(cached_int() == i1);
    CHECK(PyFloat_AsDouble(cached_in_inline()) == 1.5);
    CHECK(cached_in_inline() == cached_in_inline());

    sub = Py_NewInterpreter();
    CHECK(sub != NULL);
    CHECK(file_scope_uses() == 0);
    CHECK(cached_tuple() != t1);
    CHECK(cached_int() != i1);
    Py_EndInterpreter(sub);
    PyThreadState_Swap(main_ts);
    CHECK(cached_tuple() == t1);

    CHECK(Py_FinalizeEx() == 0);
    test_passed("api");
    return 0;
}
