/* The module state kept in a static, and a pointer to it that every
 * function of the unit uses, declared in the project's header. */
typedef struct {
    PyObject *error;
    PyObject *cache;
    long calls;
} module_state;

static module_state header_state; /*~ OV404 header_state */
static module_state *const header_st = &header_state;
