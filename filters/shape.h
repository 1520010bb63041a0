// Shape features of a block, shared by the filters: how long it is, whether it reads as a
// sentence, what it is made of. Computed once per block per filter pass.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/document.h"

namespace decruft::filters {

struct Shape {
  std::size_t words = 0;
  std::size_t letters = 0;
  std::size_t arabic_letters = 0;
  std::size_t latin_letters = 0;
  std::size_t digits = 0;
  std::size_t symbols = 0;        // punctuation and symbols
  bool ends_sentence = false;     // . ! ? … ؟ ۔ (before closing quotes)
  bool ends_with_paren = false;   // last non-space char is ')'
  bool ends_question = false;     // ends in ? ؟ or ! (headlines may be questions or exclamations)
  std::string key;                // text::match_key of the text

  // A headline or subheading: a few words, no sentence end (a question is allowed).
  bool headline_like() const {
    return words >= 2 && words <= 25 && (!ends_sentence || (ends_question && words <= 20));
  }
  // Body prose: long enough to be a paragraph.
  bool prose() const { return words >= 12 && letters > 0; }
};

// key_max_words: the match key (the costly part) is computed only for blocks of at most this many
// words; longer blocks get an empty key. Filters that compare only short lines pass a limit.
Shape shape_of(std::string_view text, std::size_t key_max_words = static_cast<std::size_t>(-1));

// Shapes of every block of a document, index-aligned with doc.blocks.
std::vector<Shape> shapes_of(const Document& doc);

// The parenthesised tail of a line: "… بكين (رويترز)" -> "رويترز"; "" when the line does not end
// in a parenthesis. Trailing icon names ("play-circle") are ignored.
std::string_view trailing_parenthetical(std::string_view text);

// Indices of the kept blocks, in order.
std::vector<std::size_t> kept_indices(const Document& doc);

}  // namespace decruft::filters
