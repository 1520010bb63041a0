#include "core/json.h"

#include <fmt/format.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>

#include "core/cpu.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DECRUFT_JSON_AVX2 1
#endif

namespace decruft::json {

namespace {

// Bytes that need an escape in a JSON string: control codes, '"' and '\\'.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Eight bytes at a time (SWAR): a word's bytes that need an escape get their top bit set in the
// mask. Each test is exact for the lowest such byte (a borrow only runs upwards, from a byte that
// matched), so the first flagged byte is the first byte to escape; later flags may be spurious.
constexpr std::uint64_t k_ones = 0x0101010101010101;
constexpr std::uint64_t k_highs = 0x8080808080808080;

constexpr std::uint64_t below_0x20(std::uint64_t w) { return (w - k_ones * 0x20) & ~w & k_highs; }
constexpr std::uint64_t zero_byte(std::uint64_t w) { return (w - k_ones) & ~w & k_highs; }
constexpr std::uint64_t escape_mask(std::uint64_t w) {
  return below_0x20(w) | zero_byte(w ^ (k_ones * '"')) | zero_byte(w ^ (k_ones * '\\'));
}

#if defined(DECRUFT_JSON_AVX2)
// find_escape's test 32 bytes at a time, for CPUs with AVX2 (checked at run time; the build
// targets plain x86-64): half the instructions of the SSE2 loop on a paragraph. Needs
// end - p >= 32. Functions instead of lambdas: a lambda would not inherit the target attribute.
namespace avx2 {
#define DECRUFT_AVX2 __attribute__((target("avx2")))
DECRUFT_AVX2 inline unsigned hits(const char* at) {
  const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at));
  const __m256i hit =
      _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
                                      _mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))),
                      _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1f)), v));
  return static_cast<unsigned>(_mm256_movemask_epi8(hit));
}
DECRUFT_AVX2 const char* find_escape_32(const char* p, const char* end) {
  const char* last = end - 32;
  while (p < last) {
    if (unsigned mask = hits(p); mask != 0) {
      return p + std::countr_zero(mask);
    }
    p += 32;
  }
  // The last 32 bytes, overlapping bytes the loop tested (without a hit), as in find_escape.
  if (unsigned mask = hits(last); mask != 0) {
    return last + std::countr_zero(mask);
  }
  return end;
}
#undef DECRUFT_AVX2
}  // namespace avx2

#endif

// The first byte in [p, end) that needs an escape, or end. Text is nearly all plain bytes (Arabic
// letters are 0xd8..0xdb + one more), so this scan is the whole cost of a string. With AVX2 a
// string of 32 bytes or more is tested 32 bytes at a time, with SSE2 one of 16 bytes or more 16 at
// a time, each to its end; the word and byte loops test shorter strings (and all of them without
// SSE2).
// (The word's first byte must be its lowest: on a big-endian machine the bytes are tested one by
// one.)
const char* find_escape(const char* p, const char* end) {
#if defined(DECRUFT_JSON_AVX2)
  if (end - p >= 32 && cpu::has_avx2()) {
    return avx2::find_escape_32(p, end);
  }
#endif
#if defined(__SSE2__)
  // Sixteen bytes at a time where SSE2 is there (every x86-64): the bytes equal to '"' or '\\',
  // or at most 0x1f (unsigned: min(b, 0x1f) == b).
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1f);
  auto hits = [&](const char* at) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                               _mm_cmpeq_epi8(_mm_min_epu8(v, last_control), v));
    return static_cast<unsigned>(_mm_movemask_epi8(hit));
  };
  if (end - p >= 16) {
    const char* last = end - 16;
    while (p < last) {
      if (unsigned mask = hits(p); mask != 0) {
        return p + std::countr_zero(mask);
      }
      p += 16;
    }
    // The last 16 bytes in one load, overlapping bytes the loop tested (they had no hit, so a hit
    // is in the new ones): the word and byte loops cost more than the load on a paragraph's tail.
    if (unsigned mask = hits(last); mask != 0) {
      return last + std::countr_zero(mask);
    }
    return end;
  }
#endif
  while (std::endian::native == std::endian::little && end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if (std::uint64_t m = escape_mask(w); m != 0) {
      return p + std::countr_zero(m) / 8;
    }
    p += 8;
  }
  while (p < end && !needs_escape(static_cast<unsigned char>(*p))) {
    ++p;
  }
  return p;
}

// A short string with nothing to escape (keys, ids, reasons: every string but the texts, nearly)
// goes out in one append, with the comma before it and the colon after it when asked, from a
// buffer on the stack: each append of its pieces was a call into the string.
constexpr std::size_t k_short = 64;
void write_short_plain(std::string& out, std::string_view s, bool comma, bool colon) {
  char buf[k_short];
  std::size_t n = 0;
  if (comma) {
    buf[n++] = ',';
  }
  buf[n++] = '"';
  std::memcpy(buf + n, s.data(), s.size());
  n += s.size();
  buf[n++] = '"';
  if (colon) {
    buf[n++] = ':';
  }
  out.append(buf, n);
}
// The same, when `s` is short and needs no escape; false (nothing written) otherwise.
bool append_short_plain(std::string& out, std::string_view s, bool comma, bool colon) {
  if (s.size() > k_short - 4 || find_escape(s.data(), s.data() + s.size()) != s.data() + s.size()) {
    return false;
  }
  write_short_plain(out, s, comma, colon);
  return true;
}

}  // namespace

void append_escaped(std::string& out, std::string_view s) {
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    // The run of bytes that go out as they are (nearly all of them), copied at once.
    const char* run = p;
    p = find_escape(p, end);
    out.append(run, static_cast<std::size_t>(p - run));
    if (p == end) {
      break;
    }
    unsigned char c = static_cast<unsigned char>(*p++);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        constexpr std::string_view k_hex = "0123456789abcdef";
        const char u[6] = {'\\', 'u', '0', '0', k_hex[c >> 4], k_hex[c & 0xf]};
        out.append(u, sizeof u);
      }
    }
  }
}

void append_string(std::string& out, std::string_view s) {
  if (append_short_plain(out, s, false, false)) {
    return;
  }
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  append_escaped(out, s);
  out += '"';
}

std::string quote(std::string_view s) {
  std::string out;
  append_string(out, s);
  return out;
}

void Writer::separate() {
  if (need_comma_) {
    out_ += ',';
  }
  need_comma_ = true;
}

void Writer::begin_object() { separate(); out_ += '{'; need_comma_ = false; }
void Writer::end_object() { out_ += '}'; need_comma_ = true; }
void Writer::begin_array() { separate(); out_ += '['; need_comma_ = false; }
void Writer::end_array() { out_ += ']'; need_comma_ = true; }
void Writer::key(std::string_view k) {
  if (append_short_plain(out_, k, need_comma_, true)) {
    need_comma_ = false;
    return;
  }
  separate();
  append_string(out_, k);
  out_ += ':';
  need_comma_ = false;
}
void Writer::plain_key(std::string_view k) {
  if (k.size() > k_short - 4) {
    key(k);
    return;
  }
  write_short_plain(out_, k, need_comma_, true);
  need_comma_ = false;
}
void Writer::value(std::string_view v) {
  if (!append_short_plain(out_, v, need_comma_, false)) {
    separate();
    append_string(out_, v);
  }
  need_comma_ = true;
}
// Integers through std::to_chars into a buffer, then one append: the same digits as fmt's "{}",
// a fifth of its cost through a back_inserter (45 instructions a number instead of 225).
void Writer::value(std::int64_t v) {
  separate();
  char buf[24];
  out_.append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
}
void Writer::value(std::uint64_t v) {
  separate();
  char buf[24];
  out_.append(buf, static_cast<std::size_t>(std::to_chars(buf, buf + sizeof buf, v).ptr - buf));
}
void Writer::value(double v) {
  separate();
  out_ += std::isfinite(v) ? fmt::format("{:.6g}", v) : std::string("null");
}
void Writer::value(bool v) { separate(); out_ += v ? "true" : "false"; }
void Writer::null() { separate(); out_ += "null"; }
void Writer::raw(std::string_view json_text) { separate(); out_ += json_text; }
void Writer::begin_string() { separate(); out_ += '"'; }
void Writer::string_piece(std::string_view piece) { append_escaped(out_, piece); }
void Writer::escaped_piece(std::string_view escaped) { out_ += escaped; }
void Writer::end_string() { out_ += '"'; }

}  // namespace decruft::json
