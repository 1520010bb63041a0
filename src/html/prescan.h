// Internal to src/html: the byte-level pass that runs before Gumbo.
//
// Gumbo parses real pages at about 15 MB/s, and a news page is often half scripts, styles and
// inline SVG that the extractor throws away. The prescan copies the page without them (and
// without comments, <noscript>, <template>, <iframe> contents, <math>), keeps the contents of
// <script type="application/ld+json"> for the metadata, and caps the element nesting depth so
// that pathological pages (100,000 nested tags) can neither make the tree builder quadratic nor
// the tree deep. An offset map takes every position in the output back to the input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace decruft::html::detail {

// Elements nested deeper than this (counting only elements that real pages close) lose their
// tags; their text stays.
inline constexpr std::size_t k_max_depth = 256;

struct Prescan {
  std::string html;                   // what Gumbo parses
  std::vector<std::string> json_ld;   // bodies of <script type="application/ld+json">
  std::size_t removed_bytes = 0;      // bytes of scripts, styles, comments ... left out
  std::size_t capped_tags = 0;        // tags left out by the depth cap
  // Position in `html` -> position in the input.
  std::size_t to_source(std::size_t offset) const;

  // (offset in html, offset in input) at the start of every copied run, ascending.
  std::vector<std::pair<std::size_t, std::size_t>> runs;
};

Prescan prescan(std::string_view page);

// The charset a page declares in its first bytes: <meta charset=...>, <meta http-equiv=
// "Content-Type" content="...; charset=...">, or <?xml ... encoding="..."?>. Empty if none.
std::string declared_charset(std::string_view page);

// ASCII case-insensitive search; npos when absent.
std::size_t find_nocase(std::string_view hay, std::string_view needle, std::size_t from = 0);

}  // namespace decruft::html::detail
