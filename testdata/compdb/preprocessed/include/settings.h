/* The project's own settings: oncevar's evaluator does not follow a
 * project's macros (USE_TABLES is undecided without the compiler), the
 * compiler does. */
#ifndef SETTINGS_H
#define SETTINGS_H
#define USE_TABLES 1
#define HAVE_FEATURE(n) ((n) < 3)
#endif
