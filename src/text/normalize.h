// Unicode normalisation of block text (ICU stays inside src/text/).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace decruft {
class Step;
}

namespace decruft::text {

// Each rule can be switched off.
//   option                  default  effect
//   nfc                     on       Unicode NFC composition
//   fold_presentation_forms on       Arabic presentation forms (U+FB50-FDFF, U+FE70-FEFF) -> base letters
//   strip_invisible         on       zero-width (ZWSP, ZWNJ-at-edges, ZWJ), bidi controls (LRM, RLM,
//                                    ALM, LRE..PDF, LRI..PDI) and BOMs removed
//   strip_tatweel           off      U+0640 ARABIC TATWEEL removed
//   collapse_spaces         on       runs of white space (incl. NBSP and other Zs) -> one space; trimmed
//   fix_punct_spacing       on       a missing space after Arabic punctuation (، ؛ ؟) before a
//                                    letter is inserted: "الصينية،startup" -> "الصينية، startup"
struct NormalizeOptions {
  bool nfc = true;
  bool fold_presentation_forms = true;
  bool strip_invisible = true;
  bool strip_tatweel = false;
  bool collapse_spaces = true;
  bool fix_punct_spacing = true;
};

// Input must be valid UTF-8; output is valid UTF-8. Idempotent: normalize(normalize(x)) == normalize(x).
std::string normalize(std::string_view s, const NormalizeOptions& options = {});

// The `normalize` pipeline step: normalises every block's text; blocks left without any letter
// or digit are dropped with reason `empty_block`.
std::unique_ptr<Step> make_normalize_step(const NormalizeOptions& options = {});

}  // namespace decruft::text
