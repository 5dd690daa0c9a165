#ifndef SHORTCUTS_H
#define SHORTCUTS_H
typedef struct { long k; PyObject *v; } entry_t;
extern entry_t *current_entry;
#define value (current_entry->v)
#define slot(i) (current_entry[(i)])
#endif
