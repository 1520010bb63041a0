// Internal to src/html: choosing the article region and classifying its blocks.
//
// 1. Region: paragraph-like blocks (enough text, few links, not in nav/aside/footer or under a
//    boilerplate class) give points to their ancestors, Readability style (parent full, grand-
//    parent half, then score / (3 * level)); an element's score is scaled by (1 - its link
//    density) and shifted by its class/id weight. Blocks that JSON-LD articleBody contains count
//    triple. The best element, widened to an ancestor that several near-best candidates share
//    and to siblings that score close to it, is the article region.
// 2. Blocks: outside the region -> dropped; inside, jusText/boilerpipe style rules drop what is
//    in nav/aside/footer/header/figure, under boilerplate class/id hints, link-dense, a data
//    table or code (unless asked for), a heading with no text under it, or the title repeated.
#pragma once

#include <string>
#include <vector>

#include "html/dom.h"
#include "html/extract.h"
#include "html/metadata.h"

namespace decruft::html::detail {

struct BlockVerdict {
  bool keep = false;
  bool in_region = false;
  BlockKind kind = BlockKind::k_paragraph;
  std::string evidence;  // why it was dropped (empty when kept)
};

struct ContentResult {
  std::vector<BlockVerdict> verdicts;  // one per Page::blocks entry
  int region = -1;                     // element index of the region root
  double region_score = 0.0;
  int title_block = -1;                // the block that repeats the title, if any
  std::string title;                   // the headline heading chosen over <title>, if any
};

ContentResult choose_content(Page& page, const ArticleMeta& meta, const HtmlOptions& options);

}  // namespace decruft::html::detail
