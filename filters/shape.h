// Shape features of a block, shared by the filters: how long it is, whether it reads as a
// sentence, what it is made of. Cheap: the character profile and the match key behind it are
// computed once per block and cached on the Block.
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
  const Block* block = nullptr;   // the block it describes (none for a default Shape)

  // text::match_key of the block's text, computed once per block (Block::key()); "" for no block.
  std::string_view key() const { return block != nullptr ? std::string_view(block->key()) : std::string_view(); }

  // A headline or subheading: a few words, no sentence end (a question is allowed).
  bool headline_like() const {
    return words >= 2 && words <= 25 && (!ends_sentence || (ends_question && words <= 20));
  }
  // Body prose: long enough to be a paragraph.
  bool prose() const { return words >= 12 && letters > 0; }
};

Shape shape_of(const Block& block);

// The counts alone, from the block's cached profile (words, letters by script, digits, symbols):
// shape_of without its scans of the line's end, for checks that only need lengths and scripts.
Shape shape_counts(const Block& block);

// Shapes of every block of a document, index-aligned with doc.blocks.
std::vector<Shape> shapes_of(const Document& doc);

// The parenthesised tail of a line: "… بكين (رويترز)" -> "رويترز"; "" when the line does not end
// in a parenthesis. Trailing icon names ("play-circle") are ignored.
std::string_view trailing_parenthetical(std::string_view text);

// A line that starts like an item of a list: "- ", "* ", "1.", "• ".
bool starts_as_list_item(std::string_view text);

// Indices of the kept blocks, in order.
std::vector<std::size_t> kept_indices(const Document& doc);
// The same into `out` (emptied first): a caller's buffer, reused from document to document.
void kept_indices(const Document& doc, std::vector<std::size_t>& out);

}  // namespace decruft::filters
