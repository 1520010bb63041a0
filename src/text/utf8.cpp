#include "text/utf8.h"

#include <simdjson.h>

namespace decruft::text {

namespace {
// Length of the valid sequence starting at s[i], or 0 when it is invalid. Follows Unicode
// Table 3-7 (well-formed UTF-8 byte sequences).
std::size_t valid_sequence(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t n = s.size() - i;
  if (c < 0x80) {
    return 1;
  }
  auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < s.size() && b(k) >= lo && b(k) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) {
    return n >= 2 && cont(i + 1) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

// Length of the maximal prefix of an invalid sequence at s[i] (at least 1), so one U+FFFD
// replaces it.
std::size_t invalid_prefix(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  std::size_t want = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    want = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    want = 3;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    want = 4;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 1;
  }
  std::size_t k = 1;
  while (k < want && i + k < s.size()) {
    unsigned char x = b(i + k);
    bool ok = k == 1 ? (x >= lo && x <= hi) : (x >= 0x80 && x <= 0xBF);
    if (!ok) {
      break;
    }
    ++k;
  }
  return k;
}
}  // namespace

bool is_valid_utf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

Utf8Repair repair_utf8(std::string_view s) {
  Utf8Repair r;
  if (is_valid_utf8(s)) {
    r.text.assign(s);
    return r;
  }
  r.text.reserve(s.size() + 16);
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t n = valid_sequence(s, i);
    if (n > 0) {
      r.text.append(s.data() + i, n);
      i += n;
      continue;
    }
    if (r.invalid_sequences == 0) {
      r.first_invalid_byte = i;
    }
    ++r.invalid_sequences;
    r.text += "\xEF\xBF\xBD";
    i += invalid_prefix(s, i);
  }
  return r;
}

ControlScan scan_controls(std::string_view s, std::size_t max_bytes) {
  ControlScan scan;
  std::string_view head = s.substr(0, max_bytes);
  scan.sampled = head.size();
  const auto* p = reinterpret_cast<const unsigned char*>(head.data());
  std::size_t n = head.size();
  // Branch-free, in blocks of fixed size with 8-bit sums, so the compiler vectorises it (GCC 12
  // -O2 does): low bytes (< 0x20) and NULs are counted, the white-space controls subtracted.
  // The white-space test is written as ranges on purpose: as five == tests GCC turns it into a
  // 64-bit bit test, which does not vectorise.
  auto low = [](unsigned char c) { return static_cast<unsigned char>(c < 0x20); };
  auto white = [](unsigned char c) {
    auto in = [c](unsigned char first, unsigned char count) {
      return static_cast<unsigned char>(static_cast<unsigned char>(c - first) < count);
    };
    return static_cast<unsigned char>(in('\t', 2) + in('\f', 2) + in(0x1b, 1));  // \t \n, \f \r, ESC
  };
  constexpr std::size_t k_block = 64;  // < 256: the 8-bit sums cannot overflow
  std::size_t i = 0;
  for (; i + k_block <= n; i += k_block) {
    unsigned char nuls = 0;
    unsigned char lows = 0;
    unsigned char whites = 0;
    const unsigned char* q = p + i;
    for (std::size_t k = 0; k < k_block; ++k) {
      unsigned char c = q[k];
      nuls = static_cast<unsigned char>(nuls + (c == 0));
      lows = static_cast<unsigned char>(lows + low(c));
      whites = static_cast<unsigned char>(whites + white(c));
    }
    scan.nuls += nuls;
    scan.controls += static_cast<std::size_t>(lows - nuls - whites);
  }
  for (; i < n; ++i) {
    unsigned char c = p[i];
    scan.nuls += c == 0 ? 1 : 0;
    scan.controls += (low(c) != 0 && c != 0 && white(c) == 0) ? 1 : 0;
  }
  return scan;
}

std::string_view strip_bom(std::string_view s) {
  if (s.size() >= 3 && s.substr(0, 3) == "\xEF\xBB\xBF") {
    s.remove_prefix(3);
  }
  return s;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace decruft::text
