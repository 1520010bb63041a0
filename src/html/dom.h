// Internal to src/html: a Gumbo tree flattened into element records and text blocks.
//
// The walk is iterative (no recursion, whatever the nesting), and the Gumbo tree lives in an
// arena freed in one go, so Gumbo's recursive destructor never runs. Blocks come out in document
// order, so the blocks of any element's subtree are one contiguous range [first_block, end_block).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/document.h"

namespace decruft::html::detail {

// Class/id/role hints: what a token of an element's class or id attribute says about it.
enum Hint : std::uint32_t {
  k_hint_nav = 1u << 0,         // nav, menu, navbar, breadcrumb, pagination, skip-link
  k_hint_footer = 1u << 1,      // footer, copyright, colophon
  k_hint_header = 1u << 2,      // header, masthead, topbar
  k_hint_share = 1u << 3,       // share, social, addthis, print/email tools
  k_hint_related = 1u << 4,     // related, recommended, more stories, popular, trending
  k_hint_comment = 1u << 5,     // comment, disqus, respond, replies
  k_hint_caption = 1u << 6,     // caption, credit, wp-caption
  k_hint_byline = 1u << 7,      // byline, author, dateline, timestamp
  k_hint_ad = 1u << 8,          // ad, ads, advert, sponsor, promo, outbrain, taboola
  k_hint_newsletter = 1u << 9,  // newsletter, subscribe, signup
  k_hint_sidebar = 1u << 10,    // sidebar, widget, rail
  k_hint_tags = 1u << 11,       // tags, tag cloud, categories, topics
  k_hint_hidden = 1u << 12,     // hidden attribute, display:none, sr-only
  k_hint_popup = 1u << 13,      // cookie, consent, modal, popup
  k_hint_meta = 1u << 14,       // post meta, date, info lines
  k_hint_content = 1u << 15,    // article, content, entry, post, story, body, text
  k_hint_main = 1u << 16,       // itemprop=articleBody, role=main, articleBody classes
  k_hint_search = 1u << 17,     // search, login
  k_hint_gallery = 1u << 18,    // gallery, slideshow, carousel, slider
};

// Names of the hints set in `bits`, for evidence and Block::html.hints.
std::vector<std::string> hint_names(std::uint32_t bits);

// Context flags: which kind of element encloses a block.
enum Context : std::uint32_t {
  k_ctx_nav = 1u << 0,
  k_ctx_header = 1u << 1,
  k_ctx_footer = 1u << 2,
  k_ctx_aside = 1u << 3,
  k_ctx_figure = 1u << 4,
  k_ctx_figcaption = 1u << 5,
  k_ctx_table = 1u << 6,
  k_ctx_pre = 1u << 7,
  k_ctx_quote = 1u << 8,
  k_ctx_form = 1u << 9,
  k_ctx_list = 1u << 10,
  k_ctx_hidden = 1u << 11,
  k_ctx_article = 1u << 12,  // inside <article> or <main>
  k_ctx_address = 1u << 13,
  k_ctx_heading = 1u << 14,
  k_ctx_time = 1u << 15,
};

struct Element {
  int parent = -1;
  int tag = 0;                 // GumboTag
  int depth = 0;
  std::uint32_t hints = 0;     // own class/id/role hints
  int weight = 0;              // class/id weight: +25 content-like, -25 boilerplate-like
  std::uint32_t first_block = 0;
  std::uint32_t end_block = 0;
  // Aggregates over the subtree's blocks.
  std::uint32_t chars = 0;
  std::uint32_t link_chars = 0;
  std::uint32_t blocks = 0;
  double score = 0.0;          // region score (content.cpp)
  bool candidate = false;
  // content.cpp: chars of the subtree's scoring (prose) blocks, and chars (and link chars) of
  // its blocks that no nav/aside/footer tag or boilerplate class/id hint covers.
  std::uint32_t prose_chars = 0;
  std::uint32_t open_chars = 0;
  std::uint32_t open_link_chars = 0;
};

struct RawBlock {
  std::string text;             // whitespace collapsed, trimmed
  std::size_t begin = 0;        // span in the parsed buffer
  std::size_t end = 0;
  int element = -1;             // innermost block-level element
  BlockKind kind = BlockKind::k_paragraph;
  std::uint32_t chars = 0;      // code points
  std::uint32_t link_chars = 0; // code points inside <a href>
  std::uint32_t words = 0;
  std::uint32_t context = 0;    // Context flags
  std::uint32_t hints_up = 0;   // hints of every enclosing element below <body>
  // Hints that cover all of the block's text from inline elements inside its block element
  // (<span class="byline">By ...</span>, <span class="date">): the hints every text node of the
  // block has between it and `element`.
  std::uint32_t inline_hints = 0;
  int heading_level = 0;        // 1-6 for h1-h6
  bool data_cell = false;       // a cell of a data table (short cells, no nested blocks)
};

// What the <head> (and a few body elements) say about the page.
struct PageMeta {
  std::string title;                                       // <title>
  std::vector<std::pair<std::string, std::string>> metas;  // meta name/property/itemprop -> content
  std::string canonical;
  std::string lang;
  std::string first_h1;
  int first_h1_block = -1;
  std::string time_datetime;   // first <time datetime=...> in the body
  std::string itemprop_author; // first itemprop=author text in the body
};

struct Page {
  std::vector<Element> elements;
  std::vector<RawBlock> blocks;
  PageMeta meta;
  int body = -1;               // element index of <body>
};

// Parses `html` (valid UTF-8) with Gumbo and flattens it.
Page build_page(std::string_view html);

}  // namespace decruft::html::detail
