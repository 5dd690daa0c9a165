/* The project's init macros: the head through a macro of its own, the
 * definition's name pasted from the module's. */
#define MODINIT_HEAD(name) PyMODINIT_FUNC PyInit_##name(void)
#define DEFINE_MODULE_INIT(name) \
    MODINIT_HEAD(name) { return PyModuleDef_Init(&name##_def); }
