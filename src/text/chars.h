// Character-class profile of a short text, for the shape features filters use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace decruft::text {

struct CharProfile {
  std::size_t code_points = 0;
  std::size_t letters = 0;
  std::size_t arabic_letters = 0;
  std::size_t latin_letters = 0;
  std::size_t digits = 0;
  std::size_t punctuation = 0;
  std::size_t symbols = 0;
  std::size_t spaces = 0;
  std::size_t words = 0;            // maximal runs of letters/digits/marks
  char32_t last = 0;                // last non-space code point
  char32_t first = 0;               // first non-space code point
};

CharProfile profile(std::string_view s);

// The classes profile() counts, one per code point.
enum class CharKind : std::uint8_t {
  k_space,
  k_letter,
  k_arabic_letter,
  k_latin_letter,
  k_digit,
  k_mark,
  k_punct,
  k_symbol,
};
CharKind char_kind(char32_t c);
// char_kind for U+0000-07FF (ASCII, Latin, Greek, Cyrillic, Hebrew, Arabic), one byte each.
const std::array<CharKind, 0x800>& char_kinds();

// Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao, Khmer,
// Myanmar): a run of them is many words, not one. Counted as one word per two characters, about
// the length of a Chinese or Japanese word, so that "a paragraph of prose" means the same there.
inline bool unspaced_script(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3040 && c <= 0x30FF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F) || (c >= 0x0E00 && c <= 0x0EFF) ||
         (c >= 0x1780 && c <= 0x17FF) || (c >= 0x1000 && c <= 0x109F);
}

// profile()'s bookkeeping, one code point at a time: profile() feeds it every code point;
// text::key_and_profile (key.h) feeds it the code points its key loop decodes, or adds whole
// blocks of them at once (then it keeps in_word and unspaced as add() would).
struct ProfileBuilder {
  CharProfile p;
  bool in_word = false;
  std::size_t unspaced = 0;  // letters of unspaced scripts in the current word

  void add(char32_t c, CharKind kind) {
    ++p.code_points;
    bool word_char = false;
    if (kind == CharKind::k_space) {
      ++p.spaces;
    } else {
      if (p.first == 0) {
        p.first = c;
      }
      p.last = c;
      switch (kind) {
        case CharKind::k_arabic_letter:
          ++p.arabic_letters;
          ++p.letters;
          word_char = true;
          break;
        case CharKind::k_latin_letter:
          ++p.latin_letters;
          ++p.letters;
          word_char = true;
          break;
        case CharKind::k_letter:
          ++p.letters;
          word_char = true;
          break;
        case CharKind::k_digit:
          ++p.digits;
          word_char = true;
          break;
        case CharKind::k_mark:
          word_char = in_word;
          break;
        case CharKind::k_punct:
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
};

// True for . ! ? … ؟ ۔ and closing quotes/brackets after one of them ("...".)
bool ends_sentence(std::string_view s);
bool is_letter(char32_t c);
bool is_arabic_letter(char32_t c);

}  // namespace decruft::text
