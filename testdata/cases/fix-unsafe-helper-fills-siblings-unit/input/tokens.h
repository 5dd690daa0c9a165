/* The module's tokens, filled together by fill_tokens(). */
#ifndef TOKENS_H
#define TOKENS_H
#include <Python.h>

static PyObject *tok_open = NULL, *tok_close = NULL;  /*~ OV101 tok_open */

static inline int
ensure_tokens(void)
{
    extern int fill_tokens(void);
    if (tok_open == NULL && fill_tokens() < 0)
        return -1;
    return 0;
}

#endif
