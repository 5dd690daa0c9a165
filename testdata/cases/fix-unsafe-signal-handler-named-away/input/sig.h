/* The project's signal helpers. */
#ifndef SIG_H
#define SIG_H
#include <signal.h>

#define ON_SIGNAL(s, f) signal((s), (f))

#endif
