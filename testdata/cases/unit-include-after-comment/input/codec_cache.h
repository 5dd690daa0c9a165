/* Included by codec.c, after a comment on the directive's line. */
static PyObject *codec_registry = NULL; /*~ OV101 codec_registry */
