// libFuzzer entry point; the body is decruft::fuzz::warc_reader in targets.h.
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return decruft::fuzz::warc_reader(data, size);
}
