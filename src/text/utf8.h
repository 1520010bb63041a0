// UTF-8 validation and repair. Invalid byte sequences become U+FFFD and are counted; the result
// is always valid UTF-8 (the contract every later step relies on).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace decruft::text {

struct Utf8Repair {
  std::string text;
  std::size_t invalid_sequences = 0;    // how many U+FFFD were inserted
  std::size_t first_invalid_byte = 0;   // byte offset of the first invalid sequence
};

bool is_valid_utf8(std::string_view s);
// Replaces each maximal invalid subsequence by U+FFFD (the WHATWG / Unicode "best practice").
Utf8Repair repair_utf8(std::string_view s);
// Strips a leading UTF-8 BOM, if any.
std::string_view strip_bom(std::string_view s);

// NUL and C0 control bytes (other than tab, newline, CR, FF, ESC) in the first `max_bytes`:
// the evidence every reader uses to tell binary data from text.
struct ControlScan {
  std::size_t nuls = 0;
  std::size_t controls = 0;  // C0 controls other than NUL and the white-space ones
  std::size_t sampled = 0;   // bytes looked at
};
ControlScan scan_controls(std::string_view s, std::size_t max_bytes = 8192);

// Decodes the code point at s[i] (s valid UTF-8) and advances i. Inline: every per-character
// loop of the text layer runs on it.
inline char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[k])); };
  char32_t c = b(i);
  if (c < 0x80) {
    i += 1;
    return c;
  }
  if (c < 0xE0 && i + 1 < s.size()) {
    char32_t cp = ((c & 0x1F) << 6) | (b(i + 1) & 0x3F);
    i += 2;
    return cp;
  }
  if (c < 0xF0 && i + 2 < s.size()) {
    char32_t cp = ((c & 0x0F) << 12) | ((b(i + 1) & 0x3F) << 6) | (b(i + 2) & 0x3F);
    i += 3;
    return cp;
  }
  if (i + 3 < s.size()) {
    char32_t cp = ((c & 0x07) << 18) | ((b(i + 1) & 0x3F) << 12) | ((b(i + 2) & 0x3F) << 6) | (b(i + 3) & 0x3F);
    i += 4;
    return cp;
  }
  i = s.size();
  return 0xFFFD;
}

void append_utf8(std::string& out, char32_t cp);

}  // namespace decruft::text
