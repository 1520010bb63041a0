#include "text/chars.h"

#include <unicode/uchar.h>

#include <array>
#include <cstdint>

#include "text/utf8.h"

namespace decruft::text {

bool is_letter(char32_t c) { return u_isalpha(static_cast<UChar32>(c)) != 0; }

bool is_arabic_letter(char32_t c) {
  return ((c >= 0x0620 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D3) || (c >= 0x06FA && c <= 0x06FF) ||
          (c >= 0x0750 && c <= 0x077F) || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF)) &&
         c != 0x0640;
}

namespace {

enum class Kind : std::uint8_t { k_space, k_letter, k_arabic_letter, k_latin_letter, k_digit, k_mark, k_punct, k_symbol };

// Fast classes for ASCII and the Arabic block (most of the text decruft sees); ICU for the rest.
Kind classify(char32_t c) {
  if (c < 0x80) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      return Kind::k_space;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      return Kind::k_latin_letter;
    }
    if (c >= '0' && c <= '9') {
      return Kind::k_digit;
    }
    if (c < 0x20 || c == 0x7F) {
      return Kind::k_symbol;
    }
    return (c == '$' || c == '+' || c == '<' || c == '=' || c == '>' || c == '^' || c == '`' || c == '|' ||
            c == '~')
               ? Kind::k_symbol
               : Kind::k_punct;
  }
  if (c >= 0x0600 && c <= 0x06FF) {
    if (c == 0x0640) {
      return Kind::k_mark;  // tatweel: part of a word
    }
    if (is_arabic_letter(c)) {
      return Kind::k_arabic_letter;
    }
    if ((c >= 0x064B && c <= 0x065F) || c == 0x0670 || (c >= 0x06D6 && c <= 0x06ED)) {
      return Kind::k_mark;
    }
    if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9)) {
      return Kind::k_digit;
    }
  }
  auto cp = static_cast<UChar32>(c);
  if (u_isUWhiteSpace(cp) != 0) {
    return Kind::k_space;
  }
  if (u_isalpha(cp) != 0) {
    return is_arabic_letter(c) ? Kind::k_arabic_letter : (c < 0x250 ? Kind::k_latin_letter : Kind::k_letter);
  }
  if (u_isdigit(cp) != 0) {
    return Kind::k_digit;
  }
  int8_t type = u_charType(cp);
  if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || type == U_ENCLOSING_MARK) {
    return Kind::k_mark;
  }
  return u_ispunct(cp) != 0 ? Kind::k_punct : Kind::k_symbol;
}

// classify() for U+0000-07FF (ASCII, Latin, Greek, Cyrillic, Hebrew, Arabic: nearly all the
// text decruft sees), one byte per code point, built from classify() itself: no ICU calls for
// Latin-1 punctuation (« »), accented Latin, Greek, Cyrillic or Hebrew. (Branch-free block loops
// over this table measured no faster than this loop on Arabic text: its branches predict well.)
struct KindTable {
  std::array<Kind, 0x800> kinds{};
  KindTable() {
    for (char32_t c = 0; c < 0x800; ++c) {
      kinds[c] = classify(c);
    }
  }
};

const KindTable& kind_table() {
  static const KindTable t;
  return t;
}

}  // namespace

namespace {
// Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao, Khmer,
// Myanmar): a run of them is many words, not one. Counted as one word per two characters, about
// the length of a Chinese or Japanese word, so that "a paragraph of prose" means the same there.
bool unspaced_script(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3040 && c <= 0x30FF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0x0E00 && c <= 0x0EFF) ||
         (c >= 0x1780 && c <= 0x17FF) || (c >= 0x1000 && c <= 0x109F);
}
}  // namespace

CharProfile profile(std::string_view s) {
  const KindTable& table = kind_table();
  CharProfile p;
  bool in_word = false;
  std::size_t unspaced = 0;  // letters of unspaced scripts in the current word
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t c = next_code_point(s, i);
    ++p.code_points;
    Kind kind = c < 0x800 ? table.kinds[c] : classify(c);
    bool word_char = false;
    if (kind == Kind::k_space) {
      ++p.spaces;
    } else {
      if (p.first == 0) {
        p.first = c;
      }
      p.last = c;
      switch (kind) {
        case Kind::k_arabic_letter:
          ++p.arabic_letters;
          ++p.letters;
          word_char = true;
          break;
        case Kind::k_latin_letter:
          ++p.latin_letters;
          ++p.letters;
          word_char = true;
          break;
        case Kind::k_letter:
          ++p.letters;
          word_char = true;
          break;
        case Kind::k_digit:
          ++p.digits;
          word_char = true;
          break;
        case Kind::k_mark:
          word_char = in_word;
          break;
        case Kind::k_punct:
          ++p.punctuation;
          break;
        default:
          ++p.symbols;
      }
    }
    if (word_char && !in_word) {
      ++p.words;
    }
    if (word_char && c >= 0x0E00 && unspaced_script(c)) {
      // Every second letter of an unspaced run starts another word.
      if (++unspaced % 2 == 1 && unspaced > 1) {
        ++p.words;
      }
    } else if (!word_char) {
      unspaced = 0;
    }
    in_word = word_char;
  }
  return p;
}

bool ends_sentence(std::string_view s) {
  // Walk back over spaces and closing quotes/brackets.
  std::size_t end = s.size();
  while (end > 0) {
    std::size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
      --start;
    }
    std::size_t k = start;
    char32_t c = next_code_point(s, k);
    if (u_isUWhiteSpace(static_cast<UChar32>(c)) != 0 || c == '"' || c == '\'' || c == ')' || c == ']' ||
        c == 0x00BB || c == 0x201D || c == 0x2019 || c == 0x00AB) {
      end = start;
      continue;
    }
    return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == 0x061F || c == 0x06D4 || c == 0x3002 ||
           c == 0xFF01 || c == 0xFF1F;
  }
  return false;
}

}  // namespace decruft::text
