// Sentence and word segmentation: ICU break iterators (over UTF-8 UText, no UTF-16 copy), with a
// post-pass that removes the sentence boundaries ICU gets wrong for Arabic. Most paragraphs never
// reach ICU's sentence iterator: a scanner of its rules finds the same boundaries ten times faster
// (see "ICU's sentence breaks without ICU" below).
//
// ICU's sentence rules (UAX #29) know abbreviations only through letter case ("Mr. Smith" is
// kept whole by the English suppression list, `en@ss=standard`), and Arabic has no case. The
// post-pass looks at the text around each boundary ICU proposes and removes it when:
//   1. initials: the word before the final "." is a single Arabic letter (د. أ. م. ص.), a chain of
//      one- or two-letter parts joined by dots (أ.ف.ب  ص.ب.  سي.ان.ان  ك.ف.), or a single
//      Latin capital (J. Smith). Exception: initials right after a number are an era or a unit
//      (2015 م.  1436 هـ.  380 ك.ف.) and often end the sentence, so that boundary stays.
//      A single two-letter Arabic word followed by ". " is a real word far more often than an
//      abbreviation (له. به. طن. آب.), so it ends the sentence.
//   2. no space after the dot: "." directly followed by a letter, after a one- or two-letter part
//      (د.محمد, سي.ان): a chain of initials. After a longer word ICU's break stays (scrapes often
//      lose the space after a full stop: الاجتماع.وقال).
//   3. ellipsis: two or more dots (.. or ...) are a pause, not a full stop, unless the next
//      sentence starts with a Latin capital (English). Arabic news writing uses ".." between
//      clauses and inside titles («رئاسة «الفيدرالي»... هل يحسمها»); a missed boundary only
//      makes a sentence longer, a wrong one cuts a clause. "…" is never a terminator in ICU.
//   4. list numbers: a "sentence" that is only a number and a dot ("1.") joins the next one.
// Decimals (30.89), URLs and e-mail addresses (a dot followed by a letter or digit), and "؟" / "۔"
// ending sentences while "،" / "؛" do not, are ICU's own rules.
#include "text/segment.h"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/udata.h>
#include <unicode/ures.h>
#include <unicode/utext.h>

#include <algorithm>
#include <array>
#include <memory>
#include <mutex>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/step.h"
#include "text/utf8.h"

namespace decruft::text {

namespace {

// ---- code point helpers over UTF-8 (the text is valid UTF-8) ----

// Start of the code point that ends at `end` (exclusive).
std::size_t prev_start(std::string_view s, std::size_t end) {
  std::size_t i = end - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) {
    --i;
  }
  return i;
}

char32_t code_point_before(std::string_view s, std::size_t end, std::size_t* start = nullptr) {
  std::size_t i = prev_start(s, end);
  if (start != nullptr) {
    *start = i;
  }
  return next_code_point(s, i);
}

bool is_space(char32_t c) {
  return c == ' ' || u_isUWhiteSpace(static_cast<UChar32>(c)) != 0;
}

bool is_closer(char32_t c) {
  switch (c) {
    case ')':
    case ']':
    case '}':
    case '"':
    case '\'':
    case 0x00BB:  // »
    case 0x2019:  // ’
    case 0x201D:  // ”
    case 0x203A:  // ›
      return true;
    default:
      return false;
  }
}

bool is_opener(char32_t c) {
  switch (c) {
    case '(':
    case '[':
    case '{':
    case '"':
    case '\'':
    case 0x00AB:  // «
    case 0x2018:  // ‘
    case 0x201C:  // “
    case 0x2039:  // ‹
      return true;
    default:
      return false;
  }
}

bool is_arabic_letter_cp(char32_t c) {
  return ((c >= 0x0620 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D3) || c == 0x06D5 || (c >= 0x06FA && c <= 0x06FC) ||
          (c >= 0x0750 && c <= 0x077F)) &&
         c != 0x0640;
}

bool is_digit_cp(char32_t c) {
  return u_isdigit(static_cast<UChar32>(c)) != 0;
}

// Letters in a part of an initials chain: Arabic letters counted, tatweel and marks ignored
// (هـ is one letter). Returns -1 when the part holds anything else.
int arabic_part_letters(std::string_view part) {
  int letters = 0;
  std::size_t i = 0;
  while (i < part.size()) {
    char32_t c = next_code_point(part, i);
    if (is_arabic_letter_cp(c)) {
      ++letters;
    } else if (c == 0x0640 || (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_M_MASK) != 0) {
      continue;
    } else {
      return -1;
    }
  }
  return letters;
}

bool is_latin_capital_part(std::string_view part) {
  return part.size() == 1 && part[0] >= 'A' && part[0] <= 'Z';
}

// The word that ends with the dot at `dot` (exclusive of the dot): back to white space or an
// opening bracket/quote.
std::size_t word_start(std::string_view s, std::size_t dot) {
  std::size_t i = dot;
  while (i > 0) {
    std::size_t st = 0;
    char32_t c = code_point_before(s, i, &st);
    if (is_space(c) || is_opener(c)) {
      break;
    }
    i = st;
  }
  return i;
}

struct Initials {
  bool initials = false;  // the word is initials (rule 1 / 2)
  bool after_number = false;
};

// Looks at the word before the dot at `dot`. `no_space` is rule 2 (a letter follows directly).
Initials classify_word(std::string_view s, std::size_t dot, bool no_space) {
  Initials r;
  std::size_t start = word_start(s, dot);
  std::string_view word = s.substr(start, dot - start);
  if (word.empty()) {
    return r;
  }
  // Split on dots; every part must be a one- or two-letter Arabic part or one Latin capital.
  std::size_t parts = 0;
  int first_letters = 0;
  bool latin = false;
  std::size_t p = 0;
  while (p <= word.size()) {
    std::size_t q = word.find('.', p);
    if (q == std::string_view::npos) {
      q = word.size();
    }
    std::string_view part = word.substr(p, q - p);
    int n = arabic_part_letters(part);
    if (is_latin_capital_part(part)) {
      latin = true;
      n = 1;
    }
    if (n < 1 || n > 2) {
      return r;
    }
    if (parts == 0) {
      first_letters = n;
    }
    ++parts;
    p = q + 1;
  }
  if (parts == 1 && !no_space && first_letters == 2) {
    return r;  // له. به. طن. : a real word ends the sentence
  }
  if (parts == 1 && latin && no_space) {
    return r;  // "A.b" ICU already handles; a capital glued to text is not an initial
  }
  r.initials = true;
  // Era / unit after a number: "2015 م." "380 ك.ف." (also with spaced initials "500 ق. م.").
  std::size_t i = start;
  while (i > 0) {
    std::size_t st = 0;
    char32_t c = code_point_before(s, i, &st);
    if (is_space(c)) {
      i = st;
      continue;
    }
    r.after_number = is_digit_cp(c);
    break;
  }
  return r;
}

// Should ICU's boundary at `b` (start of the next sentence) in `s` stay?
// `sentence_start` is where the current sentence began (the last boundary kept).
bool keep_boundary(std::string_view s, std::size_t sentence_start, std::size_t b) {
  // End of the text before the boundary, without trailing white space.
  std::size_t end = b;
  while (end > sentence_start) {
    std::size_t st = 0;
    char32_t c = code_point_before(s, end, &st);
    if (!is_space(c)) {
      break;
    }
    end = st;
  }
  if (end == sentence_start) {
    return true;
  }
  bool spaced = end < b;
  // The first code point of the next sentence.
  std::size_t k = b;
  char32_t next = k < s.size() ? next_code_point(s, k) : 0;

  // Rule 3: ellipsis (closing quotes/brackets may follow the dots).
  std::size_t e = end;
  while (e > sentence_start) {
    std::size_t st = 0;
    char32_t c = code_point_before(s, e, &st);
    if (!is_closer(c)) {
      break;
    }
    e = st;
  }
  std::size_t dots = 0;
  std::size_t d = e;
  while (d > sentence_start && s[d - 1] == '.') {
    ++dots;
    --d;
  }
  if (dots >= 2) {
    return next >= 'A' && next <= 'Z';
  }

  // Rule 4: a list number alone ("1." / "١٢.").
  if (dots == 1 && e == end) {
    std::size_t i = sentence_start;
    while (i < s.size() && is_space(static_cast<unsigned char>(s[i]))) {
      ++i;
    }
    std::string_view body = s.substr(i, end - 1 - i);
    if (!body.empty() && body.size() <= 9) {
      bool all_digits = true;
      std::size_t j = 0;
      while (j < body.size()) {
        if (!is_digit_cp(next_code_point(body, j))) {
          all_digits = false;
          break;
        }
      }
      if (all_digits) {
        return false;
      }
    }
  }

  // Rules 1 and 2: initials; the dot must end the text directly (no closing quote in between).
  if (dots == 1 && e == end) {
    bool no_space = !spaced && u_isalpha(static_cast<UChar32>(next)) != 0;
    Initials w = classify_word(s, end - 1, no_space);
    if (w.initials && !(w.after_number && spaced)) {
      return false;
    }
  }
  return true;
}

// ---- ICU iterators: created once, cloned once per thread ----

// Titles before a name, which ICU's English list lacks ("Dr." can also be "Drive", but in news
// text it is the title far more often).
constexpr const char* k_extra_abbreviations[] = {"Dr.",  "Gen.",  "Col.",  "Sgt.", "Capt.", "Cmdr.", "Adm.", "Rep.",
                                                 "Sen.", "Gov.",  "Pres.", "Rev.", "Hon.",  "Lt.",   "Mr.",  "Mrs.",
                                                 "Ms.",  "Prof.", "St.",   "No.",  "vs.",   "Fig."};

// What the scanner (below) must know of the exception filter around the sentence iterator: the
// filter looks back from a break, over one space, for the end of an entry. Every entry of ICU's
// English list and of ours ends with an ASCII letter and "."; `before_dot` holds those letters.
// `known` is false when the list could not be read or an entry has another shape: the scanner
// then leaves every paragraph to ICU.
struct Exceptions {
  bool known = false;
  std::array<bool, 128> before_dot{};

  bool add(const icu::UnicodeString& entry) {
    std::int32_t n = entry.length();
    if (n < 2 || entry.charAt(n - 1) != u'.' || entry.charAt(n - 2) >= 0x80) {
      return false;
    }
    before_dot[entry.charAt(n - 2)] = true;
    return true;
  }
};

// The entries FilteredBreakIteratorBuilder::createInstance(English) loads: bundle brkitr/en,
// table exceptions/SentenceBreak.
bool add_english_exceptions(Exceptions& ex) {
  UErrorCode status = U_ZERO_ERROR;
  UResourceBundle* bundle = ures_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "brkitr", "en", &status);
  UResourceBundle* exceptions = ures_getByKey(bundle, "exceptions", nullptr, &status);
  UResourceBundle* sentence = ures_getByKey(exceptions, "SentenceBreak", nullptr, &status);
  bool ok = U_SUCCESS(status) && status != U_USING_DEFAULT_WARNING && status != U_USING_FALLBACK_WARNING;
  while (ok && ures_hasNext(sentence) != 0) {
    std::int32_t length = 0;
    const UChar* entry = ures_getNextString(sentence, &length, nullptr, &status);
    ok = U_SUCCESS(status) && ex.add(icu::UnicodeString(entry, length));
  }
  ures_close(sentence);
  ures_close(exceptions);
  ures_close(bundle);
  return ok;
}

struct Prototypes {
  std::unique_ptr<icu::BreakIterator> sentence;
  std::unique_ptr<icu::BreakIterator> word;
  Exceptions exceptions;
  std::mutex clone_mutex;

  Prototypes() {
    UErrorCode status = U_ZERO_ERROR;
    // The root sentence rules are the same for every locale; ICU's English abbreviation list
    // (Mr. Mrs. U.S. Jan. Prof. ...) plus the titles it lacks are wrapped around them.
    std::unique_ptr<icu::BreakIterator> base(
        icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) {
      return;  // no ICU data: split_sentences falls back to one sentence per paragraph
    }
    std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
        icu::FilteredBreakIteratorBuilder::createInstance(icu::Locale::getEnglish(), status));
    if (U_SUCCESS(status) && builder) {
      bool known = add_english_exceptions(exceptions);
      for (const char* abbr : k_extra_abbreviations) {
        icu::UnicodeString entry = icu::UnicodeString::fromUTF8(abbr);
        known = exceptions.add(entry) && known;
        builder->suppressBreakAfter(entry, status);
      }
      if (U_SUCCESS(status)) {
        sentence.reset(builder->wrapIteratorWithFilter(base.release(), status));
        if (U_FAILURE(status)) {
          sentence.reset();
        }
      }
      exceptions.known = known && sentence != nullptr;
    }
    if (!sentence && base) {
      sentence = std::move(base);
      exceptions = Exceptions{};
      exceptions.known = true;  // no filter: no break is dropped
    }
    status = U_ZERO_ERROR;
    word.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) {
      word.reset();
    }
  }

  std::unique_ptr<icu::BreakIterator> clone(const std::unique_ptr<icu::BreakIterator>& proto) {
    if (!proto) {
      return nullptr;
    }
    std::lock_guard<std::mutex> lock(clone_mutex);
    return std::unique_ptr<icu::BreakIterator>(proto->clone());
  }
};

Prototypes& prototypes() {
  static Prototypes p;
  return p;
}

icu::BreakIterator* sentence_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> it = prototypes().clone(prototypes().sentence);
  return it.get();
}

icu::BreakIterator* word_iterator() {
  thread_local std::unique_ptr<icu::BreakIterator> it = prototypes().clone(prototypes().word);
  return it.get();
}

// Sets `it` on UTF-8 text without copying; the UText is closed by the caller.
bool set_text(icu::BreakIterator* it, UText* ut, std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  utext_openUTF8(ut, s.data(), static_cast<std::int64_t>(s.size()), &status);
  if (U_FAILURE(status)) {
    return false;
  }
  it->setText(ut, status);
  return U_SUCCESS(status);
}

// Sentence_Break classes that can start a boundary: terminators and paragraph separators.
bool is_terminator_class(std::int32_t sb) {
  return sb == U_SB_ATERM || sb == U_SB_STERM || sb == U_SB_SEP || sb == U_SB_CR || sb == U_SB_LF;
}

// Classes that may follow the last terminator without allowing a boundary after it.
bool is_tail_class(std::int32_t sb) {
  return is_terminator_class(sb) || sb == U_SB_CLOSE || sb == U_SB_SP || sb == U_SB_EXTEND || sb == U_SB_FORMAT;
}

// Sentence_Break of every BMP code point (64 KB, filled once); astral code points ask ICU.
class SbClasses {
 public:
  SbClasses() : bmp_(0x10000) {
    for (UChar32 c = 0; c < 0x10000; ++c) {
      std::int32_t k = u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK);
      bmp_[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(k);
      simd_ok_ = simd_ok_ && (!is_terminator_class(k) || c >= 0x800 || simd_covers(static_cast<char32_t>(c)));
    }
  }
  std::uint8_t operator()(char32_t c) const {
    if (c < 0x10000) {
      return bmp_[c];
    }
    return static_cast<std::uint8_t>(u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_SENTENCE_BREAK));
  }

  // The first terminator or separator at or after `i` (a code point start) in valid UTF-8 `s`, or
  // s.size(). Sixteen bytes at a time: Arabic text has a terminator every hundred bytes or so.
  std::size_t next_stop(std::string_view s, std::size_t i) const {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
#if defined(__SSE2__)
    if (simd_ok_) {
      while (i + 17 <= n) {
        unsigned mask = candidates(p + i);
        if (mask == 0) {
          i += 16;
          i += (p[i] & 0xC0) == 0x80 ? 1 : 0;  // the second byte of a pair checked with its lead
          continue;
        }
        i += static_cast<std::size_t>(__builtin_ctz(mask));
        std::size_t j = i;
        if (is_terminator_class((*this)(next_code_point(s, j)))) {
          return i;
        }
        i = j;
      }
    }
#endif
    while (i < n) {
      std::size_t j = i;
      if (is_terminator_class((*this)(next_code_point(s, j)))) {
        return i;
      }
      i = j;
    }
    return n;
  }

 private:
  // The code points below U+0800 that candidates() flags: "\n" "\r" "!" "." "?", U+0085, U+0589,
  // U+061D..U+061F, U+06D4, Syriac, NKo. (Checked against ICU's data at start-up: a stop it
  // misses turns the SIMD loop off.)
  static bool simd_covers(char32_t c) {
    return c == '\n' || c == '\r' || c == '!' || c == '.' || c == '?' || c == 0x85 || c == 0x589 ||
           (c >= 0x61D && c <= 0x61F) || c == 0x6D4 || (c >= 0x700 && c < 0x740) || (c >= 0x7C0 && c < 0x800);
  }

#if defined(__SSE2__)
  // Bit j set: the code point starting at p[j] may be a stop. Flags the bytes of simd_covers and
  // every lead byte of three or four bytes. Reads p[0] .. p[16].
  static unsigned candidates(const unsigned char* p) {
    const auto byte = [](unsigned v) { return _mm_set1_epi8(static_cast<char>(v)); };
    const auto eq = [&](__m128i v, unsigned b) { return _mm_cmpeq_epi8(v, byte(b)); };
    const auto any = [](__m128i a, __m128i b, __m128i c) { return _mm_or_si128(a, _mm_or_si128(b, c)); };
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    __m128i ascii = _mm_or_si128(any(eq(x, '.'), eq(x, '!'), eq(x, '?')), _mm_or_si128(eq(x, '\n'), eq(x, '\r')));
    __m128i long_lead = eq(_mm_and_si128(x, byte(0xE0)), 0xE0);
    __m128i rare_lead = _mm_or_si128(eq(x, 0xDC), eq(x, 0xDF));
    __m128i pairs =
        any(_mm_or_si128(_mm_and_si128(eq(x, 0xC2), eq(next, 0x85)), _mm_and_si128(eq(x, 0xD6), eq(next, 0x89))),
            _mm_and_si128(eq(x, 0xDB), eq(next, 0x94)),
            _mm_and_si128(eq(x, 0xD8), any(eq(next, 0x9D), eq(next, 0x9E), eq(next, 0x9F))));
    return static_cast<unsigned>(_mm_movemask_epi8(any(ascii, long_lead, _mm_or_si128(rare_lead, pairs))));
  }
#endif

  std::vector<std::uint8_t> bmp_;
  bool simd_ok_ = true;
};

const SbClasses& sb_classes() {
  static const SbClasses classes;
  return classes;
}

// True when ICU could not find any boundary: no terminator is followed by content. Most titles
// and short paragraphs take this path and never reach ICU. (Not quite ICU: "x. )" has an ICU
// boundary before the ")", this says none; the scanner below keeps that answer.)
bool single_sentence(std::string_view s) {
  const SbClasses& sb = sb_classes();
  bool terminator_seen = false;
  std::size_t i = 0;
  while (i < s.size()) {
    std::int32_t k = sb(next_code_point(s, i));
    if (is_terminator_class(k)) {
      terminator_seen = true;
    } else if (!is_tail_class(k) && terminator_seen) {
      return false;
    }
  }
  return true;
}

// ---- ICU's sentence breaks without ICU, where that is easy ----
//
// Running ICU's iterator costs ~8 ns a byte; this scanner gives the same breaks in one pass over
// the code points. ICU's root rules (UAX #29) break only after a terminator cluster: "." (ATerm)
// or "!" "?" "؟" "۔" (STerm), then closing quotes and brackets (Close), then spaces (Sp); Extend
// and Format characters (harakat, direction marks) belong to the character before them. Whether
// a cluster breaks depends on what follows it:
//   - another terminator or a continuation (SContinue: , : ، ...) follows: no break (rule 8a);
//   - a "." right before a digit (rule 6), or between a letter and a capital ("U.S", rule 7);
//   - a "." whose next letter, past any non-letters, is lower case (rule 8: "e.g. 3 cases");
//   - else the break is before the character after the cluster (rule 11).
// The exception filter around the iterator then drops the breaks right after one of its entries
// ("Mr. Smith"): it looks back from the break, over one space, for the end of an entry; a break
// after an ASCII letter that ends an entry, and ".", might be dropped, so it is left to ICU. So
// are paragraph separators (CR, LF, NEL, U+2028/9). ICU then sees the few paragraphs with English
// abbreviations or line breaks; the unit tests compare both on real and generated text.

// Could the exception filter drop the break at `b`? Only after an entry's last two characters.
bool may_be_suppressed(std::string_view s, std::size_t b, const Exceptions& ex) {
  std::size_t start = 0;
  char32_t c = code_point_before(s, b, &start);
  if (c == ' ') {  // the filter skips one space, and only U+0020
    if (start == 0) {
      return false;
    }
    c = code_point_before(s, start, &start);
  }
  if (c != '.' || start == 0) {
    return false;
  }
  char32_t letter = code_point_before(s, start);
  return letter < 0x80 && ex.before_dot[letter];
}

// The class of the character before `i`, past Extend and Format (the one they belong to).
std::uint8_t class_before(std::string_view s, std::size_t i, const SbClasses& sb) {
  while (i > 0) {
    std::size_t start = 0;
    std::uint8_t k = sb(code_point_before(s, i, &start));
    if (k != U_SB_EXTEND && k != U_SB_FORMAT) {
      return k;
    }
    i = start;
  }
  return U_SB_OTHER;
}

// Is there content (single_sentence's sense) at or after `i`?
bool content_from(std::string_view s, std::size_t i, const SbClasses& sb) {
  while (i < s.size()) {
    if (!is_tail_class(sb(next_code_point(s, i)))) {
      return true;
    }
  }
  return false;
}

// Appends the breaks ICU's sentence iterator (with its exception filter) reports inside `s`
// (valid UTF-8), ascending, and returns true; or returns false, with `breaks` unspecified, when
// the paragraph needs ICU itself. A paragraph single_sentence calls one sentence gets no breaks.
bool scan_sentence_breaks(std::string_view s, const Exceptions& ex, std::vector<std::size_t>& breaks) {
  const SbClasses& sb = sb_classes();
  const std::size_t n = s.size();
  const std::size_t first = breaks.size();
  std::size_t first_terminator = n;
  std::size_t i = 0;
  while ((i = sb.next_stop(s, i)) < n) {
    const std::size_t at = i;
    std::uint8_t k = sb(next_code_point(s, i));
    if (k != U_SB_ATERM && k != U_SB_STERM) {
      return false;  // a paragraph separator
    }
    first_terminator = std::min(first_terminator, at);
    // The cluster: (terminator Close* Sp*)+, up to the first other character.
    bool aterm = k == U_SB_ATERM;                   // the last terminator is "."
    std::uint8_t before = class_before(s, at, sb);  // the character before the last terminator
    std::uint8_t prev = k;
    bool closes = false;
    bool spaces = false;
    std::uint8_t ky = U_SB_OTHER;
    while (i < n) {
      std::size_t j = i;
      std::uint8_t kd = sb(next_code_point(s, j));
      if (kd == U_SB_ATERM || kd == U_SB_STERM) {
        aterm = kd == U_SB_ATERM;
        before = prev;
        closes = false;
        spaces = false;
      } else if (kd == U_SB_CLOSE && !spaces) {
        closes = true;
      } else if (kd == U_SB_SP) {
        spaces = true;
      } else if (kd != U_SB_EXTEND && kd != U_SB_FORMAT) {
        ky = kd;
        break;
      }
      if (kd != U_SB_EXTEND && kd != U_SB_FORMAT) {
        prev = kd;
      }
      i = j;
    }
    if (i == n) {
      break;  // the cluster ends the text
    }
    const std::size_t y = i;  // the scan goes on from here
    if (ky == U_SB_SEP || ky == U_SB_CR || ky == U_SB_LF) {
      return false;
    }
    if (ky == U_SB_SCONTINUE) {
      continue;  // rule 8a
    }
    if (aterm) {
      if (!closes && !spaces &&
          (ky == U_SB_NUMERIC || (ky == U_SB_UPPER && (before == U_SB_UPPER || before == U_SB_LOWER)))) {
        continue;  // rules 6 and 7
      }
      // Rule 8: past non-letters, a lower-case letter continues the sentence.
      bool lower_follows = false;
      std::size_t j = y;
      while (j < n) {
        std::uint8_t kz = sb(next_code_point(s, j));
        if (kz == U_SB_LOWER) {
          lower_follows = true;
          break;
        }
        if (kz == U_SB_OLETTER || kz == U_SB_UPPER || kz == U_SB_SEP || kz == U_SB_CR || kz == U_SB_LF ||
            kz == U_SB_ATERM || kz == U_SB_STERM) {
          break;
        }
      }
      if (lower_follows) {
        continue;
      }
    }
    if (may_be_suppressed(s, y, ex)) {
      return false;
    }
    breaks.push_back(y);
  }
  if (breaks.size() > first && !content_from(s, first_terminator, sb)) {
    breaks.resize(first);  // what single_sentence says
  }
  return true;
}

std::string_view trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e) {
    std::size_t k = b;
    char32_t c = next_code_point(s, k);
    if (!is_space(c)) {
      break;
    }
    b = k;
  }
  while (e > b) {
    std::size_t st = 0;
    char32_t c = code_point_before(s, e, &st);
    if (!is_space(c)) {
      break;
    }
    e = st;
  }
  return s.substr(b, e - b);
}

void push_trimmed(std::vector<std::string>& out, std::string_view piece) {
  std::string_view t = trim(piece);
  if (!t.empty()) {
    out.emplace_back(t);
  }
}

class SentencesStep final : public Step {
 public:
  std::string_view name() const override { return "sentences"; }
  std::string_view description() const override {
    return "sentence segmentation (ICU, with Arabic abbreviation, initials and ellipsis fixes)";
  }
  void process(Document& doc) override {
    for (auto& b : doc.blocks) {
      if (b.kept()) {
        b.sentences = split_sentences(b.text);
      }
    }
  }
};

// The breaks of ICU's iterator itself inside `s`, ascending; false when ICU is unavailable.
bool icu_sentence_breaks(std::string_view s, std::vector<std::size_t>& breaks) {
  icu::BreakIterator* it = sentence_iterator();
  if (it == nullptr) {
    return false;
  }
  UText ut = UTEXT_INITIALIZER;
  if (!set_text(it, &ut, s)) {
    utext_close(&ut);
    return false;
  }
  for (std::int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
    auto pos = static_cast<std::size_t>(b);
    if (pos >= s.size()) {
      break;
    }
    breaks.push_back(pos);
  }
  utext_close(&ut);
  return true;
}

// sentence_boundaries for valid UTF-8, into `cuts` (cleared first); `scan` false always asks ICU.
void find_cuts(std::string_view paragraph, std::vector<std::size_t>& cuts, bool scan = true) {
  cuts.clear();
  if (sentence_iterator() == nullptr) {
    return;  // no ICU data: one sentence
  }
  thread_local std::vector<std::size_t> breaks;
  breaks.clear();
  const Exceptions& ex = prototypes().exceptions;
  if (!scan || !ex.known || !scan_sentence_breaks(paragraph, ex, breaks)) {
    breaks.clear();
    if (single_sentence(paragraph) || !icu_sentence_breaks(paragraph, breaks)) {
      return;
    }
  }
  std::size_t start = 0;
  for (std::size_t b : breaks) {
    if (keep_boundary(paragraph, start, b)) {
      cuts.push_back(b);
      start = b;
    }
  }
}

}  // namespace

std::vector<std::size_t> sentence_boundaries(std::string_view paragraph) {
  std::vector<std::size_t> cuts;
  if (!is_valid_utf8(paragraph)) {
    return cuts;  // outside the contract: callers pass valid UTF-8; no cut rather than a bad one
  }
  find_cuts(paragraph, cuts);
  return cuts;
}

std::vector<std::size_t> sentence_boundaries_icu(std::string_view paragraph) {
  std::vector<std::size_t> cuts;
  if (!is_valid_utf8(paragraph)) {
    return cuts;
  }
  find_cuts(paragraph, cuts, false);
  return cuts;
}

std::vector<std::string> split_sentences(std::string_view paragraph) {
  std::string repaired;
  if (!is_valid_utf8(paragraph)) {
    repaired = repair_utf8(paragraph).text;
    paragraph = repaired;
  }
  thread_local std::vector<std::size_t> cuts;
  find_cuts(paragraph, cuts);
  std::vector<std::string> out;
  out.reserve(cuts.size() + 1);
  std::size_t start = 0;
  for (std::size_t cut : cuts) {
    push_trimmed(out, paragraph.substr(start, cut - start));
    start = cut;
  }
  push_trimmed(out, paragraph.substr(start));
  return out;
}

std::vector<std::string> split_words(std::string_view text) {
  std::string repaired;
  if (!is_valid_utf8(text)) {
    repaired = repair_utf8(text).text;
    text = repaired;
  }
  std::vector<std::string> out;
  icu::BreakIterator* it = word_iterator();
  if (it == nullptr) {
    return out;
  }
  UText ut = UTEXT_INITIALIZER;
  if (!set_text(it, &ut, text)) {
    utext_close(&ut);
    return out;
  }
  std::int32_t start = it->first();
  for (std::int32_t end = it->next(); end != icu::BreakIterator::DONE; start = end, end = it->next()) {
    // Rule status UBRK_WORD_NONE (0..99) marks spaces and punctuation; numbers, letters, kana
    // and ideographs have higher statuses.
    if (it->getRuleStatus() >= UBRK_WORD_NUMBER) {
      out.emplace_back(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
    }
  }
  utext_close(&ut);
  return out;
}

std::unique_ptr<Step> make_sentences_step() {
  return std::make_unique<SentencesStep>();
}

}  // namespace decruft::text
