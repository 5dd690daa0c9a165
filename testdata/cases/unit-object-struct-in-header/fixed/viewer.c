/* The object structs live in a project header: a frame (PyObject_HEAD
 * first) and a scaled frame whose first member is a frame. */
#include <Python.h>
#include "oncevar.h"
#include "include/frame.h"

Py_ONCEVAR_DECLARE(FrameObject *, last_frame); /*~ OV102 last_frame */
Py_ONCEVAR_DECLARE(ScaledFrameObject *, zoomed); /*~ OV101 zoomed */
static struct raw_buffer *scratch = NULL; /*~ OV201 scratch */

static PyObject *
viewer_frame(PyObject *self, PyObject *args)
{
    if (Py_ONCEVAR(last_frame) == NULL) {
        Py_ONCEVAR(last_frame) = frame_alloc();
        if (Py_ONCEVAR(last_frame) == NULL) {
            return NULL;
        }
    }
    Py_INCREF(Py_ONCEVAR(last_frame));
    return (PyObject *)Py_ONCEVAR(last_frame);
}

static PyObject *
viewer_zoomed(PyObject *self, PyObject *args)
{
    if (!Py_ONCEVAR(zoomed)) {
        Py_ONCEVAR(zoomed) = scaled_frame_alloc(2.0);
    }
    if (scratch == NULL) {
        scratch = raw_buffer_new(64);
    }
    return (PyObject *)Py_ONCEVAR(zoomed);
}

static PyObject *
viewer_reset(PyObject *self, PyObject *args)
{
    Py_CLEAR(Py_ONCEVAR(last_frame));
    Py_RETURN_NONE;
}
