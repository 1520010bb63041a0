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

#include "text/utf8.h"

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
Step general_step(const Tables& t, FastKey& k, const unsigned char*& p, const unsigned char* end) {
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

}  // namespace

std::string match_key(std::string_view s) {
  // Validation is fused into the loops: invalid UTF-8 (outside the contract, but a key is never
  // invalid UTF-8) is repaired when a loop reaches it, and the key computed again.
  const Tables& t = tables();
  FastKey k(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  // The write position and separator state live in locals (stores through char* could alias
  // the members), handed back and forth around general_step.
  char* w = k.w;
  bool after_space = k.after_space;
  // One U+0000-07FF code point whose Tables::small entry is not k_small_general: the key bytes
  // are written unconditionally and counted by len; a separator's entry is one space, counted
  // unless the last byte written is one.
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
    Step step = general_step(t, k, p, end);
    w = k.w;
    after_space = k.after_space;
    return step;
  };
  // Blocks of eight bytes of one- and two-byte sequences: code point starts come from a bit
  // mask, so finding the next one does not wait for the previous one's length.
  while (end - p > 8) {
    ShortSequences block = short_sequences(p);
    if (block.length == 0) {
      // A long or invalid sequence nearby: one code point at a time past it.
      const unsigned char* stop = p + 4;
      while (p < stop) {
        std::uint32_t b0 = p[0];
        bool two = b0 >= 0xC2 && b0 <= 0xDF && (p[1] & 0xC0) == 0x80;
        std::uint32_t v = b0 < 0x80 ? t.small[b0] : two ? t.small[((b0 & 0x1F) << 6) | (p[1] & 0x3F)] : k_small_general;
        if ((v & k_small_general) != 0) {
          if (Step step = general(); step != Step::k_ok) {
            return restart(s, step);
          }
          continue;
        }
        put(v);
        p += two ? 2 : 1;
      }
      continue;
    }
    std::uint64_t starts = block.starts;
    const unsigned char* next = p + block.length;
    while (starts != 0) {
      const unsigned char* q = p + (std::countr_zero(starts) >> 3);
      starts &= starts - 1;
      // A select by mask, not a branch: spaces come every few code points, at random.
      std::uint32_t b0 = q[0];
      std::uint32_t two = 0U - (b0 >> 7);
      std::uint32_t c = (b0 & ~two) | ((((b0 & 0x1F) << 6) | (q[1] & 0x3F)) & two);
      std::uint32_t v = t.small[c];
      if ((v & k_small_general) != 0) {
        p = q;
        if (Step step = general(); step != Step::k_ok) {
          return restart(s, step);
        }
        next = p;  // the rest of the block again, from the next code point
        break;
      }
      put(v);
    }
    p = next;
  }
  // The last bytes.
  while (p < end) {
    if (Step step = general(); step != Step::k_ok) {
      return restart(s, step);
    }
  }
  k.w = w;
  k.after_space = after_space;
  return k.take();
}

std::string match_key_icu(std::string_view s) {
  if (!is_valid_utf8(s)) {
    return slow_key(tables(), repair_utf8(s).text);
  }
  return slow_key(tables(), s);
}

}  // namespace decruft::text
