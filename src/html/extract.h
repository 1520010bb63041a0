// HTML pages -> blocks: encoding detection, Gumbo parsing, main-content extraction.
#pragma once

#include <string_view>

#include "core/document.h"

namespace decruft::html {

//   option        default  effect
//   keep_tables   on       cells of data tables inside the article region are kept as table_cell
//                          blocks (off: dropped as html_boilerplate; prose cells are paragraphs
//                          either way, and tables outside the region are always dropped)
//   keep_code     on       <pre> code inside the article region is kept as code blocks (off:
//                          dropped; a <pre> that reads as prose is a paragraph either way)
//   keep_title    on       the title block (kind k_title, the headline) comes first; off: it is
//                          dropped as html_boilerplate ("the title (keep_title off)"), so text output
//                          has the article body only; doc.title is set either way, and the heading
//                          that repeats the title in the page is left out in both cases
// keep_tables and keep_code default on because the gold of the extraction benchmarks (and
// readers) count a table or a code listing of the article as part of it: on html-dev tables add
// 0.2 points of F1 (cleaneval-dev, readability) and code 1.1 points of recall (readability set)
// for at most 0.1 point of precision. keep_title is for benchmarks and corpora whose text never
// holds the headline (see docs/html.md, "Title").
struct HtmlOptions {
  bool keep_tables = true;
  bool keep_code = true;
  bool keep_title = true;
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
