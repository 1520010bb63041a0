// Matching keys: for comparing text only, never for output.
#pragma once

#include <string>
#include <string_view>

namespace decruft::text {

// NFKC; diacritics (harakat, Quranic marks) and tatweel removed; alef variants (أ إ آ ٱ) -> ا,
// alef maksura ى -> ي, teh marbuta ة -> ه; zero-width and bidi marks, punctuation and symbols
// dropped; case folded; white space runs -> one space, trimmed.
//   match_key("«ديب سيك»: تكلفة")  ==  match_key("ديب  سيك تكلفه")
std::string match_key(std::string_view s);

}  // namespace decruft::text
