/* A table of statics' addresses in a header, filled by a helper of the
 * .c through a macro. */
#ifndef NAMES_H
#define NAMES_H

static PyObject *s_sep, *s_end;

typedef struct { PyObject **slot; const char *text; } name_entry;

static name_entry tail_names[] = {
    {&(s_sep), ","},
    {&s_end, ";"},
    {NULL, NULL},
};

#endif
