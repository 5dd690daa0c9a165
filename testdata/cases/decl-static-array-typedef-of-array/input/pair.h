/* Array types made of obj.h's typedef, in another header: the unit keeps
 * obj.h, which decides what they hold. */
#ifndef PAIR_H
#define PAIR_H
#include "obj.h"
typedef obj_t pair_t[2];
typedef pair_t grid_t[3];
typedef pair_t pair_alias_t;
#endif
