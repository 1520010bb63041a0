// Sentence and word segmentation with ICU break iterators, plus the fixes ICU lacks for Arabic.
#pragma once

#include <cstddef>
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
//   split_sentences("قال د. محمد إن النمو بلغ 30.89 في المئة. وأضاف: لا.")
//     == {"قال د. محمد إن النمو بلغ 30.89 في المئة.", "وأضاف: لا."}
// The rules, precisely (see segment.cpp for the reasons):
//   - ICU sentence rules with its English abbreviation list (Mr. Dr. U.S. ...): decimals, URLs,
//     "?" "!" "؟" "۔" terminate, "،" "؛" do not;
//   - initials do not end a sentence: one Arabic letter + "." (د. أ. م.), dotted chains of one- or
//     two-letter parts (أ.ف.ب  ص.ب.  سي.ان.ان), one Latin capital (J. Smith); except right after a
//     number, where they are an era or unit and end the sentence ("عام 2015 م. وقال");
//     a two-letter Arabic word + ". " is a word (له. طن.) and does end it;
//   - an ellipsis (.. or ... or …) never ends a sentence, except ".."/"..." before a Latin capital;
//   - a lone list number ("1.") joins the sentence after it.
// Input should be valid UTF-8 (invalid bytes are repaired to U+FFFD first). Thread-safe (one ICU
// iterator per thread).
std::vector<std::string> split_sentences(std::string_view paragraph);

// The cuts split_sentences makes: byte offsets into `paragraph` where a sentence starts (the
// first sentence's 0 is left out), ascending. Empty for invalid UTF-8 input.
std::vector<std::size_t> sentence_boundaries(std::string_view paragraph);

// The same cuts, always through ICU's break iterator: sentence_boundaries decides most paragraphs
// with its own scanner of ICU's rules, and the tests and benchmarks compare the two.
std::vector<std::size_t> sentence_boundaries_icu(std::string_view paragraph);

// Words (ICU word break, letters/numbers only; punctuation and spaces skipped).
//   split_words("قال: «ديب سيك» 2025!") == {"قال", "ديب", "سيك", "2025"}
std::vector<std::string> split_words(std::string_view text);

// The `sentences` pipeline step: fills Block::sentences of every kept block.
std::unique_ptr<Step> make_sentences_step();

}  // namespace decruft::text
