/* SQLite's amalgamation: vendored (third_party/ and sqlite3.c). */
#include <stdlib.h>
static char *sqlite_buffer = NULL; /*~ vendored OV201 sqlite_buffer */
char *get_sqlite_buffer(void) {
    if (sqlite_buffer == NULL) {
        sqlite_buffer = malloc(16);
    }
    return sqlite_buffer;
}
int sqlite3_broken( {
