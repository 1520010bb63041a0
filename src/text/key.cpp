// Matching keys. The definition is "NFKC_Casefold (ICU), then a per-code-point fold" (see
// fold_code_point); the fast path computes the same result without ICU for text made of code
// points whose NFKC_Casefold mapping does not depend on their neighbours.
//
// Why the fast path is exact: when every code point of a string has a normalisation boundary
// before it (Normalizer2::hasBoundaryBefore), the normalisation of the string is the
// concatenation of the normalisations of its code points, so a table of per-code-point results
// is enough. Arabic harakat have no boundary before them (they are combining marks, reordered by
// canonical order), but the key drops every one of them and none of them composes with a base,
// so their order never shows in the key; they are in the table as "drop". The composing marks
// U+0653-0655 (madda, hamza above/below: ا + ٔ -> أ) are not, so text holding them takes the
// ICU path.
#include "text/key.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <array>
#include <bit>
#include <climits>
#include <cstdint>
#include <cstring>

#include "text/chars.h"
#include "text/utf8.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DECRUFT_KEY_BLOCKS 1
#endif

namespace decruft::text {

namespace {

// What a code point of NFKC_Casefold output becomes in the key.
enum class Fold : std::uint8_t {
  k_keep,       // itself
  k_replace,    // another code point (alef variants, alef maksura, teh marbuta, digits)
  k_drop,       // removed without a trace (diacritics, tatweel, format characters)
  k_separator,  // a word separator (white space, punctuation, symbols, controls)
};

bool in_arabic_blocks(UChar32 c) {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x0870 && c <= 0x08FF) ||
         (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

// Diacritics the key drops: the combining marks of the Arabic blocks (harakat, tanween, shadda,
// sukun, dagger alef, Quranic annotation marks) and the small Quranic letters U+06E5/06E6.
bool is_arabic_diacritic(UChar32 c) {
  if (!in_arabic_blocks(c)) {
    return false;
  }
  std::int32_t gc = U_GET_GC_MASK(c);
  return (gc & U_GC_M_MASK) != 0 || c == 0x06E5 || c == 0x06E6;
}

struct Folded {
  Fold fold;
  UChar32 to;  // for k_replace
};

Folded fold_code_point(UChar32 c) {
  switch (c) {
    case 0x0622:  // آ
    case 0x0623:  // أ
    case 0x0625:  // إ
    case 0x0671:  // ٱ alef wasla
    case 0x0672:  // alef with wavy hamza above
    case 0x0673:  // alef with wavy hamza below
      return {Fold::k_replace, 0x0627};
    case 0x0649:  // ى alef maksura
    case 0x06CC:  // ی Farsi yeh (used for both ي and ى in many scrapes)
      return {Fold::k_replace, 0x064A};
    case 0x0629:  // ة teh marbuta
      return {Fold::k_replace, 0x0647};
    case 0x06A9:  // ک keheh -> ك
      return {Fold::k_replace, 0x0643};
    case 0x0640:  // tatweel
      return {Fold::k_drop, 0};
    default:
      break;
  }
  if (is_arabic_diacritic(c)) {
    return {Fold::k_drop, 0};
  }
  std::int32_t gc = U_GET_GC_MASK(c);
  if ((gc & U_GC_ND_MASK) != 0) {
    // Every script's decimal digits compare equal: ٢٠١٥ == 2015.
    std::int32_t v = u_charDigitValue(c);
    if (v >= 0 && v <= 9) {
      return c == '0' + v ? Folded{Fold::k_keep, 0} : Folded{Fold::k_replace, static_cast<UChar32>('0' + v)};
    }
    return {Fold::k_keep, 0};
  }
  if (u_isUWhiteSpace(c) != 0 || (gc & (U_GC_P_MASK | U_GC_S_MASK | U_GC_CC_MASK | U_GC_Z_MASK)) != 0) {
    return {Fold::k_separator, 0};
  }
  if ((gc & U_GC_CF_MASK) != 0) {
    return {Fold::k_drop, 0};
  }
  return {Fold::k_keep, 0};
}

// Per-code-point results for the ranges that carry almost all of the text: Latin, Greek,
// Cyrillic, Hebrew, Arabic (U+0000-07FF), General Punctuation (U+2000-206F) and the Arabic
// presentation forms (U+FB50-FEFF).
enum class Kind : std::uint8_t {
  k_slow,     // needs ICU on the whole string (no boundary before it, or a long mapping)
  k_copy,     // output its own bytes
  k_replace,  // output `bytes`
  k_drop,
  k_separator,
};

struct Entry {
  Kind kind = Kind::k_slow;
  std::uint8_t len = 0;
  std::array<char, 14> bytes{};
};

struct Range {
  char32_t first;
  char32_t last;
  std::size_t offset;
};
constexpr std::array<Range, 3> k_ranges{{{0x0000, 0x07FF, 0}, {0x2000, 0x206F, 0x800}, {0xFB50, 0xFEFF, 0x870}}};
constexpr std::size_t k_table_size = 0x870 + (0xFEFF - 0xFB50 + 1);

// Layout of a Tables::small entry: bits 0-15 the key bytes (the first in the low byte), bits
// 16-23 how many there are, then the flags.
constexpr std::uint32_t k_small_separator = 1U << 24;
constexpr std::uint32_t k_small_general = 1U << 25;

struct Tables {
  const icu::Normalizer2* nfkc_cf = nullptr;
  std::array<Entry, k_table_size> entries{};
  // The hot loops' view of U+0000-07FF (one- and two-byte sequences), 4 bytes per code point:
  // the key bytes (at most as many as the code point's own UTF-8; a space for a separator),
  // their count, and flags. A code point whose key is longer than its UTF-8, or that needs ICU,
  // is k_small_general: the loops hand it to general_step. Because every other entry writes no
  // more bytes than it reads, the loops need no capacity check.
  std::array<std::uint32_t, 0x800> small{};

  Tables() {
    UErrorCode status = U_ZERO_ERROR;
    nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status)) {
      nfkc_cf = nullptr;
    }
    for (const Range& r : k_ranges) {
      for (char32_t c = r.first; c <= r.last; ++c) {
        entries[r.offset + (c - r.first)] = build(static_cast<UChar32>(c));
      }
    }
    for (char32_t c = 0; c < 0x800; ++c) {
      small[c] = pack_small(c, entries[c]);
    }
  }

  static std::uint32_t pack_small(char32_t c, const Entry& e) {
    std::size_t own = c < 0x80 ? 1 : 2;
    switch (e.kind) {
      case Kind::k_copy: {
        std::string self;
        append_utf8(self, c);
        return small_text(self.data(), self.size());
      }
      case Kind::k_replace:
        return e.len <= own ? small_text(e.bytes.data(), e.len) : k_small_general;
      case Kind::k_drop:
        return 0;
      case Kind::k_separator:
        return small_text(" ", 1) | k_small_separator;
      case Kind::k_slow:
        break;
    }
    return k_small_general;
  }

  static std::uint32_t small_text(const char* bytes, std::size_t len) {
    std::uint32_t v = static_cast<std::uint32_t>(len) << 16;
    for (std::size_t k = 0; k < len; ++k) {
      v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k])) << (8 * k);
    }
    return v;
  }

  Entry build(UChar32 c) const {
    Entry e;
    if (nfkc_cf == nullptr || (c >= 0xD800 && c <= 0xDFFF)) {
      return e;
    }
    // Harakat have no boundary before them, but the key drops them and they never compose with
    // a base (NFC_Quick_Check = Yes), so dropping them one by one is exact. The composing marks
    // (madda, hamza above/below: NFC_QC = Maybe) are not droppable one by one: و + ٔ -> ؤ.
    bool droppable_mark = is_arabic_diacritic(c) && u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) == UNORM_YES;
    if (nfkc_cf->hasBoundaryBefore(c) == 0 && !droppable_mark) {
      return e;
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString mapped = nfkc_cf->normalize(icu::UnicodeString(c), status);
    if (U_FAILURE(status)) {
      return e;
    }
    // Fold every code point of the mapping; a mapping that mixes separators with text (½ -> 1⁄2)
    // or is long goes to the slow path, which handles it generically.
    std::string out;
    bool any_sep = false;
    bool any_text = false;
    for (std::int32_t i = 0; i < mapped.length();) {
      UChar32 m = mapped.char32At(i);
      i += U16_LENGTH(m);
      Folded f = fold_code_point(m);
      if (f.fold == Fold::k_separator) {
        any_sep = true;
      } else if (f.fold == Fold::k_keep) {
        any_text = true;
        append_utf8(out, static_cast<char32_t>(m));
      } else if (f.fold == Fold::k_replace) {
        any_text = true;
        append_utf8(out, static_cast<char32_t>(f.to));
      }
    }
    if (any_sep && any_text) {
      return e;
    }
    if (any_sep) {
      e.kind = Kind::k_separator;
      return e;
    }
    if (out.empty()) {
      e.kind = Kind::k_drop;
      return e;
    }
    std::string self;
    append_utf8(self, static_cast<char32_t>(c));
    if (out == self) {
      e.kind = Kind::k_copy;
      return e;
    }
    if (out.size() > e.bytes.size()) {
      return e;
    }
    e.kind = Kind::k_replace;
    e.len = static_cast<std::uint8_t>(out.size());
    std::memcpy(e.bytes.data(), out.data(), out.size());
    return e;
  }

  const Entry* find(char32_t c) const {
    for (const Range& r : k_ranges) {
      if (c >= r.first && c <= r.last) {
        return &entries[r.offset + (c - r.first)];
      }
    }
    return nullptr;
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

// Appends key text, turning separator runs into one space and trimming both ends.
class KeyWriter {
 public:
  explicit KeyWriter(std::size_t capacity) { out_.reserve(capacity); }
  void separator() { pending_ = !out_.empty(); }
  void text(const char* bytes, std::size_t len) {
    if (pending_) {
      out_ += ' ';
      pending_ = false;
    }
    out_.append(bytes, len);
  }
  void text(char c) {
    if (pending_) {
      out_ += ' ';
      pending_ = false;
    }
    out_ += c;
  }
  void code_point(UChar32 c) {
    Folded f = fold_code_point(c);
    char buf[4];
    switch (f.fold) {
      case Fold::k_keep:
        text(buf, encode(buf, c));
        break;
      case Fold::k_replace:
        text(buf, encode(buf, f.to));
        break;
      case Fold::k_drop:
        break;
      case Fold::k_separator:
        separator();
        break;
    }
  }
  std::string take() { return std::move(out_); }

 private:
  static std::size_t encode(char* buf, UChar32 c) {
    auto u = static_cast<std::uint32_t>(c);
    if (u < 0x80) {
      buf[0] = static_cast<char>(u);
      return 1;
    }
    if (u < 0x800) {
      buf[0] = static_cast<char>(0xC0 | (u >> 6));
      buf[1] = static_cast<char>(0x80 | (u & 0x3F));
      return 2;
    }
    if (u < 0x10000) {
      buf[0] = static_cast<char>(0xE0 | (u >> 12));
      buf[1] = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
      buf[2] = static_cast<char>(0x80 | (u & 0x3F));
      return 3;
    }
    buf[0] = static_cast<char>(0xF0 | (u >> 18));
    buf[1] = static_cast<char>(0x80 | ((u >> 12) & 0x3F));
    buf[2] = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
    buf[3] = static_cast<char>(0x80 | (u & 0x3F));
    return 4;
  }
  std::string out_;
  bool pending_ = false;
};

// The general path: ICU NFKC_Casefold over the whole string, then the per-code-point fold.
std::string slow_key(const Tables& t, std::string_view s) {
  std::string normalized;
  if (t.nfkc_cf != nullptr && s.size() <= static_cast<std::size_t>(INT32_MAX)) {
    icu::StringByteSink<std::string> sink(&normalized);
    UErrorCode status = U_ZERO_ERROR;
    t.nfkc_cf->normalizeUTF8(0, icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())), sink, nullptr, status);
    if (U_FAILURE(status)) {
      normalized.assign(s);  // no ICU data: fold what we have
    }
  } else {
    normalized.assign(s);
  }
  KeyWriter w(normalized.size());
  std::size_t i = 0;
  while (i < normalized.size()) {
    w.code_point(static_cast<UChar32>(next_code_point(normalized, i)));
  }
  return w.take();
}

}  // namespace

namespace {

// Length of the well-formed UTF-8 sequence at p (Unicode Table 3-7), or 0 when it is not one.
std::size_t sequence_length(const unsigned char* p, const unsigned char* end) {
  unsigned char c = p[0];
  auto n = static_cast<std::size_t>(end - p);
  auto cont = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < n && p[k] >= lo && p[k] <= hi;
  };
  if (c < 0x80) {
    return 1;
  }
  if (c >= 0xC2 && c <= 0xDF) {
    return cont(1) ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    return cont(1, c == 0xE0 ? 0xA0 : 0x80, c == 0xED ? 0x9F : 0xBF) && cont(2) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    return cont(1, c == 0xF0 ? 0x90 : 0x80, c == 0xF4 ? 0x8F : 0xBF) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

// The fast path's output buffer and separator state. A separator writes its space at once,
// unless the last byte written is a space or nothing was written yet; a trailing space is cut at
// the end. Invariant: the room left after `w` is at least the input left plus k_slack, so the hot
// loops (which never write more than they read, plus two bytes of scratch past `w`) need no
// check; only general_step, whose output may be longer than its input, grows the buffer.
struct FastKey {
  static constexpr std::size_t k_slack = 16;
  std::string out;
  char* begin;
  char* w;
  bool after_space = true;  // at the start or after a space: a separator writes nothing

  explicit FastKey(std::size_t input) : out(input + k_slack, '\0'), begin(out.data()), w(begin) {}

  void room(std::size_t write, std::size_t input_left) {
    auto used = static_cast<std::size_t>(w - begin);
    if (used + write + input_left + k_slack > out.size()) {
      out.resize(2 * out.size() + write);
      begin = out.data();
      w = begin + used;
    }
  }
  void text(const char* bytes, std::size_t len) {
    std::memcpy(w, bytes, len);
    w += len;
    after_space = false;
  }
  void separator() {
    *w = ' ';
    w += after_space ? 0 : 1;
    after_space = true;
  }
  std::string take() {
    w -= (after_space && w != begin) ? 1 : 0;
    out.resize(static_cast<std::size_t>(w - begin));
    return std::move(out);
  }
};

enum class Step : std::uint8_t {
  k_ok,
  k_slow,     // needs ICU on the whole string
  k_invalid,  // invalid UTF-8: start again on the repaired string
};

// One code point the hot loops do not handle: three- and four-byte sequences, the last byte of
// the input, and U+0000-07FF code points whose key is longer than their UTF-8 or that need ICU.
// Advances p past it. Code points that interact with their neighbours return k_slow, invalid
// UTF-8 k_invalid.
Step general_step(const Tables& t, FastKey& k, const unsigned char*& p, const unsigned char* end,
                  char32_t& decoded) {
  std::size_t len = sequence_length(p, end);
  if (len == 0) {
    return Step::k_invalid;
  }
  char32_t c = 0;
  switch (len) {
    case 1: c = p[0]; break;
    case 2: c = (static_cast<char32_t>(p[0] & 0x1F) << 6) | (p[1] & 0x3F); break;
    case 3:
      c = (static_cast<char32_t>(p[0] & 0x0F) << 12) | (static_cast<char32_t>(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      break;
    default:
      c = (static_cast<char32_t>(p[0] & 0x07) << 18) | (static_cast<char32_t>(p[1] & 0x3F) << 12) |
          (static_cast<char32_t>(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
  }
  decoded = c;
  auto input_left = static_cast<std::size_t>(end - p) - len;
  const Entry* e = c < 0x800 ? &t.entries[c] : t.find(c);
  if (e == nullptr) {
    // Outside the tables: fine as long as NFKC_Casefold leaves it alone and it does not
    // interact with its neighbours (most CJK, emoji, ...).
    if (t.nfkc_cf == nullptr || t.nfkc_cf->isInert(static_cast<UChar32>(c)) == 0) {
      return Step::k_slow;
    }
    Folded f = fold_code_point(static_cast<UChar32>(c));
    if (f.fold == Fold::k_keep || f.fold == Fold::k_replace) {
      std::string one;
      append_utf8(one, f.fold == Fold::k_keep ? c : static_cast<char32_t>(f.to));
      k.room(one.size(), input_left);
      k.text(one.data(), one.size());
    } else if (f.fold == Fold::k_separator) {
      k.separator();
    }
    p += len;
    return Step::k_ok;
  }
  switch (e->kind) {
    case Kind::k_slow:
      return Step::k_slow;
    case Kind::k_copy:
      k.text(reinterpret_cast<const char*>(p), len);
      break;
    case Kind::k_replace:
      k.room(e->len, input_left);
      k.text(e->bytes.data(), e->len);
      break;
    case Kind::k_drop:
      break;
    case Kind::k_separator:
      k.separator();
      break;
  }
  p += len;
  return Step::k_ok;
}

// What the fast path does when general_step gives up: the ICU path on the whole string, or the
// key of the repaired string (the same as validating and repairing first, then the fast path).
std::string restart(std::string_view s, Step step) {
  if (step == Step::k_invalid) {
    return match_key(repair_utf8(s).text);
  }
  return match_key_icu(s);  // repairs first if invalid UTF-8 follows
}

#ifdef DECRUFT_KEY_BLOCKS
// key_and_profile's 64-byte blocks. A block qualifies when its bytes are ASCII and two-byte
// sequences with lead 0xC2 (U+0080-00BF: « », no-break space) or 0xD8-0xDB (U+0600-06FF, the
// Arabic block): 99% of the data set's 64-byte blocks (94% without 0xC2). Per code point, looked
// up with vpermb/vpermi2b (ASCII by its byte, U+0080-00BF by the continuation byte's low six
// bits, U+0600-06FF by the lead's low two bits and those six bits):
//   - the key byte written in place of the lead and in place of the continuation byte: 0 for
//     none, ' ' (at the lead) for a separator, 0xFF (at the lead) for a code point that needs
//     general_step: the block then goes the scalar way. Tables::small, spread out: no key byte is
//     0 (NUL is a separator) and no key text is a space.
//   - the profile class, one bit: 1 << CharKind.
struct BlockTables {
  alignas(64) std::array<std::uint8_t, 128> ascii_key{};
  alignas(64) std::array<std::uint8_t, 128> ascii_kind{};
  alignas(64) std::array<std::uint8_t, 64> c2_lead{};
  alignas(64) std::array<std::uint8_t, 64> c2_cont{};
  alignas(64) std::array<std::uint8_t, 64> c2_kind{};
  alignas(64) std::array<std::uint8_t, 256> ar_lead{};
  alignas(64) std::array<std::uint8_t, 256> ar_cont{};
  alignas(64) std::array<std::uint8_t, 256> ar_kind{};

  explicit BlockTables(const Tables& t) {
    const auto& kinds = char_kinds();
    auto fill = [&](char32_t c, std::uint8_t& lead, std::uint8_t& cont, std::uint8_t& kind) {
      std::uint32_t v = t.small[c];
      std::size_t len = (v >> 16) & 0xFF;
      auto b0 = static_cast<std::uint8_t>(v & 0xFF);
      auto b1 = static_cast<std::uint8_t>((v >> 8) & 0xFF);
      bool separator = (v & k_small_separator) != 0;
      kind = static_cast<std::uint8_t>(1U << static_cast<unsigned>(kinds[c]));
      lead = len >= 1 ? b0 : 0;
      cont = len == 2 ? b1 : 0;
      bool representable = (v & k_small_general) == 0 && (len == 0 || (b0 != 0 && b0 != 0xFF && (b0 == ' ') == separator)) &&
                           (len < 2 || (b1 != 0 && b1 != ' ' && !separator));
      if (!representable) {
        lead = 0xFF;
        cont = 0;
      }
    };
    std::uint8_t unused = 0;
    for (char32_t c = 0; c < 0x80; ++c) {
      fill(c, ascii_key[c], unused, ascii_kind[c]);
      if (unused != 0) {
        ascii_key[c] = 0xFF;
      }
    }
    for (char32_t c = 0x80; c < 0xC0; ++c) {
      fill(c, c2_lead[c - 0x80], c2_cont[c - 0x80], c2_kind[c - 0x80]);
    }
    for (char32_t c = 0x600; c < 0x700; ++c) {
      fill(c, ar_lead[c - 0x600], ar_cont[c - 0x600], ar_kind[c - 0x600]);
    }
  }
};

const BlockTables& block_tables() {
  static const BlockTables b(tables());
  return b;
}

#define DECRUFT_BLOCK_TARGET __attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,bmi,bmi2,popcnt,lzcnt")))

bool blocks_supported() {
  static const bool ok = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                         __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vbmi2") &&
                         __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt");
  return ok;
}

// The BlockTables as values, loaded once per run of blocks (blocks64, with block64 inlined into its
// loop) instead of a call per block that loaded them all again (the key's store through a char
// buffer may alias the tables, so loads from them cannot be hoisted). With 19 tables and the block's
// own values, 32 registers are not enough: GCC keeps some on the stack, read as memory operands.
struct BlockRegs {
  __m512i ascii_key[2];
  __m512i ascii_kind[2];
  __m512i c2_lead;
  __m512i c2_cont;
  __m512i c2_kind;
  __m512i ar_lead[4];
  __m512i ar_cont[4];
  __m512i ar_kind[4];
};

DECRUFT_BLOCK_TARGET inline BlockRegs load_regs(const BlockTables& bt) {
  BlockRegs r;
  for (int i = 0; i < 2; ++i) {
    r.ascii_key[i] = _mm512_load_si512(bt.ascii_key.data() + 64 * i);
    r.ascii_kind[i] = _mm512_load_si512(bt.ascii_kind.data() + 64 * i);
  }
  r.c2_lead = _mm512_load_si512(bt.c2_lead.data());
  r.c2_cont = _mm512_load_si512(bt.c2_cont.data());
  r.c2_kind = _mm512_load_si512(bt.c2_kind.data());
  for (int i = 0; i < 4; ++i) {
    r.ar_lead[i] = _mm512_load_si512(bt.ar_lead.data() + 64 * i);
    r.ar_cont[i] = _mm512_load_si512(bt.ar_cont.data() + 64 * i);
    r.ar_kind[i] = _mm512_load_si512(bt.ar_kind.data() + 64 * i);
  }
  return r;
}

// A 256-entry table, looked up by the index's eight bits (two vpermi2b, one per half).
DECRUFT_BLOCK_TARGET inline __m512i lookup256(const __m512i (&table)[4], __m512i index) {
  __m512i lo = _mm512_permutex2var_epi8(table[0], index, table[1]);
  __m512i hi = _mm512_permutex2var_epi8(table[2], index, table[3]);
  return _mm512_mask_blend_epi8(_mm512_movepi8_mask(index), lo, hi);
}

// A 64-entry table, looked up by the index's low six bits (vpermi2b with the table twice: the
// plain vpermb intrinsic trips GCC 12's -Wmaybe-uninitialized).
DECRUFT_BLOCK_TARGET inline __m512i lookup64(__m512i table, __m512i index) {
  return _mm512_permutex2var_epi8(table, index, table);
}

DECRUFT_BLOCK_TARGET inline std::uint64_t popcount(std::uint64_t x) {
  return static_cast<std::uint64_t>(_mm_popcnt_u64(x));
}

DECRUFT_BLOCK_TARGET inline std::uint64_t of_kind(__m512i kinds, CharKind k) {
  return _mm512_test_epi8_mask(kinds, _mm512_set1_epi8(static_cast<char>(1U << static_cast<unsigned>(k))));
}

// The code point starting at p[k] (one or two bytes, validated by the block).
inline char32_t short_code_point(const unsigned char* p, unsigned k) {
  char32_t b0 = p[k];
  return b0 < 0x80 ? b0 : ((b0 & 0x1F) << 6) | (p[k + 1] & 0x3F);
}

// The key and the profile of the 64 bytes at p, or of the `left` bytes that are left when there
// are no more than 64 (masked loads and store: the text's last bytes and short texts take this
// way too), when they qualify (see BlockTables): returns how many bytes it consumed (64, 63 when
// p[63] is a lead byte, or `left`), or 0 and changes nothing. The key buffer must have room for
// 64 bytes at w, or `left` in the last block.
//
// Separators and words depend on the code point before, so both are worked out on the sequence
// of the code points that matter, squeezed together with pext: a separator writes its space when
// the code point before it that is not dropped was text (as FastKey::separator); a word starts at
// a letter or digit when the code point before it that is not a mark was not one (marks continue
// a word, or nothing: ProfileBuilder::add).
DECRUFT_BLOCK_TARGET __attribute__((always_inline)) inline std::size_t block64(const BlockRegs& bt, const unsigned char* p,
                                                                              std::size_t left, char*& w, bool& after_space,
                                                                              ProfileBuilder& pb) {
  const bool last = left <= 64;
  std::uint64_t in = last ? _bzhi_u64(~std::uint64_t{0}, static_cast<unsigned>(left)) : ~std::uint64_t{0};
  const __m512i cur = last ? _mm512_maskz_loadu_epi8(in, p) : _mm512_loadu_si512(p);
  const __mmask64 non_ascii = _mm512_movepi8_mask(cur);
  const __mmask64 cont =
      _mm512_cmpeq_epi8_mask(_mm512_and_si512(cur, _mm512_set1_epi8(static_cast<char>(0xC0))), _mm512_set1_epi8(static_cast<char>(0x80)));
  const __mmask64 ar = _mm512_cmpeq_epi8_mask(_mm512_and_si512(cur, _mm512_set1_epi8(static_cast<char>(0xFC))),
                                              _mm512_set1_epi8(static_cast<char>(0xD8)));
  const __mmask64 c2 = _mm512_cmpeq_epi8_mask(cur, _mm512_set1_epi8(static_cast<char>(0xC2)));
  const std::uint64_t lead = ar | c2;
  if ((non_ascii & ~(lead | cont)) != 0 || cont != (lead << 1)) {
    return 0;
  }
  std::size_t length = last ? left : 64;
  if (((lead >> (length - 1)) & 1) != 0) {
    // The last code point ends in the next block: leave it to that one (at the end of the text:
    // a cut sequence, invalid).
    if (last || (p[64] & 0xC0) != 0x80) {
      return 0;
    }
    in >>= 1;
    length = 63;
  }
  const std::uint64_t starts = ~cont & in;

  // Each byte's code point: its lead byte and its continuation byte.
  const __m512i next = last ? _mm512_maskz_loadu_epi8(in >> 1, p + 1) : _mm512_loadu_si512(p + 1);
  const __m512i back_one = _mm512_set_epi8(62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41,
                                           40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
                                           18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0);
  const __m512i prev = _mm512_maskz_permutexvar_epi8(~std::uint64_t{1}, back_one, cur);
  const __m512i lead_byte = _mm512_mask_blend_epi8(cont, cur, prev);
  const __m512i cont_byte = _mm512_mask_blend_epi8(cont, next, cur);
  const __m512i ar_index = _mm512_or_si512(_mm512_slli_epi16(_mm512_and_si512(lead_byte, _mm512_set1_epi8(3)), 6),
                                           _mm512_and_si512(cont_byte, _mm512_set1_epi8(0x3F)));
  const std::uint64_t ar_bytes = ar | (ar << 1);
  const std::uint64_t c2_bytes = c2 | (c2 << 1);

  __m512i out = _mm512_permutex2var_epi8(bt.ascii_key[0], cur, bt.ascii_key[1]);
  out = _mm512_mask_mov_epi8(out, ar, lookup256(bt.ar_lead, ar_index));
  out = _mm512_mask_mov_epi8(out, ar << 1, lookup256(bt.ar_cont, ar_index));
  out = _mm512_mask_mov_epi8(out, c2, lookup64(bt.c2_lead, cont_byte));
  out = _mm512_mask_mov_epi8(out, c2 << 1, lookup64(bt.c2_cont, cont_byte));
  if ((_mm512_cmpeq_epi8_mask(out, _mm512_set1_epi8(static_cast<char>(0xFF))) & starts) != 0) {
    return 0;
  }
  __m512i kind = _mm512_permutex2var_epi8(bt.ascii_kind[0], cur, bt.ascii_kind[1]);
  kind = _mm512_mask_mov_epi8(kind, ar_bytes, lookup256(bt.ar_kind, ar_index));
  kind = _mm512_mask_mov_epi8(kind, c2_bytes, lookup64(bt.c2_kind, cont_byte));

  // The key: bytes written, separators squeezed.
  const std::uint64_t written = _mm512_test_epi8_mask(out, out) & in;
  const std::uint64_t spaces = _mm512_cmpeq_epi8_mask(out, _mm512_set1_epi8(' ')) & starts;
  const std::uint64_t counted = written & starts;  // code points that are not dropped
  const std::uint64_t seps = _pext_u64(spaces, counted);
  const std::uint64_t kept_seps = seps & ~((seps << 1) | static_cast<std::uint64_t>(after_space));
  const std::uint64_t keep = (written & ~spaces) | _pdep_u64(kept_seps, counted);
  if (counted != 0) {
    after_space = ((seps >> (popcount(counted) - 1)) & 1) != 0;
  }
  const __m512i key = _mm512_maskz_compress_epi8(keep, out);
  const std::uint64_t key_length = popcount(keep);
  if (last) {
    _mm512_mask_storeu_epi8(w, _bzhi_u64(~std::uint64_t{0}, static_cast<unsigned>(key_length)), key);
  } else {
    _mm512_storeu_si512(w, key);
  }
  w += key_length;

  // The profile.
  const std::uint64_t space = of_kind(kind, CharKind::k_space) & starts;
  const std::uint64_t arabic = of_kind(kind, CharKind::k_arabic_letter) & starts;
  const std::uint64_t latin = of_kind(kind, CharKind::k_latin_letter) & starts;
  const std::uint64_t other = of_kind(kind, CharKind::k_letter) & starts;
  const std::uint64_t digit = of_kind(kind, CharKind::k_digit) & starts;
  const std::uint64_t mark = of_kind(kind, CharKind::k_mark) & starts;
  const std::uint64_t punct = of_kind(kind, CharKind::k_punct) & starts;
  CharProfile& pr = pb.p;
  pr.code_points += popcount(starts);
  pr.spaces += popcount(space);
  pr.arabic_letters += popcount(arabic);
  pr.latin_letters += popcount(latin);
  pr.letters += popcount(arabic | latin | other);
  pr.digits += popcount(digit);
  pr.punctuation += popcount(punct);
  pr.symbols += popcount(starts & ~(space | arabic | latin | other | digit | mark | punct));
  const std::uint64_t word = arabic | latin | other | digit;
  const std::uint64_t not_mark = starts & ~mark;
  const std::uint64_t words = _pext_u64(word, not_mark);
  pr.words += popcount(words & ~((words << 1) | static_cast<std::uint64_t>(pb.in_word)));
  if (not_mark != 0) {
    pb.in_word = ((words >> (popcount(not_mark) - 1)) & 1) != 0;
  }
  const std::uint64_t visible = starts & ~space;
  if (visible != 0) {
    pr.last = short_code_point(p, 63U - static_cast<unsigned>(__builtin_clzll(visible)));
    if (pr.first == 0) {
      std::uint64_t nonzero = visible & ~_mm512_cmpeq_epi8_mask(cur, _mm512_setzero_si512());
      if (nonzero != 0) {
        pr.first = short_code_point(p, static_cast<unsigned>(__builtin_ctzll(nonzero)));
      }
    }
  }
  return length;
}

// block64 over the blocks from p on while they qualify: returns where it stopped (end, or the
// start of the block that did not qualify).
DECRUFT_BLOCK_TARGET const unsigned char* blocks64(const BlockTables& tables, const unsigned char* p, const unsigned char* end,
                                                   char*& w, bool& after_space, ProfileBuilder& pb) {
  const BlockRegs regs = load_regs(tables);
  while (p < end) {
    std::size_t n = block64(regs, p, static_cast<std::size_t>(end - p), w, after_space, pb);
    if (n == 0) {
      break;
    }
    p += n;
  }
  return p;
}
#endif

// The fast path of match_key and, with kProfile, of key_and_profile: every code point also goes
// to the profile, and 64-byte blocks are taken where the CPU has AVX-512 VBMI2. Validation is
// fused into the loops: invalid UTF-8 (outside the contract, but a key is never invalid UTF-8)
// is repaired when a loop reaches it and the key computed again; text that needs ICU for its key
// takes the ICU path. Then the profile is computed apart (rare; its reading of invalid UTF-8 is
// its own). Blocks of eight bytes of one- and two-byte sequences: code point starts come from a
// bit mask, so finding the next one does not wait for the previous one's length.
template <bool kProfile>
KeyAndProfile fast_key(std::string_view s) {
  const Tables& t = tables();
  const auto& kinds = char_kinds();
  FastKey k(s.size());
  ProfileBuilder pb;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  char* w = k.w;
  bool after_space = k.after_space;
  auto put = [&](std::uint32_t v) {
    std::size_t len = (v >> 16) & 0xFF;
    bool separator = (v & k_small_separator) != 0;
    w[0] = static_cast<char>(v & 0xFF);
    w[1] = static_cast<char>((v >> 8) & 0xFF);
    w += len - static_cast<std::size_t>(separator & after_space);
    after_space = separator | (after_space & (len == 0));
  };
  auto general = [&]() {
    k.w = w;
    k.after_space = after_space;
    char32_t c = 0;
    Step step = general_step(t, k, p, end, c);
    w = k.w;
    after_space = k.after_space;
    if constexpr (kProfile) {
      if (step == Step::k_ok) {
        pb.add(c, char_kind(c));
      }
    }
    return step;
  };
  auto apart = [&](Step step) {
    if constexpr (kProfile) {
      return KeyAndProfile{restart(s, step), profile(s)};
    }
    return KeyAndProfile{restart(s, step), {}};
  };
#ifdef DECRUFT_KEY_BLOCKS
  const BlockTables* bt = kProfile && blocks_supported() ? &block_tables() : nullptr;
  const unsigned char* retry = p;  // after a block that did not qualify: scalar up to here
#endif
  while (p < end) {
#ifdef DECRUFT_KEY_BLOCKS
    if (bt != nullptr && p >= retry && pb.unspaced == 0) {
      p = blocks64(*bt, p, end, w, after_space, pb);
      if (p == end) {
        break;
      }
      retry = p + 64;
    }
#endif
    if (end - p <= 8) {
      // The last bytes.
      if (Step step = general(); step != Step::k_ok) {
        return apart(step);
      }
      continue;
    }
    ShortSequences block = short_sequences(p);
    if (block.length == 0) {
      const unsigned char* stop = p + 4;
      while (p < stop) {
        std::uint32_t b0 = p[0];
        bool two = b0 >= 0xC2 && b0 <= 0xDF && (p[1] & 0xC0) == 0x80;
        std::uint32_t c = two ? ((b0 & 0x1F) << 6) | (p[1] & 0x3F) : b0;
        std::uint32_t v = b0 < 0x80 || two ? t.small[c] : k_small_general;
        if ((v & k_small_general) != 0) {
          if (Step step = general(); step != Step::k_ok) {
            return apart(step);
          }
          continue;
        }
        put(v);
        if constexpr (kProfile) {
          pb.add(c, kinds[c]);
        }
        p += two ? 2 : 1;
      }
      continue;
    }
    std::uint64_t starts = block.starts;
    const unsigned char* next = p + block.length;
    while (starts != 0) {
      const unsigned char* q = p + (std::countr_zero(starts) >> 3);
      starts &= starts - 1;
      std::uint32_t b0 = q[0];
      std::uint32_t two = 0U - (b0 >> 7);
      std::uint32_t c = (b0 & ~two) | ((((b0 & 0x1F) << 6) | (q[1] & 0x3F)) & two);
      std::uint32_t v = t.small[c];
      if ((v & k_small_general) != 0) {
        p = q;
        if (Step step = general(); step != Step::k_ok) {
          return apart(step);
        }
        next = p;
        break;
      }
      put(v);
      if constexpr (kProfile) {
        pb.add(c, kinds[c]);
      }
    }
    p = next;
  }
  k.w = w;
  k.after_space = after_space;
  return KeyAndProfile{k.take(), pb.p};
}

}  // namespace

std::string match_key(std::string_view s) { return fast_key<false>(s).key; }

KeyAndProfile key_and_profile(std::string_view s) { return fast_key<true>(s); }

std::string match_key_icu(std::string_view s) {
  if (!is_valid_utf8(s)) {
    return slow_key(tables(), repair_utf8(s).text);
  }
  return slow_key(tables(), s);
}

}  // namespace decruft::text
