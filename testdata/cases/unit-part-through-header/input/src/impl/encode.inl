/* part of main.c (unity build), CRLF, no include of its own */
static PyObject *enc_name = NULL;       /*~ OV102 enc_name */

static PyObject *
get_enc_name(void)
{
    if (enc_name == NULL)
        enc_name = PyUnicode_InternFromString("encode");
    return enc_name;
}
