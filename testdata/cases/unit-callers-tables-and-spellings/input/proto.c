/* Declares proto_only and hidden_get (through ext.h) and never uses them,
 * and includes inl.h, whose static inline helper it never calls. */
#include "ext.h"
#include "inl.h"
int proto_unit = 1;
