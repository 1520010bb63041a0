#include "text/chars.h"

#include <unicode/uchar.h>

#include "text/utf8.h"

namespace decruft::text {

bool is_letter(char32_t c) { return u_isalpha(static_cast<UChar32>(c)) != 0; }

bool is_arabic_letter(char32_t c) {
  return ((c >= 0x0620 && c <= 0x064A) || (c >= 0x066E && c <= 0x06D3) || (c >= 0x06FA && c <= 0x06FF) ||
          (c >= 0x0750 && c <= 0x077F) || (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF)) &&
         c != 0x0640;
}

CharProfile profile(std::string_view s) {
  CharProfile p;
  bool in_word = false;
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t c = next_code_point(s, i);
    ++p.code_points;
    auto cp = static_cast<UChar32>(c);
    int8_t type = u_charType(cp);
    bool word_char = false;
    if (u_isUWhiteSpace(cp) != 0) {
      ++p.spaces;
    } else {
      if (p.first == 0) {
        p.first = c;
      }
      p.last = c;
      if (u_isalpha(cp) != 0) {
        ++p.letters;
        word_char = true;
        if (is_arabic_letter(c)) {
          ++p.arabic_letters;
        } else if (c < 0x250) {
          ++p.latin_letters;
        }
      } else if (u_isdigit(cp) != 0) {
        ++p.digits;
        word_char = true;
      } else if (type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK || c == 0x0640) {
        word_char = in_word;
      } else if (u_ispunct(cp) != 0) {
        ++p.punctuation;
      } else {
        ++p.symbols;
      }
    }
    if (word_char && !in_word) {
      ++p.words;
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
