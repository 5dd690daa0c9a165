/* CPython's bundled libmpdec: vendored at any depth. */
#include <stdlib.h>
static char *mpd_buffer = NULL; /*~ vendored OV201 mpd_buffer */
char *get_mpd_buffer(void) {
    if (mpd_buffer == NULL) {
        mpd_buffer = malloc(16);
    }
    return mpd_buffer;
}
int mpd_broken( {
