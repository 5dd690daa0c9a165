static PyObject *bom_cache = NULL; /*~ OV101 bom_cache */
/* Saved with a byte order mark right before the static: compilers skip
 * the mark, so this is a static, which bom.c sets lazily. */
