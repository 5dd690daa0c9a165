/* The project's API header: an object-like macro names the member
 * `registry` of a struct, as borrowed-member v11 does. */
#ifndef API_H
#define API_H

typedef struct { PyObject *registry; PyObject *table; } api_t;
extern api_t *the_api;
#define API_REGISTRY (the_api->registry)

#endif
