// Unicode normalisation of block text (ICU stays inside src/text/).
//
//   normalize("\u200Fﻻ  أعرف،startup")  ==  "لا أعرف، startup"
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
//   nfc                     on       Unicode NFC composition (ICU; only called when a code point that
//                                    NFC can change is present)
//   fold_presentation_forms on       Arabic presentation forms (U+FB50-FDFF, U+FE70-FEFF) -> base
//                                    letters (their NFKC mapping): ﻻ -> لا (two letters), ﷲ -> الله
//   strip_invisible         on       zero-width and format characters removed: ZWSP, soft hyphen,
//                                    word joiner, bidi controls (LRM, RLM, ALM, LRE..RLO, LRI..PDI),
//                                    BOMs, control codes (NUL, ESC, DEL, C1); ZWNJ is removed except
//                                    between two letters (Persian writes it inside words: می‌خواهم;
//                                    in Arabic text it is almost always noise at word edges); ZWJ is
//                                    removed except inside emoji sequences
//   strip_tatweel           off      U+0640 ARABIC TATWEEL removed
//   collapse_spaces         on       runs of white space (incl. tab, newline, NBSP, thin and other Zs
//                                    spaces, U+2028/2029) -> one ASCII space; trimmed
//   fix_punct_spacing       on       a missing space after Arabic punctuation (، ؛ ؟) before a
//                                    word (a letter, « ( [, or a digit unless the punctuation follows
//                                    a digit) is inserted: "الصينية،startup" -> "الصينية، startup",
//                                    but "3،5" stays
struct NormalizeOptions {
  bool nfc = true;
  bool fold_presentation_forms = true;
  bool strip_invisible = true;
  bool strip_tatweel = false;
  bool collapse_spaces = true;
  bool fix_punct_spacing = true;
};

// Input must be valid UTF-8 (invalid input is repaired with U+FFFD first, never passed through);
// output is valid UTF-8. Idempotent: normalize(normalize(x)) == normalize(x). Thread-safe.
std::string normalize(std::string_view s, const NormalizeOptions& options = {});

// True when `s` holds at least one letter (general category L) or decimal digit (Nd).
bool has_letter_or_digit(std::string_view s);

// True when normalize(s, options) == s (checked without building the result).
bool is_normalized(std::string_view s, const NormalizeOptions& options = {});

// For tests: the per-code-point class tables, built from ICU's property maps, say what ICU says of
// each BMP code point asked one property at a time.
bool class_tables_match_icu();

// The `normalize` pipeline step: normalises the title and every kept block's text; blocks left
// without any letter or digit are dropped with reason `empty_block` (their text is left as it was,
// so the report shows what was removed).
std::unique_ptr<Step> make_normalize_step(const NormalizeOptions& options = {});

}  // namespace decruft::text
