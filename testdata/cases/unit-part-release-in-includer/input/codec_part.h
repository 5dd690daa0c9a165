/* Part of codec.c, included once (no include guard of its own). */
static PyObject *encoder_name = NULL; /*~ OV102 encoder_name */

static PyObject *
codec_encoder_name(void)
{
    if (!encoder_name) {
        encoder_name = PyUnicode_FromString("utf-8");
    }
    return encoder_name;
}
