/* The project's own head macros: one through another, one per build. */
#ifndef HEADS_H
#define HEADS_H
#include <Python.h>

#define BASE_HEAD PyObject_HEAD
#define LEAF_HEAD BASE_HEAD double weight;
#define NODE_HEAD \
    PyObject_HEAD \
    struct node_s *parent;

#ifdef TOKEN_DEBUG
#  define TOKEN_HEAD PyObject_HEAD unsigned magic;
#else
#  define TOKEN_HEAD PyObject_HEAD
#endif

typedef struct node_s {
    NODE_HEAD
    int kind;
} NodeObject;

#endif
