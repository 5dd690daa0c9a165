// ujson's vendored C++ headers, spelled .h: vendored (deps/).
#include <stdlib.h>
static char *bignum_buffer = NULL; /*~ vendored OV201 bignum_buffer */
char *get_bignum_buffer(void) {
    if (bignum_buffer == NULL) {
        bignum_buffer = malloc(16);
    }
    return bignum_buffer;
}
namespace double_conversion {
class Bignum {
 public:
  static const int kMaxSignificantBits = 3584;
  Bignum() : used_bigits_(0) {}
 private:
  int used_bigits_;
};
}  // namespace double_conversion
