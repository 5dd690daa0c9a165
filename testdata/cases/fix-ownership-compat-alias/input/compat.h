/* The project's compatibility header (psycopg2's python.h shape):
 * function-like and object-like renamings of the C API. */
#ifndef COMPAT_H
#define COMPAT_H

#define Text_FromUTF8(s) PyUnicode_FromString(s)
#define Bytes_FromStringH PyBytes_FromString
#define Dict_GetItemH PyDict_GetItemString

#endif
