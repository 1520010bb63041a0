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

using Kind = CharKind;

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

}  // namespace

const std::array<CharKind, 0x800>& char_kinds() {
  static const KindTable t;
  return t.kinds;
}

CharKind char_kind(char32_t c) { return c < 0x800 ? char_kinds()[c] : classify(c); }

// The reference the fused key_and_profile (key.h) is tested against: decode, classify, count.
CharProfile profile(std::string_view s) {
  const auto& kinds = char_kinds();
  ProfileBuilder b;
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t c = next_code_point(s, i);
    b.add(c, c < 0x800 ? kinds[c] : classify(c));
  }
  return b.p;
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
