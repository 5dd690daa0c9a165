/* The public name of the session object, declared before its struct. */
#include <Python.h>
typedef struct session_s SessionObject;
typedef SessionObject SessionRef;
SessionObject *session_open(void);
