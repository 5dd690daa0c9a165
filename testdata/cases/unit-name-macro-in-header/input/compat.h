/* The project's compatibility header: macros only, no static. The unit
 * must still read it: STRINGIFY takes its argument as a name, and
 * Text_FromUTF8 says what a store owns. */
#ifndef COMPAT_H
#define COMPAT_H

#define STRINGIFY(x) #x
#define Text_FromUTF8(s) PyUnicode_FromString(s)

#endif
