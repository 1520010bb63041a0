// Matching keys: for comparing text only, never for output.
#pragma once

#include <string>
#include <string_view>

#include "text/chars.h"

namespace decruft::text {

// NFKC; diacritics (harakat, Quranic marks) and tatweel removed; alef variants (أ إ آ ٱ) -> ا,
// alef maksura ى -> ي, teh marbuta ة -> ه; zero-width and bidi marks, punctuation and symbols
// dropped; case folded; white space runs -> one space, trimmed.
//   match_key("«ديب سيك»: تكلفة")  ==  match_key("ديب  سيك تكلفه")
//
// Precisely: ICU NFKC_Casefold (NFKC + full case folding + removal of default-ignorable code
// points such as ZWJ, ZWNJ, LRM, soft hyphen), then per code point:
//   - combining marks of the Arabic blocks (harakat, tanween, shadda, sukun, dagger alef,
//     Quranic marks, small waw/yeh) and tatweel: removed
//   - أ إ آ ٱ (and the wavy-hamza alefs) -> ا;  ى and Farsi ی -> ي;  ة -> ه;  ک -> ك
//   - decimal digits of every script -> ASCII digits (٢٠١٥ -> 2015)
//   - white space, punctuation, symbols and control codes: word separators (a run of them is one
//     space, none at the ends): "U.S." -> "u s", "«ديب سيك»:" -> "ديب سيك"
//   - other format characters: removed; everything else (letters, other marks, numbers) kept.
// Hamza carriers ؤ ئ and standalone ء are kept as they are.
// Input should be valid UTF-8 (invalid bytes are repaired to U+FFFD first). Thread-safe.
// Fast: text in the Latin/Arabic/general-punctuation ranges never reaches ICU.
std::string match_key(std::string_view s);

// The same key computed the slow, obviously-correct way (ICU on the whole string): the oracle for
// differential tests of match_key's fast path.
std::string match_key_icu(std::string_view s);

// match_key(s) and profile(s) (chars.h) in one pass over s: what a Block needs (every filter
// reads the profile of every block, the stories filter and exact dedup the key). Same results as
// the two functions. On x86-64 with AVX-512 VBMI2 runs of ASCII, U+0080-00BF and U+0600-06FF are
// handled 64 bytes at a time.
struct KeyAndProfile {
  std::string key;
  CharProfile profile;
};
KeyAndProfile key_and_profile(std::string_view s);

}  // namespace decruft::text
