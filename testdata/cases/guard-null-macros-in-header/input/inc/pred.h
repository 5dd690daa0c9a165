#ifndef PRED_H
#define PRED_H
/* Predicate macros two levels deep, and a typed NULL. */
#define IS_NULL(o) (!(o))
#define MISSING(o) IS_NULL(o)
#define NOTHING ((void *)0)
#endif
