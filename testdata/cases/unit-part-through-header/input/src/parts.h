/* The unity parts, included by a header rather than by the .c. */
#ifndef PARTS_H
#define PARTS_H
#include "impl/encode.inl"
#include "impl/decode.c.in"
#endif
