// Charset detection and conversion to UTF-8 (ICU stays inside src/text/).
//
// The policy for a page whose bytes may be in any charset, strongest evidence first:
//   1. a byte order mark (UTF-8, UTF-16LE/BE, UTF-32LE/BE) wins;
//   2. bytes that are valid UTF-8 and hold non-ASCII sequences are UTF-8, whatever the page
//      declares (a legacy text is practically never valid multi-byte UTF-8 by accident, so a
//      wrong `charset=windows-1256` on a UTF-8 page must not produce mojibake);
//   3. the declared charset (from <meta charset>, http-equiv or the XML declaration), unless ICU's
//      detector is far more confident in another one (a wrong declaration on legacy bytes);
//   4. ICU's CharsetDetector; windows-1252 when it has no opinion.
// Labels follow the WHATWG encoding standard where it differs from ICU (iso-8859-1 and us-ascii
// mean windows-1252, gb2312 means GB18030 ...).
//
//   auto d = text::decode_to_utf8(bytes, "windows-1256");
//   if (d) { use(d->text); }   // valid UTF-8; d->charset is what was used, d->how why
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace decruft::text {

struct CharsetGuess {
  std::string name;     // ICU's canonical name, empty when the detector has no opinion
  int confidence = 0;   // 0-100
};

// ICU's CharsetDetector over (a window of) the bytes; markup is ignored when `markup` is true.
CharsetGuess detect_charset(std::string_view bytes, bool markup = true);

// The ICU converter name for a label after WHATWG mapping ("latin1" -> "windows-1252"), or an
// empty string when ICU knows no such charset.
std::string canonical_charset(std::string_view label);

struct Decoded {
  std::string text;              // valid UTF-8, BOM removed
  std::string charset;           // the charset the bytes were read in
  std::string how;               // "bom", "utf-8", "declared", "detected" or "default"
  std::size_t replaced = 0;      // bytes or sequences that became U+FFFD
};

// Decodes `bytes` to UTF-8 following the policy above; `declared` may be empty. Fails only when
// ICU cannot open a converter at all (the message names the charset and ICU's error).
Result<Decoded> decode_to_utf8(std::string_view bytes, std::string_view declared = {});

// Converts bytes known to be in `charset` (an ICU name or label) to UTF-8; illegal or
// unmappable sequences become U+FFFD.
Result<Decoded> convert_to_utf8(std::string_view bytes, std::string_view charset);

}  // namespace decruft::text
