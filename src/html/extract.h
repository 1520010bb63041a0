// HTML pages -> blocks: encoding detection, Gumbo parsing, main-content extraction.
#pragma once

#include <string_view>

#include "core/document.h"

namespace decruft::html {

//   option        default  effect
//   keep_tables   off      table cells become blocks (else tables are dropped as html_boilerplate
//                          unless they sit inside the article region and hold prose)
//   keep_code     off      <pre> blocks are kept as code blocks
struct HtmlOptions {
  bool keep_tables = false;
  bool keep_code = false;
};

// Decodes doc.raw (bytes in the page's charset: BOM, <meta charset>, then ICU detection) to UTF-8
// in place, parses it and fills doc.blocks with every block of the page in document order, the
// ones outside the article drop()ped with reason `html_boilerplate` and their evidence, doc.title
// (kind k_title block first) and doc.metadata (url, date, author, language, description ...).
// Never throws; a page it cannot handle gets doc.error set.
void extract(Document& doc, const HtmlOptions& options = {});

// Cheap sniff: does this byte string look like an HTML page (doctype, <html, <head, <body ...)?
bool looks_like_html(std::string_view bytes);

}  // namespace decruft::html
