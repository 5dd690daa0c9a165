/* What every unit includes: the shared header and the cache. */
#include "common.h"
#include "cache.h"
