// Block-text normalisation: one pass over the code points applies the cheap rules (invisible
// characters, presentation forms, tatweel, spacing, punctuation spacing), then ICU composes to NFC
// only when the pass saw a code point that can change under NFC.
//
// Order matters for idempotency: the custom rules run first and NFC last, because removing an
// invisible character or folding a presentation form can bring a base letter next to a combining
// mark (ا + ZWJ + ٓ  ->  ا + ٓ  ->  آ). NFC never produces anything the custom rules act on
// (presentation forms, invisible characters, tatweel, white space or ، ؛ ؟ are never outputs of a
// canonical composition or of a canonical singleton that was not already white space), so a
// second run finds nothing to do.
#include "text/normalize.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uset.h>

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define DECRUFT_NORMALIZE_AVX2 1
#endif

#include "core/reasons.h"
#include "core/step.h"
#include "text/utf8.h"

namespace decruft::text {

namespace {

// Character classes, one bit each, looked up per code point.
enum : std::uint16_t {
  k_space = 1U << 0,          // White_Space (incl. NBSP, thin spaces, line/paragraph separators)
  k_invisible = 1U << 1,      // format/bidi/zero-width characters and control codes, always stripped
  k_zwnj = 1U << 2,           // U+200C: kept between two letters only
  k_zwj = 1U << 3,            // U+200D: kept inside emoji sequences only
  k_presentation = 1U << 4,   // Arabic presentation form with a compatibility decomposition
  k_tatweel = 1U << 5,        // U+0640
  k_arabic_punct = 1U << 6,   // ، ؛ ؟ (a space is inserted after them before a word)
  k_letter = 1U << 7,         // general category L*
  k_digit = 1U << 8,          // general category Nd
  k_mark = 1U << 9,           // general category M*
  k_nfc_check = 1U << 10,     // NFC_Quick_Check != Yes: NFC may change the text (see also ccc)
  k_opener = 1U << 11,        // « ( [ : start a word for the punctuation-spacing rule
  k_pictographic = 1U << 12,  // Extended_Pictographic, emoji modifiers, VS16: ZWJ sequences
  k_combining = 1U << 13,     // canonical combining class != 0 (NFC orders such marks)
};

bool in_presentation_ranges(UChar32 c) {
  return (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

// The ICU properties a class is made of, for one code point.
struct Props {
  bool white = false;         // White_Space
  std::uint32_t gc_mask = 0;  // U_MASK of the general category
  bool nfc_maybe = false;     // NFC_Quick_Check != Yes
  std::uint8_t ccc = 0;       // canonical combining class
  bool pictographic = false;  // Extended_Pictographic or Emoji_Modifier
};

// Asks ICU one property at a time (supplementary code points at run time; the tables' check).
Props props_of(UChar32 c) {
  Props p;
  p.white = u_isUWhiteSpace(c) != 0;
  p.gc_mask = static_cast<std::uint32_t>(U_GET_GC_MASK(c));
  p.nfc_maybe = u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) != UNORM_YES;
  p.ccc = static_cast<std::uint8_t>(u_getCombiningClass(c));
  p.pictographic =
      u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) != 0 || u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER) != 0;
  return p;
}

bool is_invisible(UChar32 c, const Props& props) {
  switch (c) {
    case 0x00AD:  // soft hyphen
    case 0x061C:  // ARABIC LETTER MARK
    case 0x180E:  // Mongolian vowel separator (a zero-width space in older data)
    case 0x200B:  // zero width space
    case 0x200E:  // LRM
    case 0x200F:  // RLM
    case 0xFEFF:  // BOM / zero width no-break space
      return true;
    default:
      break;
  }
  if ((c >= 0x202A && c <= 0x202E) ||  // LRE RLE PDF LRO RLO
      (c >= 0x2060 && c <= 0x2064) ||  // word joiner, invisible operators
      (c >= 0x2066 && c <= 0x206F)) {  // LRI RLI FSI PDI, deprecated format characters
    return true;
  }
  // Control codes other than white space: NUL, ESC, DEL, C1 controls.
  return (props.gc_mask & U_GC_CC_MASK) != 0 && !props.white;
}

std::uint16_t classify(UChar32 c, const Props& props, const icu::Normalizer2* nfkc) {
  std::uint16_t cls = 0;
  if (props.white) {
    cls |= k_space;
  } else if (c == 0x200C) {
    cls |= k_zwnj;
  } else if (c == 0x200D) {
    cls |= k_zwj;
  } else if (is_invisible(c, props)) {
    cls |= k_invisible;
  }
  if (c == 0x0640) {
    cls |= k_tatweel;
  }
  if (c == 0x060C || c == 0x061B || c == 0x061F) {
    cls |= k_arabic_punct;
  }
  if (c == 0x00AB || c == '(' || c == '[') {
    cls |= k_opener;
  }
  std::uint32_t gc_mask = props.gc_mask;
  if ((gc_mask & U_GC_L_MASK) != 0) {
    cls |= k_letter;
  }
  if ((gc_mask & U_GC_ND_MASK) != 0) {
    cls |= k_digit;
  }
  if ((gc_mask & U_GC_M_MASK) != 0) {
    cls |= k_mark;
  }
  if (props.nfc_maybe) {
    cls |= k_nfc_check;
  }
  if (props.ccc != 0) {
    cls |= k_combining;
  }
  if (props.pictographic || c == 0xFE0F) {
    cls |= k_pictographic;
  }
  if (nfkc != nullptr && in_presentation_ranges(c) && nfkc->isInert(c) == 0) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString one(c);
    if (!nfkc->isNormalized(one, status) && U_SUCCESS(status)) {
      cls |= k_presentation;
    }
  }
  return cls;
}

// The properties of every BMP code point: general category, White_Space and the emoji properties
// range by range (u_enumCharTypes, property sets) instead of one lookup each per code point, which
// made the one-time table build cost as much as normalising 8 MB. Falls back to props_of() if ICU
// cannot give a set.
std::vector<Props> bmp_props() {
  std::vector<Props> props(0x10000);
  UErrorCode status = U_ZERO_ERROR;
  const USet* white = u_getBinaryPropertySet(UCHAR_WHITE_SPACE, &status);
  const USet* pictographic = u_getBinaryPropertySet(UCHAR_EXTENDED_PICTOGRAPHIC, &status);
  const USet* modifier = u_getBinaryPropertySet(UCHAR_EMOJI_MODIFIER, &status);
  if (U_FAILURE(status)) {
    for (UChar32 c = 0; c < 0x10000; ++c) {
      props[static_cast<std::size_t>(c)] = props_of(c);
    }
    return props;
  }
  // General categories by range (ICU walks its trie; a map would be built for all of Unicode).
  u_enumCharTypes(
      [](const void* context, UChar32 start, UChar32 limit, UCharCategory type) -> UBool {
        auto& all = *static_cast<std::vector<Props>*>(const_cast<void*>(context));
        for (UChar32 c = start; c < limit && c < 0x10000; ++c) {
          all[static_cast<std::size_t>(c)].gc_mask = U_MASK(type);
        }
        return limit < 0x10000;
      },
      &props);
  for (UChar32 c = 0; c < 0x10000; ++c) {
    Props& p = props[static_cast<std::size_t>(c)];
    p.nfc_maybe = u_getIntPropertyValue(c, UCHAR_NFC_QUICK_CHECK) != UNORM_YES;
    p.ccc = static_cast<std::uint8_t>(u_getCombiningClass(c));
  }
  auto each_member = [](const USet* set, auto&& mark) {
    for (std::int32_t i = 0, n = uset_getItemCount(set); i < n; ++i) {
      UChar32 start = 0;
      UChar32 end = 0;
      UErrorCode st = U_ZERO_ERROR;
      if (uset_getItem(set, i, &start, &end, nullptr, 0, &st) != 0) {
        continue;  // a string, not a range
      }
      for (UChar32 c = start; c <= end && c < 0x10000; ++c) {
        mark(c);
      }
    }
  };
  each_member(white, [&](UChar32 c) { props[static_cast<std::size_t>(c)].white = true; });
  each_member(pictographic, [&](UChar32 c) { props[static_cast<std::size_t>(c)].pictographic = true; });
  each_member(modifier, [&](UChar32 c) { props[static_cast<std::size_t>(c)].pictographic = true; });
  return props;
}

int cpu_simd_level();

// The BMP class table and the presentation-form replacements, built once (thread-safe static
// initialisation) from ICU's properties, so the hot loop never calls ICU per code point.
struct Tables {
  std::array<std::uint16_t, 0x10000> cls{};
  // Canonical combining class: NFC also reorders marks whose classes are out of order.
  std::array<std::uint8_t, 0x10000> ccc{};
  // Replacement (NFKC of the code point, UTF-8) of each presentation form, indexed by
  // c - 0xFB50 (0xFB50..0xFEFF; entries outside the two ranges stay empty).
  std::vector<std::string> presentation;
  const icu::Normalizer2* nfc = nullptr;
  int simd = cpu_simd_level();  // plain runs checked 64 (2: AVX-512BW) or 32 (1: AVX2) bytes at a time

  Tables() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) {
      nfkc = nullptr;  // no ICU data: presentation forms are left as they are
    }
    status = U_ZERO_ERROR;
    nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) {
      nfc = nullptr;
    }
    std::vector<Props> props = bmp_props();
    for (UChar32 c = 0; c < 0x10000; ++c) {
      const Props& p = props[static_cast<std::size_t>(c)];
      cls[static_cast<std::size_t>(c)] = (c >= 0xD800 && c <= 0xDFFF) ? 0 : classify(c, p, nfkc);
      ccc[static_cast<std::size_t>(c)] = (c >= 0xD800 && c <= 0xDFFF) ? 0 : p.ccc;
    }
    presentation.resize(0xFF00 - 0xFB50);
    for (UChar32 c = 0xFB50; c < 0xFF00; ++c) {
      if ((cls[static_cast<std::size_t>(c)] & k_presentation) == 0) {
        continue;
      }
      status = U_ZERO_ERROR;
      icu::UnicodeString folded = nfkc->normalize(icu::UnicodeString(c), status);
      if (U_FAILURE(status)) {
        cls[static_cast<std::size_t>(c)] &= static_cast<std::uint16_t>(~k_presentation);
        continue;
      }
      std::string utf8;
      folded.toUTF8String(utf8);
      presentation[static_cast<std::size_t>(c - 0xFB50)] = std::move(utf8);
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

std::uint16_t class_of(const Tables& t, char32_t c) {
  if (c < 0x10000) {
    return t.cls[c];
  }
  return classify(static_cast<UChar32>(c), props_of(static_cast<UChar32>(c)), nullptr);  // rare: ask ICU
}

std::uint8_t ccc_of(const Tables& t, char32_t c) {
  return c < 0x10000 ? t.ccc[c] : static_cast<std::uint8_t>(u_getCombiningClass(static_cast<UChar32>(c)));
}

// Decodes the code point at p (valid UTF-8, at least one byte left) and its length.
inline char32_t decode(const unsigned char* p, const unsigned char* end, std::size_t& len) {
  unsigned char b = p[0];
  if (b < 0x80) {
    len = 1;
    return b;
  }
  if (b < 0xE0 && end - p >= 2) {
    len = 2;
    return (static_cast<char32_t>(b & 0x1F) << 6) | (p[1] & 0x3F);
  }
  if (b < 0xF0 && end - p >= 3) {
    len = 3;
    return (static_cast<char32_t>(b & 0x0F) << 12) | (static_cast<char32_t>(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
  }
  if (end - p >= 4) {
    len = 4;
    return (static_cast<char32_t>(b & 0x07) << 18) | (static_cast<char32_t>(p[1] & 0x3F) << 12) |
           (static_cast<char32_t>(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
  }
  len = static_cast<std::size_t>(end - p);
  return 0xFFFD;
}

// Paragraphs of news text are nearly all Arabic letters, ASCII and single spaces, and nearly all of
// them are already normal: those bytes are checked 16 or 32 at a time instead of one code point at
// a time. A byte is "plain" when no rule (under any options) and no NFC step can touch it:
//   - printable ASCII (0x21-0x7E; '(' and '[' only matter right after ، ؛ ؟, which never happens
//     below because those must be followed by a space here);
//   - a space that does not follow a space (collapse_spaces keeps it; the first and last byte of
//     the text are never looked at here, so leading and trailing spaces never pass);
//   - "letters": U+0620-063F, U+0641-064A, U+0660-066F, U+0671-067F (Arabic letters, digits and
//     ٪ ٫ ٬ ٭: combining class 0, NFC_Quick_Check=Yes; not U+0640 tatweel, not U+0670);
//   - U+064B-0652 (fathatan .. sukun, NFC_Quick_Check=Yes, so they compose with nothing) right
//     after such a letter: a mark after a base character is in canonical order;
//   - ، ؛ ؟ followed by a space (no space is inserted after them);
//   - « and ».
// Anything else (other scripts, the second of two marks, control codes, NBSP, invisible
// characters, presentation forms, 3- and 4-byte sequences) ends the run and goes through the
// per-code-point code. Lead bytes pass on their own; the continuation byte, checked with the
// byte before it, decides for the pair, so only 2-byte sequences with the leads above get through.
// Valid UTF-8 only.

// The masks of one block, bit i for byte i (32 bits for 16- and 32-byte blocks, 64 for 64).
template <typename Bits>
struct BlockBits {
  Bits ok;      // plain on its own (every space, too)
  Bits space;   // ' '
  Bits letter;  // continuation byte of a letter above
  Bits mark;    // continuation byte of U+064B-0652
};

// The bytes of a block that are not plain: a space after a space, a mark not after a letter.
// `letters_before` holds in its bits 0 and 1 whether the bytes 2 and 1 before the block end a
// letter; `space_before` whether the byte before is a space.
template <typename Bits>
inline Bits not_plain(const BlockBits<Bits>& b, Bits letters_before, bool space_before) {
  Bits after_letter = (b.letter << 2) | letters_before;
  Bits after_space = (b.space << 1) | (space_before ? 1U : 0U);
  return ~(b.ok | (b.mark & after_letter)) | (b.space & after_space);
}

// Whether the two bytes lead, cont are one of the letters above.
inline bool is_letter(unsigned char lead, unsigned char cont) {
  return (lead == 0xD8 && cont >= 0xA0) ||
         (lead == 0xD9 && ((cont >= 0x81 && cont <= 0x8A) || (cont >= 0xA0 && cont != 0xB0)));
}

// Bits 0 and 1 of `letters_before` for a block starting at p (reads p[-3] .. p[-1]).
inline std::uint32_t letters_before(const unsigned char* p) {
  return (is_letter(p[-3], p[-2]) ? 1U : 0U) | (is_letter(p[-2], p[-1]) ? 2U : 0U);
}

// Where the block of `width` bytes at p stops being plain: p + width when it all is, else the
// first byte that is not, moved back over a lead byte whose continuation byte failed (or that
// ends the block: its continuation byte is checked with the next block).
template <typename Bits>
inline const unsigned char* plain_end(const unsigned char* p, Bits bad, unsigned width) {
  if (bad == 0) {
    return p + width - (p[width - 1] >> 6 == 3 ? 1 : 0);  // branch-free: half of the blocks end so
  }
  auto n = static_cast<unsigned>(std::countr_zero(bad));
  return n == 0 ? p : p + n - (p[n - 1] >= 0xC0 ? 1 : 0);
}

// A byte repeated 32 times, for the vector compares below: loaded from memory behind an empty asm,
// because GCC otherwise rebuilds each constant inside the loops (three instructions) for want of
// registers; this way they are loaded once and, when spilled, read as memory operands.
template <unsigned V>
struct Splat {
  alignas(32) static constexpr std::array<unsigned char, 32> bytes = [] {
    std::array<unsigned char, 32> a{};
    a.fill(static_cast<unsigned char>(V));
    return a;
  }();
};

#if defined(__SSE2__)
namespace sse2 {
template <unsigned V>
inline __m128i byte() {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(Splat<V>::bytes.data()));
  asm("" : "+x"(v));  // opaque: GCC would fold the load into a constant it rebuilds in the loop
  return v;
}
inline __m128i load(const unsigned char* q) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
}
template <unsigned B>
inline __m128i eq(__m128i v) {
  return _mm_cmpeq_epi8(v, byte<B>());
}
// lo <= v <= hi, unsigned: v - lo does not exceed hi - lo.
template <unsigned Lo, unsigned Hi>
inline __m128i in(__m128i v) {
  __m128i d = _mm_sub_epi8(v, byte<Lo>());
  return _mm_cmpeq_epi8(_mm_min_epu8(d, byte<Hi - Lo>()), d);
}
inline std::uint32_t bits(__m128i v) {
  return static_cast<std::uint32_t>(_mm_movemask_epi8(v));
}
}  // namespace sse2
#endif

#if defined(__SSE2__)
// The masks of the 16 bytes at p (reads p[-1] .. p[16]). Always inlined: called apart, it would
// load its constants again on every block.
[[gnu::always_inline]] inline BlockBits<std::uint32_t> block_16(const unsigned char* p) {
  using sse2::bits;
  using sse2::byte;
  using sse2::eq;
  using sse2::in;
  using sse2::load;
  __m128i x = load(p);
  __m128i before = load(p - 1);
  __m128i after = load(p + 1);
  // Printable ASCII and space (signed compare: bytes >= 0x80 fail), lead bytes.
  __m128i ascii = _mm_andnot_si128(eq<0x7F>(x), _mm_cmpgt_epi8(x, byte<0x1F>()));
  __m128i lead = eq<0xC0>(_mm_and_si128(x, byte<0xC0>()));
  __m128i after_d8 = eq<0xD8>(before);
  __m128i after_d9 = eq<0xD9>(before);
  __m128i high = _mm_cmpgt_epi8(x, byte<0x9F>());  // signed: a continuation byte 0xA0-0xBF
  __m128i letter =
      _mm_or_si128(_mm_and_si128(after_d8, high),
                   _mm_and_si128(after_d9, _mm_or_si128(in<0x81, 0x8A>(x), _mm_andnot_si128(eq<0xB0>(x), high))));
  // ، (D8 8C), ؛ (D8 9B), ؟ (D8 9F) before a space; « (C2 AB), » (C2 BB).
  __m128i punct = _mm_and_si128(_mm_and_si128(after_d8, eq<0x20>(after)),
                                _mm_or_si128(eq<0x8C>(x), eq<0x9F>(_mm_or_si128(x, byte<0x04>()))));
  __m128i guillemet = _mm_and_si128(eq<0xC2>(before), eq<0xBB>(_mm_or_si128(x, byte<0x10>())));
  BlockBits<std::uint32_t> b{};
  b.ok = bits(_mm_or_si128(_mm_or_si128(ascii, lead), _mm_or_si128(letter, _mm_or_si128(punct, guillemet))));
  b.space = bits(eq<0x20>(x));
  b.letter = bits(letter);
  b.mark = bits(_mm_and_si128(after_d9, in<0x8B, 0x92>(x)));
  return b;
}
#endif

// The plain run from p, 16 bytes at a time. Reads p[-3] .. p[16] and further on, so the caller
// ensures at least three bytes before p and 17 from p on. Returns the end of the run, on a code
// point boundary and never past end - 2 (the last byte of the text always takes the careful path).
// The bytes short of a whole block at the end are checked with the block that ends at end - 2,
// overlapping bytes already passed (whether a byte is plain depends only on its neighbours, so
// checking it twice gives the same answer): the text's last bytes then need no narrower pass and
// no per-code-point loop.
inline const unsigned char* plain_prefix_16(const unsigned char* p, const unsigned char* end) {
#if defined(__SSE2__)
  if (end - p < 17) {
    return p;
  }
  std::uint32_t letters = letters_before(p);
  while (end - p >= 17) {
    BlockBits<std::uint32_t> b = block_16(p);
    std::uint32_t bad = not_plain(b, letters, p[-1] == ' ') & 0xFFFFU;
    const unsigned char* q = plain_end(p, bad, 16);
    if (bad != 0) {
      return q;
    }
    letters = (b.letter >> (q - p - 2)) & 3U;
    p = q;
  }
  if (end - p < 2) {
    return p;  // only the last byte is left
  }
  const unsigned char* s = end - 17;  // s >= the first p: the loop ran
  BlockBits<std::uint32_t> b = block_16(s);
  std::uint32_t bad = not_plain(b, letters_before(s), s[-1] == ' ') & 0xFFFFU & (~0U << (p - s));
  return plain_end(s, bad, 16);
#else
  (void)end;
  return p;
#endif
}

#if defined(DECRUFT_NORMALIZE_AVX2)
// The same test 32 bytes at a time, for CPUs with AVX2 (checked at run time; the build targets
// plain x86-64). Helpers instead of lambdas: a lambda would not inherit the target attribute.
namespace avx2 {
#define DECRUFT_AVX2 __attribute__((target("avx2")))
template <unsigned V>
DECRUFT_AVX2 inline __m256i byte() {
  __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(Splat<V>::bytes.data()));
  asm("" : "+x"(v));  // opaque: GCC would fold the load into a broadcast it rebuilds in the loop
  return v;
}
DECRUFT_AVX2 inline __m256i load(const unsigned char* q) {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q));
}
template <unsigned B>
DECRUFT_AVX2 inline __m256i eq(__m256i v) {
  return _mm256_cmpeq_epi8(v, byte<B>());
}
template <unsigned Lo, unsigned Hi>
DECRUFT_AVX2 inline __m256i in(__m256i v) {
  __m256i d = _mm256_sub_epi8(v, byte<Lo>());
  return _mm256_cmpeq_epi8(_mm256_min_epu8(d, byte<Hi - Lo>()), d);
}
DECRUFT_AVX2 inline __m256i either(__m256i a, __m256i b) {
  return _mm256_or_si256(a, b);
}
DECRUFT_AVX2 inline __m256i both(__m256i a, __m256i b) {
  return _mm256_and_si256(a, b);
}
DECRUFT_AVX2 inline std::uint32_t bits(__m256i v) {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(v));
}

[[gnu::always_inline]] DECRUFT_AVX2 inline BlockBits<std::uint32_t> block_32(const unsigned char* p) {
  __m256i x = load(p);
  __m256i before = load(p - 1);
  __m256i after = load(p + 1);
  __m256i ascii = _mm256_andnot_si256(eq<0x7F>(x), _mm256_cmpgt_epi8(x, byte<0x1F>()));
  __m256i lead = eq<0xC0>(both(x, byte<0xC0>()));
  __m256i after_d8 = eq<0xD8>(before);
  __m256i after_d9 = eq<0xD9>(before);
  __m256i high = _mm256_cmpgt_epi8(x, byte<0x9F>());
  __m256i letter =
      either(both(after_d8, high), both(after_d9, either(in<0x81, 0x8A>(x), _mm256_andnot_si256(eq<0xB0>(x), high))));
  __m256i punct = both(both(after_d8, eq<0x20>(after)), either(eq<0x8C>(x), eq<0x9F>(either(x, byte<0x04>()))));
  __m256i guillemet = both(eq<0xC2>(before), eq<0xBB>(either(x, byte<0x10>())));
  BlockBits<std::uint32_t> b{};
  b.ok = bits(either(either(ascii, lead), either(letter, either(punct, guillemet))));
  b.space = bits(eq<0x20>(x));
  b.letter = bits(letter);
  b.mark = bits(both(after_d9, in<0x8B, 0x92>(x)));
  return b;
}

DECRUFT_AVX2 const unsigned char* plain_prefix_32(const unsigned char* p, const unsigned char* end) {
  if (end - p < 33) {
    return plain_prefix_16(p, end);
  }
  std::uint32_t letters = letters_before(p);
  while (end - p >= 33) {
    BlockBits<std::uint32_t> b = block_32(p);
    std::uint32_t bad = not_plain(b, letters, p[-1] == ' ');
    const unsigned char* q = plain_end(p, bad, 32);
    if (bad != 0) {
      return q;
    }
    letters = (b.letter >> (q - p - 2)) & 3U;
    p = q;
  }
  if (end - p < 2) {
    return p;
  }
  const unsigned char* s = end - 33;  // the last block again, overlapping (see plain_prefix_16)
  BlockBits<std::uint32_t> b = block_32(s);
  std::uint32_t bad = not_plain(b, letters_before(s), s[-1] == ' ') & (~0U << (p - s));
  return plain_end(s, bad, 32);
}
#undef DECRUFT_AVX2
}  // namespace avx2

// The same test 64 bytes at a time with AVX-512BW, where the compares give bit masks directly
// (no movemask) and a 64-bit mask covers the block: half the iterations of plain_prefix_32.
namespace avx512 {
#define DECRUFT_AVX512 __attribute__((target("avx2,avx512f,avx512bw,bmi")))
DECRUFT_AVX512 inline __m512i load(const unsigned char* q) {
  return _mm512_loadu_si512(q);
}
DECRUFT_AVX512 inline __m512i splat(unsigned char b) {
  return _mm512_set1_epi8(static_cast<char>(b));
}
DECRUFT_AVX512 inline std::uint64_t eq(__m512i v, unsigned char b) {
  return _mm512_cmpeq_epi8_mask(v, splat(b));
}
// lo <= v <= hi, unsigned.
DECRUFT_AVX512 inline std::uint64_t in(__m512i v, unsigned char lo, unsigned char hi) {
  return _mm512_cmple_epu8_mask(_mm512_sub_epi8(v, splat(lo)), splat(static_cast<unsigned char>(hi - lo)));
}

[[gnu::always_inline]] DECRUFT_AVX512 inline BlockBits<std::uint64_t> block_64(const unsigned char* p) {
  __m512i x = load(p);
  __m512i before = load(p - 1);
  __m512i after = load(p + 1);
  std::uint64_t ascii = in(x, 0x20, 0x7E);
  std::uint64_t lead = _mm512_cmpge_epu8_mask(x, splat(0xC0));
  std::uint64_t after_d8 = eq(before, 0xD8);
  std::uint64_t after_d9 = eq(before, 0xD9);
  // After D8 or D9 the byte is a continuation byte (valid UTF-8): 0xA0-0xBF.
  std::uint64_t high = _mm512_cmpge_epu8_mask(x, splat(0xA0));
  std::uint64_t letter = (after_d8 & high) | (after_d9 & (in(x, 0x81, 0x8A) | (high & ~eq(x, 0xB0))));
  std::uint64_t punct = after_d8 & eq(after, 0x20) & (eq(x, 0x8C) | eq(x, 0x9B) | eq(x, 0x9F));
  std::uint64_t guillemet = eq(before, 0xC2) & (eq(x, 0xAB) | eq(x, 0xBB));
  BlockBits<std::uint64_t> b{};
  b.ok = ascii | lead | letter | punct | guillemet;
  b.space = eq(x, 0x20);
  b.letter = letter;
  b.mark = after_d9 & in(x, 0x8B, 0x92);
  return b;
}

DECRUFT_AVX512 const unsigned char* plain_prefix_64(const unsigned char* p, const unsigned char* end) {
  if (end - p < 65) {
    return avx2::plain_prefix_32(p, end);
  }
  std::uint64_t letters = letters_before(p);
  while (end - p >= 65) {
    BlockBits<std::uint64_t> b = block_64(p);
    std::uint64_t bad = not_plain(b, letters, p[-1] == ' ');
    const unsigned char* q = plain_end(p, bad, 64);
    if (bad != 0) {
      return q;
    }
    letters = (b.letter >> (q - p - 2)) & 3U;
    p = q;
  }
  if (end - p < 2) {
    return p;
  }
  const unsigned char* s = end - 65;  // the last block again, overlapping (see plain_prefix_16)
  BlockBits<std::uint64_t> b = block_64(s);
  std::uint64_t bad = not_plain(b, std::uint64_t{letters_before(s)}, s[-1] == ' ') & (~std::uint64_t{0} << (p - s));
  return plain_end(s, bad, 64);
}
#undef DECRUFT_AVX512
}  // namespace avx512

int cpu_simd_level() {
  if (__builtin_cpu_supports("avx512bw") != 0 && __builtin_cpu_supports("avx512f") != 0 &&
      __builtin_cpu_supports("avx2") != 0) {
    return 2;
  }
  return __builtin_cpu_supports("avx2") != 0 ? 1 : 0;
}
#else
int cpu_simd_level() {
  return 0;
}
#endif

// plain_prefix_64 or plain_prefix_32 where the CPU has it, else plain_prefix_16.
inline const unsigned char* plain_prefix(const unsigned char* p, const unsigned char* end, int simd) {
#if defined(DECRUFT_NORMALIZE_AVX2)
  if (simd == 2) {
    return avx512::plain_prefix_64(p, end);
  }
  if (simd == 1) {
    return avx2::plain_prefix_32(p, end);
  }
#else
  (void)simd;
#endif
  return plain_prefix_16(p, end);
}

// The code point that ends right before p (valid UTF-8, p not at the start of the text).
inline char32_t last_code_point(const unsigned char* p) {
  const unsigned char* q = p - 1;
  while ((*q & 0xC0) == 0x80) {
    --q;
  }
  std::size_t len = 0;
  return decode(q, p, len);
}

// The single pass. Writes into a buffer sized for the worst case of the non-expanding rules
// (an inserted space after ، per two input bytes), growing only for presentation-form expansions.
class Normalizer {
 public:
  Normalizer(const Tables& t, const NormalizeOptions& o) : t_(t), o_(o) {
    action_ = 0;
    if (o.collapse_spaces) {
      action_ |= k_space;
    }
    if (o.strip_invisible) {
      action_ |= k_invisible | k_zwnj | k_zwj;
    }
    if (o.fold_presentation_forms) {
      action_ |= k_presentation;
    }
    if (o.strip_tatweel) {
      action_ |= k_tatweel;
    }
    if (o.fix_punct_spacing) {
      action_ |= k_arabic_punct;
    }
  }

  // True when run(s) would return s itself: no rule applies and the text is in NFC. Reads the
  // text once, writes nothing; most blocks of a corpus pass, and the step then keeps them as they are.
  bool unchanged(std::string_view s) const {
    const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
    const auto* p = begin;
    const auto* end = p + s.size();
    std::uint8_t prev_ccc = 0;
    std::uint16_t prev_cls = 0;
    bool prev_space = true;         // a leading space is trimmed
    bool after_punct = false;       // the same state as run()'s
    bool punct_after_digit = false;
    bool ask_icu = false;           // a code point NFC may change: ICU has the last word
    bool misordered = false;        // two marks out of canonical order (NFC would reorder them)
    const std::uint16_t busy = action_ | k_nfc_check | k_combining;
    while (p < end) {
      // Plain runs (nearly all of the text) 16 or 32 bytes at a time; after ، ؛ ؟ the next code point
      // is checked below.
      if (p - begin >= 3 && end - p >= 17 && !(after_punct && !prev_space)) {
        const unsigned char* q = plain_prefix(p, end, t_.simd);
        if (q != p) {
          p = q;
          char32_t last = last_code_point(p);
          prev_cls = class_of(t_, last);
          prev_ccc = ccc_of(t_, last);
          prev_space = last == ' ' && (action_ & k_space) != 0;
          after_punct = false;  // any ، ؛ ؟ in the run is followed by a space, the next code point
        }
      }
      // Near the ends of the text (and after a code point the fast test refused): runs of code
      // points no rule or NFC cares about, one- and two-byte sequences decoded inline.
      // (After ، the next code point is checked below.)
      const unsigned char* last = after_punct && !prev_space ? nullptr : skip_inline(p, end, busy);
      if (last != nullptr) {
        std::size_t n = 0;
        prev_cls = class_of(t_, decode(last, end, n));
        prev_ccc = 0;
        prev_space = false;
        after_punct = false;
      }
      if (p == end) {
        break;
      }
      std::size_t len = 0;
      char32_t c = decode(p, end, len);
      std::uint16_t cls = class_of(t_, c);
      std::uint16_t act = cls & action_;
      if (act != 0 && c == ' ') {
        if (prev_space || p + 1 == end) {
          return false;  // a leading, trailing or second space
        }
        prev_space = true;  // one plain space between two words: kept as it is
        prev_ccc = 0;
        p += len;
        continue;
      }
      if ((act & ~k_arabic_punct) != 0) {
        return false;
      }
      if (after_punct && !prev_space &&
          ((cls & (k_letter | k_opener)) != 0 || ((cls & k_digit) != 0 && !punct_after_digit))) {
        return false;  // a word right after ، ؛ ؟: run() inserts the missing space
      }
      after_punct = act != 0;
      punct_after_digit = after_punct && !prev_space && (prev_cls & k_digit) != 0;
      std::uint8_t ccc = ccc_of(t_, c);
      ask_icu = ask_icu || (cls & k_nfc_check) != 0;
      misordered = misordered || (ccc != 0 && prev_ccc > ccc);
      prev_ccc = ccc;
      prev_cls = cls;
      prev_space = false;
      p += len;
    }
    if (!o_.nfc || t_.nfc == nullptr) {
      return true;
    }
    if (!ask_icu) {
      return !misordered;  // see order_marks(): NFC would only reorder the marks
    }
    if (s.size() > static_cast<std::size_t>(INT32_MAX)) {
      return false;
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::StringPiece piece(s.data(), static_cast<std::int32_t>(s.size()));
    return t_.nfc->isNormalizedUTF8(piece, status) && U_SUCCESS(status);
  }

  std::string run(std::string_view s) {
    if (out_.size() < 2 * s.size() + 16) {
      out_.resize(2 * s.size() + 16);
    }
    w_ = 0;
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    const auto* begin = p;
    const unsigned char* verbatim = p;  // start of the code points to copy as they are
    // What the inline loop below leaves to the per-code-point code.
    const std::uint16_t quiet = action_ | k_nfc_check | k_combining;
    while (p < end) {
      if (!pending_space_ && !after_punct_ && *p != ' ' && p - begin >= 3 && end - p >= 17) {
        // A plain run goes out as it is: its single spaces sit between two code points that are
        // written, so each is exactly the one space run() would write. A space at its end is left
        // to handle() (it may turn out to be trailing), and so is ، ؛ ؟ at its end (the space
        // after it is next).
        const unsigned char* q = plain_prefix(p, end, t_.simd);
        if (q != p && q[-1] == ' ') {
          --q;
        }
        if (q - p >= 2 && q[-2] == 0xD8 && (q[-1] == 0x8C || q[-1] == 0x9B || q[-1] == 0x9F)) {
          q -= 2;
        }
        if (q > p) {
          p = q;
          char32_t last = last_code_point(p);
          prev_cls_ = class_of(t_, last);
          prev_ccc_ = ccc_of(t_, last);
          continue;
        }
      }
      if (!pending_space_ && !after_punct_) {
        // Code points that go out as they are, one- and two-byte sequences decoded inline (near
        // the ends of the text, and after a code point the fast test refused).
        const unsigned char* last = skip_inline(p, end, quiet);
        if (last != nullptr) {
          std::size_t n = 0;
          prev_cls_ = class_of(t_, decode(last, end, n));
          prev_ccc_ = 0;
        }
        if (p == end) {
          break;
        }
      }
      std::size_t len = 0;
      char32_t c = decode(p, end, len);
      std::uint16_t cls = class_of(t_, c);
      std::uint8_t ccc = ccc_of(t_, c);
      icu_needed_ |= (cls & k_nfc_check) != 0;
      nfc_needed_ |= (cls & k_nfc_check) != 0;
      if (ccc != 0 && prev_ccc_ > ccc) {
        misordered_at(w_ + static_cast<std::size_t>(p - verbatim));  // where c goes (or a space before it)
      }
      if ((cls & action_) == 0 && !pending_space_ && !after_punct_) {
        // Fast path: the code point goes out as it is (copied with its run, below).
        prev_cls_ = cls;
        prev_ccc_ = ccc;
      } else {
        flush(verbatim, p);
        handle(c, cls, p, len, p + len, end);
        verbatim = p + len;
      }
      p += len;
    }
    flush(verbatim, end);
    // Trailing white space is trimmed: a pending space is simply not written.
    std::string result(out_.data(), w_);
    if (o_.nfc && nfc_needed_ && t_.nfc != nullptr) {
      if (icu_needed_) {
        compose(result);
      } else {
        order_marks(result);
      }
    }
    return result;
  }

  // Moves p past the one- and two-byte code points (decoded inline) whose class has none of the
  // bits of `mask`; returns where the last of them starts, nullptr when there is none.
  const unsigned char* skip_inline(const unsigned char*& p, const unsigned char* end, std::uint16_t mask) const {
    const unsigned char* last = nullptr;
    while (p < end) {
      unsigned char b = *p;
      if (b < 0x80) {
        if ((t_.cls[b] & mask) != 0) {
          break;
        }
        last = p++;
      } else if (b >= 0xC2 && b < 0xE0 && end - p >= 2) {
        char32_t c2 = (static_cast<char32_t>(b & 0x1F) << 6) | (p[1] & 0x3F);
        if ((t_.cls[c2] & mask) != 0) {
          break;
        }
        last = p;
        p += 2;
      } else {
        break;
      }
    }
    return last;
  }

 private:
  void handle(char32_t c, std::uint16_t cls, const unsigned char* bytes, std::size_t len, const unsigned char* next,
              const unsigned char* end) {
    std::uint16_t act = cls & action_;
    if ((act & k_space) != 0) {
      // Leading white space is trimmed; a run becomes one pending space.
      if (w_ > 0) {
        pending_space_ = true;
      }
      return;
    }
    if ((act & k_invisible) != 0 || (act & k_tatweel) != 0) {
      return;
    }
    if ((act & k_zwnj) != 0) {
      // Persian writes ZWNJ inside words (می‌خواهم): keep it between a letter (or its marks) and
      // a letter, strip it elsewhere (word edges, doubled, next to spaces or punctuation).
      if (pending_space_ || (prev_cls_ & (k_letter | k_mark)) == 0 || (next_class(next, end) & k_letter) == 0) {
        return;
      }
    }
    if ((act & k_zwj) != 0) {
      // ZWJ glues emoji sequences (family, profession emoji); anywhere else it is noise.
      if (pending_space_ || (prev_cls_ & k_pictographic) == 0 || (next_class(next, end) & k_pictographic) == 0) {
        return;
      }
    }
    if ((act & k_presentation) != 0) {
      const std::string& rep = t_.presentation[c - 0xFB50];
      // The replacement holds no presentation form, so this does not recurse further.
      reserve(rep.size() + 1 + 2 * static_cast<std::size_t>(end - next));
      const auto* rp = reinterpret_cast<const unsigned char*>(rep.data());
      const auto* rend = rp + rep.size();
      while (rp < rend) {
        std::size_t rlen = 0;
        char32_t rc = decode(rp, rend, rlen);
        std::uint16_t rcls = class_of(t_, rc);
        nfc_needed_ = true;  // a folded letter may compose with a following mark
        icu_needed_ = true;
        // The next code point after the replacement's last one is the input's next one.
        const unsigned char* after = rp + rlen < rend ? rp + rlen : next;
        const unsigned char* after_end = rp + rlen < rend ? rend : end;
        handle(rc, rcls, rp, rlen, after, after_end);
        rp += rlen;
      }
      return;
    }
    emit(cls, bytes, len);
  }

  void flush(const unsigned char* from, const unsigned char* to) {
    std::memcpy(out_.data() + w_, from, static_cast<std::size_t>(to - from));
    w_ += static_cast<std::size_t>(to - from);
  }

  void emit(std::uint16_t cls, const unsigned char* bytes, std::size_t len) {
    bool space = pending_space_;
    if (after_punct_ && !space) {
      // A word right after ، ؛ ؟ gets its missing space; digits only when the punctuation does
      // not sit between digits (3،5 is a decimal number in some locales).
      bool word = (cls & (k_letter | k_opener)) != 0 || ((cls & k_digit) != 0 && !punct_after_digit_);
      space = word;
    }
    if (space) {
      out_[w_++] = ' ';
      prev_ccc_ = 0;
    }
    pending_space_ = false;
    after_punct_ = false;
    if ((cls & action_ & k_arabic_punct) != 0) {
      after_punct_ = true;
      punct_after_digit_ = !space && (prev_cls_ & k_digit) != 0;
    }
    std::memcpy(out_.data() + w_, bytes, len);
    w_ += len;
    prev_cls_ = cls;
    std::size_t n = 0;
    std::uint8_t ccc = ccc_of(t_, decode(bytes, bytes + len, n));
    if (ccc != 0 && prev_ccc_ > ccc) {
      misordered_at(w_ - len);
    }
    prev_ccc_ = ccc;
  }

  // Class of the next code point that will be written: stripped characters (invisible, tatweel)
  // are looked past, a presentation form counts as the first code point of its folding. Another
  // ZWNJ/ZWJ stops the look-ahead, so of a doubled joiner at most the last one survives and a
  // second run keeps exactly what the first one kept.
  std::uint16_t next_class(const unsigned char* next, const unsigned char* end) const {
    while (next < end) {
      std::size_t len = 0;
      char32_t c = decode(next, end, len);
      next += len;
      std::uint16_t cls = class_of(t_, c);
      if ((cls & action_ & k_presentation) != 0) {
        const std::string& rep = t_.presentation[c - 0xFB50];
        const auto* rp = reinterpret_cast<const unsigned char*>(rep.data());
        const auto* rend = rp + rep.size();
        while (rp < rend) {
          std::size_t rlen = 0;
          std::uint16_t rcls = class_of(t_, decode(rp, rend, rlen));
          rp += rlen;
          if ((rcls & action_ & (k_invisible | k_tatweel)) == 0) {
            return rcls;
          }
        }
        continue;
      }
      if ((cls & action_ & (k_invisible | k_tatweel)) == 0) {
        return cls;
      }
    }
    return 0;
  }

  void reserve(std::size_t more) {
    if (out_.size() - w_ < more + 16) {
      out_.resize(w_ + more + 16 + out_.size() / 2);
    }
  }

  // NFC of a text in which every code point has NFC_Quick_Check=Yes is the text with each run of
  // combining marks stably sorted by combining class: decomposing a precomposed letter (Yes) puts
  // its marks first in the run, and once sorted they recompose with it (nothing between has a
  // class as high, or a class of 0); the other marks (Yes) compose with nothing. Arabic harakat
  // typed in the wrong order (shadda before fatha) are the common case: ICU is 2 % of a run for
  // them otherwise. normalize_test checks this against ICU.
  // Only the runs from the first to the last misordered mark are looked at: every run before
  // and after them is in order already (each mark was compared with the code point before it).
  void order_marks(std::string& text) {
    auto* begin = reinterpret_cast<unsigned char*>(text.data());
    const auto* end = begin + text.size();
    unsigned char* p = begin + std::min(first_misordered_, text.size());
    const unsigned char* last = begin + std::min(last_misordered_, text.size());
    while (p > begin) {  // back to the start of the run of marks
      unsigned char* q = p - 1;
      while (q > begin && (*q & 0xC0) == 0x80) {
        --q;
      }
      std::size_t len = 0;
      if (ccc_of(t_, decode(q, end, len)) == 0) {
        break;
      }
      p = q;
    }
    while (p < end) {
      std::size_t len = 0;
      if (ccc_of(t_, decode(p, end, len)) == 0) {
        if (p > last) {
          break;  // past the run of the last misordered mark
        }
        p += len;
        continue;
      }
      unsigned char* run = p;
      marks_.clear();
      bool sorted = true;
      while (p < end) {
        std::uint8_t ccc = ccc_of(t_, decode(p, end, len));
        if (ccc == 0) {
          break;
        }
        sorted = sorted && (marks_.empty() || marks_.back().ccc <= ccc);
        Mark m{ccc, static_cast<std::uint8_t>(len), {}};
        std::memcpy(m.bytes, p, len);
        marks_.push_back(m);
        p += len;
      }
      if (!sorted) {
        std::stable_sort(marks_.begin(), marks_.end(), [](const Mark& a, const Mark& b) { return a.ccc < b.ccc; });
        for (const Mark& m : marks_) {
          std::memcpy(run, m.bytes, m.len);
          run += m.len;
        }
      }
    }
  }

  // Notes that the code point written at output offset `at` has a lower combining class than the
  // one before it: NFC reorders them.
  void misordered_at(std::size_t at) {
    nfc_needed_ = true;
    first_misordered_ = std::min(first_misordered_, at);
    last_misordered_ = std::max(last_misordered_, at);
  }

  void compose(std::string& text) const {
    if (text.size() > static_cast<std::size_t>(INT32_MAX)) {
      return;  // ICU's StringPiece is int32-sized; blocks are far smaller (ReadOptions::max_bytes)
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::StringPiece piece(text.data(), static_cast<std::int32_t>(text.size()));
    if (t_.nfc->isNormalizedUTF8(piece, status) || U_FAILURE(status)) {
      return;  // already NFC (or ICU failed: the text stays as it is, still valid UTF-8)
    }
    std::string composed;
    composed.reserve(text.size());
    icu::StringByteSink<std::string> sink(&composed);
    status = U_ZERO_ERROR;
    t_.nfc->normalizeUTF8(0, piece, sink, nullptr, status);
    if (U_SUCCESS(status)) {
      text = std::move(composed);
    }
  }

  const Tables& t_;
  const NormalizeOptions& o_;
  std::uint16_t action_ = 0;
  // The output is written into a per-thread buffer that only grows, so that run() neither
  // allocates nor zero-fills twice the input (std::string::resize) per paragraph; the result is
  // then copied out at its exact size (the block no longer carries twice its size of capacity).
  std::string& out_ = scratch();
  static std::string& scratch() {
    static thread_local std::string buffer;
    return buffer;
  }
  std::size_t w_ = 0;
  std::uint16_t prev_cls_ = 0;      // class of the last code point written
  std::uint8_t prev_ccc_ = 0;       // ... and its canonical combining class
  bool pending_space_ = false;      // white space seen since the last code point written
  bool after_punct_ = false;        // the last code point written is ، ؛ or ؟
  bool punct_after_digit_ = false;  // ... and it follows a digit directly
  bool nfc_needed_ = false;
  std::size_t first_misordered_ = SIZE_MAX;  // output offsets of the first and last misordered marks
  std::size_t last_misordered_ = 0;
  bool icu_needed_ = false;         // a code point NFC may change was written: compose() with ICU
  struct Mark {
    std::uint8_t ccc;
    std::uint8_t len;
    unsigned char bytes[4];
  };
  std::vector<Mark> marks_;  // order_marks()'s run
};

// At most `max_bytes` of `s`, cut on a code point boundary, with "..." when cut.
std::string clip(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) {
    return std::string(s);
  }
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(s.substr(0, cut)) + "...";
}

class NormalizeStep final : public Step {
 public:
  explicit NormalizeStep(const NormalizeOptions& o) : options_(o) {}
  std::string_view name() const override { return "normalize"; }
  std::string_view description() const override {
    return "Unicode normalisation (NFC, presentation forms, invisible characters, spacing); drops blocks "
           "left without a letter or digit";
  }
  void process(Document& doc) override {
    if (!doc.title.empty()) {
      doc.title = normalize(doc.title, options_);
    }
    for (auto& b : doc.blocks) {
      if (!b.kept()) {
        continue;  // dropped blocks keep their text as it was, for the report
      }
      // is_normalized() then normalize() would each check the text is valid UTF-8: once is enough,
      // and not at all for a line of a text the decode step made valid (a title may come from
      // elsewhere: a JSONL field, a page's <title>).
      const bool valid = (doc.raw_valid_utf8 && b.kind != BlockKind::k_title) || is_valid_utf8(b.text);
      if (valid && Normalizer(tables(), options_).unchanged(b.text) && has_letter_or_digit(b.text)) {
        continue;  // nothing to change: the block keeps its text (and what is cached on it)
      }
      std::string text = valid ? Normalizer(tables(), options_).run(b.text) : normalize(b.text, options_);
      if (!has_letter_or_digit(text)) {
        std::string evidence = text.empty() ? std::string("nothing left after normalisation")
                                            : "no letter or digit: \"" + clip(text, 60) + "\"";
        b.drop = Drop{std::string(reason::k_empty_block), std::string(name()), std::move(evidence)};
        continue;  // the original text stays, so the report shows what was removed
      }
      b.set_text(std::move(text));
    }
  }

 private:
  NormalizeOptions options_;
};

}  // namespace

std::string normalize(std::string_view s, const NormalizeOptions& options) {
  if (s.empty()) {
    return {};
  }
  const Tables& t = tables();
  if (!is_valid_utf8(s)) {
    // Outside the contract, but never produce invalid UTF-8: repair first (U+FFFD).
    std::string repaired = repair_utf8(s).text;
    return Normalizer(t, options).run(repaired);
  }
  return Normalizer(t, options).run(s);
}

bool is_normalized(std::string_view s, const NormalizeOptions& options) {
  return is_valid_utf8(s) && Normalizer(tables(), options).unchanged(s);
}

bool class_tables_match_icu() {
  const Tables& t = tables();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) {
    nfkc = nullptr;
  }
  for (UChar32 c = 0; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) {
      continue;
    }
    Props p = props_of(c);
    if (t.cls[static_cast<std::size_t>(c)] != classify(c, p, nfkc) || t.ccc[static_cast<std::size_t>(c)] != p.ccc) {
      return false;
    }
  }
  return true;
}

bool has_letter_or_digit(std::string_view s) {
  // u_isalnum() is exactly general category L or Nd, the class table's k_letter and k_digit: the
  // table answers for the BMP without a call into ICU per block.
  const Tables& t = tables();
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if ((b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z')) {
        return true;
      }
      ++i;
      continue;
    }
    char32_t c = next_code_point(s, i);
    if (c < 0x10000 ? (t.cls[c] & (k_letter | k_digit)) != 0 : u_isalnum(static_cast<UChar32>(c)) != 0) {
      return true;
    }
  }
  return false;
}

std::unique_ptr<Step> make_normalize_step(const NormalizeOptions& options) {
  return std::make_unique<NormalizeStep>(options);
}

}  // namespace decruft::text
