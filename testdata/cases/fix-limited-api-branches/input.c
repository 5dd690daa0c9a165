/* Tests: the runtime header refuses the limited API (`#error` under
 * Py_LIMITED_API), so a fix that edits a line that only a build defining
 * it compiles cannot compile where that line does: unsafe, naming the
 * directive (before session 14: safe, noted as a branch oncevar could not
 * decide). Spellings: `#ifdef Py_LIMITED_API`, `#if defined(Py_LIMITED_API)
 * && Py_LIMITED_API+0 >= 0x030a0000`, the `#else` of `#ifndef
 * Py_LIMITED_API`, and a static declared outside whose lazy use is in
 * such a branch. A site that builds without the limited API compile
 * (`#ifndef Py_LIMITED_API`'s own branch, `#if !defined(Py_LIMITED_API) ||
 * defined(WANT_ALL)`) is fixed, with a note that the file is also
 * written for the limited API, where the header stops the build. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#ifdef Py_LIMITED_API
static PyObject *abi3_name = NULL;      /*~ OV101 abi3_name */

static PyObject *
get_abi3_name(PyObject *self, PyObject *args)
{
    if (abi3_name == NULL) {
        abi3_name = PyUnicode_FromString("abi3");
        if (abi3_name == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(abi3_name);
}
#endif

#if defined(Py_LIMITED_API) && Py_LIMITED_API+0 >= 0x030a0000
static PyObject *abi3_310 = NULL;       /*~ OV101 abi3_310 */

static PyObject *
get_abi3_310(PyObject *self, PyObject *args)
{
    if (abi3_310 == NULL) {
        abi3_310 = PyUnicode_FromString("3.10");
        if (abi3_310 == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(abi3_310);
}
#endif

#ifndef Py_LIMITED_API
static PyObject *fast = NULL;           /*~ OV101 fast */

static PyObject *
get_fast(PyObject *self, PyObject *args)
{
    if (fast == NULL) {
        fast = PyUnicode_FromString("fast");
        if (fast == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(fast);
}
#else
static PyObject *slow = NULL;           /*~ OV101 slow */

static PyObject *
get_slow(PyObject *self, PyObject *args)
{
    if (slow == NULL) {
        slow = PyUnicode_FromString("slow");
        if (slow == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(slow);
}
#endif

static PyObject *shared = NULL;         /*~ OV101 shared */

static PyObject *
get_shared(PyObject *self, PyObject *args)
{
#ifdef Py_LIMITED_API
    if (shared == NULL) {
        shared = PyUnicode_FromString("shared");
        if (shared == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(shared);
#else
    return PyUnicode_FromString("shared");
#endif
}

#if !defined(Py_LIMITED_API) || defined(WANT_ALL)
static PyObject *either = NULL;         /*~ OV101 either */

static PyObject *
get_either(PyObject *self, PyObject *args)
{
    if (either == NULL) {
        either = PyUnicode_FromString("either");
        if (either == NULL) {
            return NULL;
        }
    }
    return Py_NewRef(either);
}
#endif
