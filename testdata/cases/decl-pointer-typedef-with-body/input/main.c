/* Tests: a static declared with a pointer typedef written beside its
 * struct's body (`} CanvasObject, *CanvasPtr;`, an anonymous struct's
 * `} BrushObject, *BrushPtr;`, a tagged one with only the pointer name)
 * is an object pointer (OV101); breaker round 6's header-object-type v21
 * was OV201 "caches process-wide memory": the typedef's type was the
 * whole specifier's text, which names no object struct. Control: the same
 * layout without PyObject_HEAD stays OV201. */
#include <stdlib.h>
#include "inc/objects.h"

static CanvasPtr screen;                        /*~ OV101 screen */
static BrushPtr brush;                          /*~ OV101 brush */
static PenPtr pen;                              /*~ OV101 pen */
static BufferPtr scratch;                       /*~ OV201 scratch */
static AnonPtr anon;                            /*~ OV201 anon */

static PyObject *
get_all(PyObject *self, PyObject *unused)
{
    if (screen == NULL) {
        screen = canvas_new();
        if (screen == NULL)
            return NULL;
    }
    if (brush == NULL) {
        brush = brush_new();
        if (brush == NULL)
            return NULL;
    }
    if (pen == NULL) {
        pen = pen_new();
        if (pen == NULL)
            return NULL;
    }
    if (anon == NULL) {
        anon = anon_new();
        if (anon == NULL)
            return NULL;
    }
    if (scratch == NULL) {
        scratch = malloc(sizeof(Buffer));
        if (scratch == NULL)
            return PyErr_NoMemory();
    }
    return PyTuple_Pack(3, (PyObject *)screen, (PyObject *)brush, (PyObject *)pen);
}

static PyMethodDef methods[] = {
    {"get_all", get_all, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "objects", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_objects(void)
{
    return PyModuleDef_Init(&def);
}
