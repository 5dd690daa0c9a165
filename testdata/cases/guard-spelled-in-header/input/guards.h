/* The guards of module.c, spelled as macros of this header. */
#define NEED_INIT (one == NULL)
#define READY (two != NULL)
