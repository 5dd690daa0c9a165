/* zstd's bundled sources: vendored (deps/ and zstd/lib/). */
#include <stdlib.h>
static char *pool_buffer = NULL; /*~ vendored OV201 pool_buffer */
char *get_pool_buffer(void) {
    if (pool_buffer == NULL) {
        pool_buffer = malloc(16);
    }
    return pool_buffer;
}
static int broken_pool( {
