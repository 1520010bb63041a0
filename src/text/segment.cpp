// Sentence and word segmentation: ICU break iterators (over UTF-8 UText, no UTF-16 copy), with a
// post-pass that removes the sentence boundaries ICU gets wrong for Arabic.
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
#include <unicode/utext.h>

#include <array>
#include <memory>
#include <mutex>

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

struct Prototypes {
  std::unique_ptr<icu::BreakIterator> sentence;
  std::unique_ptr<icu::BreakIterator> word;
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
      for (const char* abbr : k_extra_abbreviations) {
        builder->suppressBreakAfter(icu::UnicodeString::fromUTF8(abbr), status);
      }
      if (U_SUCCESS(status)) {
        sentence.reset(builder->wrapIteratorWithFilter(base.release(), status));
        if (U_FAILURE(status)) {
          sentence.reset();
        }
      }
    }
    if (!sentence && base) {
      sentence = std::move(base);
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

struct SbTable {
  std::array<std::uint8_t, 0x800> cls{};  // 0: content, 1: terminator, 2: tail-only
  SbTable() {
    for (UChar32 c = 0; c < 0x800; ++c) {
      std::int32_t sb = u_getIntPropertyValue(c, UCHAR_SENTENCE_BREAK);
      cls[static_cast<std::size_t>(c)] = is_terminator_class(sb) ? 1 : is_tail_class(sb) ? 2 : 0;
    }
  }
};

// True when ICU could not find any boundary: no terminator is followed by content. Most titles
// and short paragraphs take this path and never reach ICU.
bool single_sentence(std::string_view s) {
  static const SbTable table;
  bool terminator_seen = false;
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t c = next_code_point(s, i);
    std::uint8_t k = 0;
    if (c < 0x800) {
      k = table.cls[c];
    } else {
      std::int32_t sb = u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_SENTENCE_BREAK);
      k = is_terminator_class(sb) ? 1 : is_tail_class(sb) ? 2 : 0;
    }
    if (k == 1) {
      terminator_seen = true;
    } else if (k == 0 && terminator_seen) {
      return false;
    }
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

}  // namespace

std::vector<std::size_t> sentence_boundaries(std::string_view paragraph) {
  std::vector<std::size_t> cuts;
  if (!is_valid_utf8(paragraph)) {
    return cuts;  // outside the contract: callers pass valid UTF-8; no cut rather than a bad one
  }
  if (single_sentence(paragraph)) {
    return cuts;
  }
  icu::BreakIterator* it = sentence_iterator();
  if (it == nullptr) {
    return cuts;
  }
  UText ut = UTEXT_INITIALIZER;
  if (!set_text(it, &ut, paragraph)) {
    utext_close(&ut);
    return cuts;
  }
  std::size_t start = 0;
  for (std::int32_t b = it->next(); b != icu::BreakIterator::DONE; b = it->next()) {
    auto pos = static_cast<std::size_t>(b);
    if (pos >= paragraph.size()) {
      break;
    }
    if (keep_boundary(paragraph, start, pos)) {
      cuts.push_back(pos);
      start = pos;
    }
  }
  utext_close(&ut);
  return cuts;
}

std::vector<std::string> split_sentences(std::string_view paragraph) {
  std::string repaired;
  if (!is_valid_utf8(paragraph)) {
    repaired = repair_utf8(paragraph).text;
    paragraph = repaired;
  }
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t cut : sentence_boundaries(paragraph)) {
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
