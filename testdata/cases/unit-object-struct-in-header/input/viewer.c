/* The object structs live in a project header: a frame (PyObject_HEAD
 * first) and a scaled frame whose first member is a frame. */
#include <Python.h>
#include "include/frame.h"

static FrameObject *last_frame = NULL; /*~ OV102 last_frame */
static ScaledFrameObject *zoomed; /*~ OV101 zoomed */
static struct raw_buffer *scratch = NULL; /*~ OV201 scratch */

static PyObject *
viewer_frame(PyObject *self, PyObject *args)
{
    if (last_frame == NULL) {
        last_frame = frame_alloc();
        if (last_frame == NULL) {
            return NULL;
        }
    }
    Py_INCREF(last_frame);
    return (PyObject *)last_frame;
}

static PyObject *
viewer_zoomed(PyObject *self, PyObject *args)
{
    if (!zoomed) {
        zoomed = scaled_frame_alloc(2.0);
    }
    if (scratch == NULL) {
        scratch = raw_buffer_new(64);
    }
    return (PyObject *)zoomed;
}

static PyObject *
viewer_reset(PyObject *self, PyObject *args)
{
    Py_CLEAR(last_frame);
    Py_RETURN_NONE;
}
