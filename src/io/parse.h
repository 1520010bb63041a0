// The first pipeline steps: `decode` (bytes -> valid UTF-8) and `blocks` (text -> blocks).
#pragma once

#include <memory>

#include "html/extract.h"

namespace decruft {
class Step;
}

namespace decruft::io {

// decode: strips a BOM, rejects binary data (NUL bytes or control characters in bulk) with an
// error, removes stray NULs, and repairs invalid UTF-8 with U+FFFD (counted in
// Document::repaired_bytes). HTML documents are decoded by the blocks step, which knows charsets;
// a text already known valid (Document::raw_valid_utf8: a JSON Lines body, which the JSON parser
// checked) is not checked again.
std::unique_ptr<Step> make_decode_step();

// blocks: a text scrape becomes one block per non-empty line (blank-line separated and
// single-newline files alike; CRLF tolerated); a JSONL title becomes a k_title block first; an
// HTML page goes through html::extract.
std::unique_ptr<Step> make_blocks_step(const html::HtmlOptions& options = {});

// Splits text into blocks, one per non-empty line, recording raw spans and line numbers.
void text_to_blocks(Document& doc);

}  // namespace decruft::io
