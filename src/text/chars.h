// Character-class profile of a short text, for the shape features filters use.
#pragma once

#include <cstddef>
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

// True for . ! ? … ؟ ۔ and closing quotes/brackets after one of them ("...".)
bool ends_sentence(std::string_view s);
bool is_letter(char32_t c);
bool is_arabic_letter(char32_t c);

}  // namespace decruft::text
