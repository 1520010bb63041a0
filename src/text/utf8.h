// UTF-8 validation and repair. Invalid byte sequences become U+FFFD and are counted; the result
// is always valid UTF-8 (the contract every later step relies on).
#pragma once

#include <cstddef>
#include <cstdint>
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

// Where the code points of p[0..7] start, for the hot loops of the text layer: when those bytes
// are well-formed one- and two-byte sequences (ASCII, Latin, Greek, Cyrillic, Hebrew, Arabic; the
// last one may end at p[8]), `starts` has bit 8k+7 set for each byte p[k] that starts a code
// point and `length` is 8, or 9 when p[7] is a lead byte. Otherwise (a three- or four-byte
// sequence, or invalid UTF-8, in p[0..8]) both are 0. p[0..8] must be readable. Knowing the
// starts of eight bytes at once lets a loop find each code point without waiting for the
// previous one's length.
struct ShortSequences {
  std::uint64_t starts = 0;
  std::size_t length = 0;
};

inline ShortSequences short_sequences(const unsigned char* p) {
  constexpr std::uint64_t k_high = 0x8080808080808080ULL;  // bit 7 of each byte
  auto at = [p](int k) { return static_cast<std::uint64_t>(p[k]) << (8 * k); };
  // A little-endian load whatever the machine (GCC and Clang make it one load).
  std::uint64_t x = at(0) | at(1) | at(2) | at(3) | at(4) | at(5) | at(6) | at(7);
  // Bit 7 of each byte, after shifting its bits 6 and 5 into that place.
  std::uint64_t b6 = x << 1;
  std::uint64_t b5 = x << 2;
  std::uint64_t long_leads = x & b6 & b5 & k_high;  // 111xxxxx: 3- or 4-byte leads, or invalid
  std::uint64_t leads = x & b6 & k_high;            // 11xxxxxx
  std::uint64_t conts = x & ~b6 & k_high;           // 10xxxxxx
  // A lead's low five bits (without bit 0) are 0 for C0 and C1, overlong encodings.
  std::uint64_t payload = x & 0x1E1E1E1E1E1E1E1EULL;
  std::uint64_t nonzero = (payload + 0x7F7F7F7F7F7F7F7FULL) & k_high;  // no carries: payload <= 0x1E
  bool tail_lead = (leads >> 63) != 0;
  if (long_leads != 0 || (leads & ~nonzero) != 0 || conts != (leads << 8) ||
      (tail_lead && (p[8] & 0xC0) != 0x80)) {
    return {};
  }
  return {~conts & k_high, tail_lead ? 9U : 8U};
}

}  // namespace decruft::text
