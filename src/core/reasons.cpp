#include "core/reasons.h"

#include <array>

namespace decruft {

namespace {
constexpr std::array k_reasons{
    ReasonInfo{reason::k_nav, "navigation and page furniture: menus, breadcrumbs, 'latest news', comment prompts"},
    ReasonInfo{reason::k_share, "share, print and font-size buttons"},
    ReasonInfo{reason::k_read_also, "'read also' / 'read more' links and tails"},
    ReasonInfo{reason::k_app_prompt, "app-download, newsletter, subscription and SMS prompts"},
    ReasonInfo{reason::k_furniture, "page-furniture markers without words (TT, A A, icons' names)"},
    ReasonInfo{reason::k_dateline, "a date, time or byline standing alone"},
    ReasonInfo{reason::k_copyright, "copyright and all-rights-reserved lines"},
    ReasonInfo{reason::k_caption, "a photo caption (a short descriptive line ending in a photo credit)"},
    ReasonInfo{reason::k_duplicate_caption, "a caption repeated (scrapers capture captions twice)"},
    ReasonInfo{reason::k_repeated_title, "the title repeated inside the document"},
    ReasonInfo{reason::k_duplicate_block, "a block repeated inside the document (first occurrence kept)"},
    ReasonInfo{reason::k_related_header, "a 'related articles' / 'you may also like' header"},
    ReasonInfo{reason::k_related_teaser, "a teaser of another article under a related header"},
    ReasonInfo{reason::k_appended_story, "an unrelated story appended after the article"},
    ReasonInfo{reason::k_credit, "a source or credit line (wire service, translation, outlet)"},
    ReasonInfo{reason::k_corpus_boilerplate, "a line that recurs in many documents of the corpus"},
    ReasonInfo{reason::k_html_boilerplate, "an HTML block outside the article region or classified as boilerplate"},
    ReasonInfo{reason::k_empty_block, "a block with no letters or digits left after normalisation"},
    ReasonInfo{reason::k_duplicate_paragraph, "a paragraph already seen in an earlier document (--dedup-paragraphs)"},
    ReasonInfo{reason::k_empty_doc, "a document with no text left"},
    ReasonInfo{reason::k_duplicate_doc, "an exact duplicate (after normalisation) of an earlier document"},
    ReasonInfo{reason::k_near_duplicate_doc, "a near-duplicate (MinHash/LSH) of an earlier document"},
};
}  // namespace

std::span<const ReasonInfo> all_reasons() { return k_reasons; }

bool is_known_reason(std::string_view id) {
  for (const auto& r : k_reasons) {
    if (r.id == id) {
      return true;
    }
  }
  return false;
}

}  // namespace decruft
