#ifndef VIEWER_FRAME_H
#define VIEWER_FRAME_H

#include <Python.h>

typedef struct {
    PyObject_HEAD
    int width;
    int height;
} FrameObject;

/* A subtype: its first member is the base object. */
typedef struct {
    FrameObject base;
    double scale;
} ScaledFrameObject;

/* Plain memory, not an object. */
struct raw_buffer {
    size_t size;
    char *bytes;
};

FrameObject *frame_alloc(void);
ScaledFrameObject *scaled_frame_alloc(double scale);
struct raw_buffer *raw_buffer_new(size_t size);

#endif
