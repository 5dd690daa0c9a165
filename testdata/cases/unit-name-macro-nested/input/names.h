/* The project's name macros, each handing its argument on to another:
 * the token is a name however many levels it goes through. */
#ifndef NAMES_H
#define NAMES_H

#define DECLARE_ID(name) _Py_IDENTIFIER(name)
#define STR(x) #x
#define XSTR(x) STR(x)
#define ATTR_NAME(n) XSTR(n)
#define FIELD(s, f) ((s).f)
#define STATE_FIELD(f) FIELD(*state, f)

#endif
