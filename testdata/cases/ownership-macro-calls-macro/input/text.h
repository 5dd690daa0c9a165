/* psycopg2-style text macros, layered: Text_FromUTF8 calls
 * Text_FromUTF8AndSize, which calls CPython. */
#ifndef TEXT_H
#define TEXT_H
#define Text_FromUTF8AndSize(s, n) PyUnicode_FromStringAndSize((s), (n))
#define Text_FromUTF8(s) Text_FromUTF8AndSize((s), (Py_ssize_t)strlen(s))
#endif
