/* Tests: ownership follows a macro that renames a function to the
 * function it names, in the file and in its headers: an object-like alias
 * (`#define PyInt_FromLong PyLong_FromLong`, a header's
 * Bytes_FromStringH), a chain of two aliases, an alias of the header's
 * function-like Text_FromUTF8, and a borrowed one (Dict_GetItemH: the slot
 * takes its own reference). A macro that pastes its argument into the
 * call's argument (`name_##n`) still names its callee. An alias defined in
 * two #if branches whose functions agree (PyList_New, PyTuple_New: new) is
 * each of them. Unsafe: an alias of a function known nowhere, and an alias
 * defined in two #if branches whose functions disagree (a borrowed and a
 * new reference). */
#include <Python.h>
#include "compat.h"

#define PyInt_FromLong PyLong_FromLong
#define Tuple_New1 PyTuple_New
#define Tuple_New Tuple_New1
#define Str_New Text_FromUTF8
#define GET_NAMED(m, n) PyObject_GetAttrString((m), name_##n)
#define Make_Thing project_make_thing
#ifdef USE_LIST
#define Seq_New PyList_New
#else
#define Seq_New PyTuple_New
#endif
#ifdef USE_BORROWED
#define Item_Get PyList_GetItem
#else
#define Item_Get PySequence_GetItem
#endif

PyObject *project_make_thing(void);
static const char name_path[] = "path";

static PyObject *
cached(PyObject *self, PyObject *args)
{
    static PyObject *one;        /*~ OV101 one */
    static PyObject *empty_b;    /*~ OV101 empty_b */
    static PyObject *pair;       /*~ OV101 pair */
    static PyObject *greeting;   /*~ OV101 greeting */
    static PyObject *modules;    /*~ OV101 modules */
    static PyObject *path;       /*~ OV101 path */
    static PyObject *thing;      /*~ OV101 thing */
    static PyObject *seq;        /*~ OV101 seq */
    static PyObject *item;       /*~ OV101 item */

    if (!one && !(one = PyInt_FromLong(1)))
        return NULL;
    if (!empty_b && !(empty_b = Bytes_FromStringH("")))
        return NULL;
    if (!pair && !(pair = Tuple_New(2)))
        return NULL;
    if (!greeting && !(greeting = Str_New("hello")))
        return NULL;
    if (!modules && !(modules = Dict_GetItemH(PyImport_GetModuleDict(), "sys")))
        return NULL;
    if (!path && !(path = GET_NAMED(self, path)))
        return NULL;
    if (!thing && !(thing = Make_Thing()))
        return NULL;
    if (!seq && !(seq = Seq_New(0)))
        return NULL;
    if (!item && !(item = Item_Get(seq, 0)))
        return NULL;
    return PyTuple_Pack(9, one, empty_b, pair, greeting, modules, path, thing, seq, item);
}
