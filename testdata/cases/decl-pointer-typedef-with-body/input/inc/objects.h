/* Object structs typedef'd with a pointer name beside the plain one, in a
 * header of another folder: the pointer typedef's type is the specifier
 * with its body, named by its tag, or by the plain name when it has none. */
#ifndef OBJECTS_H
#define OBJECTS_H
#include <Python.h>

typedef struct CanvasObject {
    PyObject_HEAD
    void *pixels;
    Py_ssize_t w, h;
} CanvasObject, *CanvasPtr;

typedef struct {
    PyObject_HEAD
    int width;
} BrushObject, *BrushPtr;

typedef struct PenObject {
    PyObject_HEAD
    double size;
} *PenPtr;

/* Anonymous with only a pointer name: nothing to look the struct up by;
 * still a site (OV201, as before type names were looked up; an object
 * head read from the body would make it OV101). */
typedef struct {
    PyObject_HEAD
    int id;
} *AnonPtr;

/* Control: no object head, so process-wide memory (OV201). */
typedef struct Buffer {
    char *data;
    size_t size;
} Buffer, *BufferPtr;

CanvasPtr canvas_new(void);
BrushPtr brush_new(void);
PenPtr pen_new(void);
AnonPtr anon_new(void);
#endif
