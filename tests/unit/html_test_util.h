// Helpers shared by the tests/unit/html_*_test.cpp files.
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "core/document.h"
#include "html/extract.h"

namespace decruft::html::testing {

inline std::string read_testdata(std::string_view name) {
  std::ifstream in(std::string(DECRUFT_SOURCE_DIR) + "/tests/testdata/html/" + std::string(name), std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline Document extract_bytes(std::string bytes, const HtmlOptions& options = {}) {
  Document doc;
  doc.id = "t";
  doc.source = "t.html";
  doc.format = InputFormat::k_html;
  doc.raw = std::move(bytes);
  extract(doc, options);
  return doc;
}

// The block whose text contains `needle`, or nullptr.
inline const Block* find_block(const Document& doc, std::string_view needle) {
  auto it = std::find_if(doc.blocks.begin(), doc.blocks.end(),
                         [&](const Block& b) { return b.text.find(needle) != std::string::npos; });
  return it == doc.blocks.end() ? nullptr : &*it;
}

}  // namespace decruft::html::testing
