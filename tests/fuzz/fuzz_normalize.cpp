// libFuzzer entry point; the body is decruft::fuzz::normalize in targets.h.
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return decruft::fuzz::normalize(data, size);
}
