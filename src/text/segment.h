// Sentence and word segmentation with ICU break iterators, plus the fixes ICU lacks for Arabic.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace decruft {
class Step;
}

namespace decruft::text {

// Splits a paragraph into sentences (trimmed, non-empty). Joining them with single spaces gives
// the paragraph back (modulo white space). Arabic fixes: abbreviations such as "د." and "أ."
// do not end a sentence, initials like "أ.ف.ب" and "ص.ب." stay whole, an ellipsis inside a title
// does not split; "؟" and "۔" end sentences, "،" and "؛" do not.
std::vector<std::string> split_sentences(std::string_view paragraph);

// Words (ICU word break, letters/numbers only; punctuation and spaces skipped).
std::vector<std::string> split_words(std::string_view text);

// The `sentences` pipeline step: fills Block::sentences of every kept block.
std::unique_ptr<Step> make_sentences_step();

}  // namespace decruft::text
