/* What quit.c and other.c export to mod.c. */
#ifndef QUIT_H
#define QUIT_H
int reg_quit(void (*fn)(void));
extern void (*quit_slots[4])(void);
PyObject *fill_cache(void);
#endif
