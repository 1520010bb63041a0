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

struct Tables {
  const icu::Normalizer2* nfkc_cf = nullptr;
  std::array<Entry, k_table_size> entries{};
  std::array<char, 128> ascii{};  // lower-cased byte, or 0 for a separator

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
    for (int b = 0; b < 128; ++b) {
      const Entry& e = entries[static_cast<std::size_t>(b)];
      if (e.kind == Kind::k_copy) {
        ascii[static_cast<std::size_t>(b)] = static_cast<char>(b);
      } else if (e.kind == Kind::k_replace && e.len == 1) {
        ascii[static_cast<std::size_t>(b)] = e.bytes[0];
      } else {
        ascii[static_cast<std::size_t>(b)] = 0;  // separators (and nothing else in ASCII)
      }
    }
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

std::string match_key(std::string_view s) {
  const Tables& t = tables();
  std::string repaired;
  if (!is_valid_utf8(s)) {
    repaired = repair_utf8(s).text;  // outside the contract, but never emit invalid UTF-8
    s = repaired;
  }
  // The fast path writes into a raw buffer sized for the common case (a key is rarely longer
  // than its text); a long expansion (the ligature U+FDFA is 18 bytes of key) grows it.
  std::string out;
  out.resize(s.size() + 16);
  char* w = out.data();
  char* begin = w;
  bool pending = false;  // a separator run since the last text written
  auto put = [&](const char* bytes, std::size_t len) {
    if (static_cast<std::size_t>(w - begin) + len + 1 > out.size()) {
      std::size_t used = static_cast<std::size_t>(w - begin);
      out.resize(2 * out.size() + len + 1);
      begin = out.data();
      w = begin + used;
    }
    if (pending) {
      *w++ = ' ';
      pending = false;
    }
    std::memcpy(w, bytes, len);
    w += len;
  };
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char b = *p;
    if (b < 0x80) {
      char c = t.ascii[b];
      if (c == 0) {
        pending = w != begin;
      } else {
        put(&c, 1);
      }
      ++p;
      continue;
    }
    std::size_t i = static_cast<std::size_t>(p - reinterpret_cast<const unsigned char*>(s.data()));
    std::size_t start = i;
    char32_t c = next_code_point(s, i);
    std::size_t len = i - start;
    const Entry* e = c < 0x800 ? &t.entries[c] : t.find(c);
    if (e == nullptr) {
      // Outside the tables: fine as long as NFKC_Casefold leaves it alone and it does not
      // interact with its neighbours (most CJK, emoji, ...).
      if (t.nfkc_cf == nullptr || t.nfkc_cf->isInert(static_cast<UChar32>(c)) == 0) {
        return slow_key(t, s);
      }
      Folded f = fold_code_point(static_cast<UChar32>(c));
      std::string one;
      if (f.fold == Fold::k_keep || f.fold == Fold::k_replace) {
        append_utf8(one, f.fold == Fold::k_keep ? c : static_cast<char32_t>(f.to));
        put(one.data(), one.size());
      } else if (f.fold == Fold::k_separator) {
        pending = w != begin;
      }
      p += len;
      continue;
    }
    switch (e->kind) {
      case Kind::k_slow:
        return slow_key(t, s);
      case Kind::k_copy:
        put(reinterpret_cast<const char*>(p), len);
        break;
      case Kind::k_replace:
        put(e->bytes.data(), e->len);
        break;
      case Kind::k_drop:
        break;
      case Kind::k_separator:
        pending = w != begin;
        break;
    }
    p += len;
  }
  out.resize(static_cast<std::size_t>(w - begin));
  return out;
}

std::string match_key_icu(std::string_view s) {
  if (!is_valid_utf8(s)) {
    return slow_key(tables(), repair_utf8(s).text);
  }
  return slow_key(tables(), s);
}

}  // namespace decruft::text
