// Placeholder; replaced by the ICU implementation.
#include "text/key.h"

namespace decruft::text {
std::string match_key(std::string_view s) { return std::string(s); }
}  // namespace decruft::text
