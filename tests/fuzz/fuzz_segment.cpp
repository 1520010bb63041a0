// libFuzzer entry point; the body is decruft::fuzz::segment in targets.h.
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return decruft::fuzz::segment(data, size);
}
