/* The project's once helpers: C11 call_once through a macro, and a flag
 * word whose bit a macro reads. */
#include <threads.h>

static once_flag tables_flag = ONCE_FLAG_INIT;
#define ONCE(routine) call_once(&tables_flag, routine)

static unsigned init_bits;
#define BIT_TABLES 0x2u
#define NEEDS(bit) (!(init_bits & (bit)))
#define MARK(bit) (init_bits |= (bit))
