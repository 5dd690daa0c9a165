/* util.c's functions, shared by the modules x, y and z. */
#ifndef UTIL_H
#define UTIL_H
long stats_record(void);
const char *util_version(void);
long stats_twice(void);
#endif
