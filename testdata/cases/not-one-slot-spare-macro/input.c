/* Tests: a one-slot free list whose constructor takes the spare object
 * back through a macro of the file (the copy into the local and the
 * emptying of the static both sit in the macro's body) is state, not a
 * cache: no site. A cache detached and released through a macro of the
 * file is still a cache (OV102). */
#include <Python.h>

typedef struct { PyObject_HEAD double x, y; } PointObject;
static PyTypeObject Point_Type;

static PointObject *recycled = NULL;
#define REUSE(dst) do { (dst) = recycled; recycled = NULL; } while (0)

static PyObject *
point_new(double x, double y)
{
    PointObject *pt;
    if (recycled) {
        REUSE(pt);
        _Py_NewReference((PyObject *)pt);
    }
    else {
        pt = PyObject_New(PointObject, &Point_Type);
        if (!pt)
            return NULL;
    }
    pt->x = x;
    pt->y = y;
    return (PyObject *)pt;
}

static void
point_dealloc(PointObject *pt)
{
    if (recycled)
        PyObject_Del(pt);
    else
        recycled = pt;
}

static PyObject *origin_cache = NULL;   /*~ OV102 origin_cache */
#define DROP_ORIGIN() do { PyObject *old_ = origin_cache; origin_cache = NULL; Py_XDECREF(old_); } while (0)

static PyObject *
origin(PyObject *self, PyObject *unused)
{
    if (origin_cache == NULL) {
        origin_cache = point_new(0.0, 0.0);
        if (origin_cache == NULL)
            return NULL;
    }
    return Py_NewRef(origin_cache);
}

static int
module_clear(PyObject *module)
{
    Py_CLEAR(origin_cache);
    DROP_ORIGIN();
    return 0;
}
