#include "html/content.h"

#include <gumbo.h>

#include <fmt/format.h>
#include <algorithm>
#include <array>

namespace decruft::html::detail {

namespace {

// A block below this many code points gives its ancestors no points (Readability's 25).
constexpr std::uint32_t k_min_paragraph_chars = 25;
// A scoring block may not be more link than this.
constexpr double k_max_scoring_link_density = 0.5;
// A boilerplate-hinted element holding more than this share of the page's (or region's) text
// is a wrapper with an unlucky class ("has-sidebar"), not boilerplate.
constexpr double k_wrapper_share = 0.6;
// JSON-LD articleBody must be at least this long to count as evidence.
constexpr std::size_t k_min_article_body = 200;
constexpr std::uint32_t k_min_matched_chars = 30;
// Split articles (merge_split): how far above the region the common ancestor may be, and the
// share of its unhinted text that must be prose.
constexpr int k_max_merge_levels = 3;
constexpr double k_merge_prose_share = 0.75;
constexpr double k_merge_link_share = 0.1;
// An ancestor of the region that scores at least this share of it joins the same way.
constexpr double k_ancestor_merge_share = 0.5;
// Teaser lists: cards (a linked headline of at most k_max_headline_words and a summary, at
// most k_max_card_chars in all), at least k_min_cards of them under one element.
constexpr std::uint32_t k_max_headline_words = 25;
constexpr std::uint32_t k_max_card_chars = 500;
constexpr int k_min_cards = 3;
// A card's headline is mostly link; an unlinked label may lead it ("Editorial <a>...</a>").
constexpr double k_min_headline_link_density = 0.6;
// A link-dense block inside the region stays when it is a sentence of 10+ words whose link
// share is below this.
constexpr double k_max_sentence_link_density = 0.9;
// Byline, caption, meta and header hints mark an element of at most this many code points.
constexpr std::uint32_t k_max_small_hint_chars = 800;
// A note right before the comment section is at most this long (code points).
constexpr std::uint32_t k_max_comment_note_chars = 600;
// What separates a <title>'s parts ("Post title | Blog name"), lowercased.
constexpr std::array<std::string_view, 11> k_title_separators{" | ", " - ", " – ", " — ", " :: ", " « ",
                                                              " » ", " · ", " / ", " › ", " ‹ "};

constexpr std::uint32_t k_negative = k_hint_nav | k_hint_footer | k_hint_share | k_hint_related | k_hint_comment |
                                     k_hint_ad | k_hint_newsletter | k_hint_sidebar | k_hint_tags | k_hint_popup |
                                     k_hint_search | k_hint_gallery;
// Hints that drop a small block inside the region (not a big wrapper).
constexpr std::uint32_t k_small_negative = k_hint_caption | k_hint_byline | k_hint_meta | k_hint_header;

GumboTag tag_of(const Element& e) {
  return static_cast<GumboTag>(e.tag);
}

const char* tag_name(const Element& e) {
  const char* n = gumbo_normalized_tagname(tag_of(e));
  return (n == nullptr || *n == '\0') ? "?" : n;
}

// Container elements (not paragraphs, headings or inline elements).
bool is_section(GumboTag t) {
  return t == GUMBO_TAG_DIV || t == GUMBO_TAG_SECTION || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_OL ||
         t == GUMBO_TAG_UL || t == GUMBO_TAG_DL || t == GUMBO_TAG_FORM || t == GUMBO_TAG_FOOTER;
}

int tag_bonus(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_MAIN:
      return 5;
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_BLOCKQUOTE:
      return 3;
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_FORM:
      return -3;
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_TH:
      return -5;
    default:
      return 0;
  }
}

std::uint32_t count_commas(std::string_view s) {
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ',') {
      ++n;
    } else if (s[i] == '\xD8' && i + 1 < s.size() && s[i + 1] == '\x8C') {  // U+060C ARABIC COMMA
      ++n;
    } else if (s[i] == '\xEF' && i + 2 < s.size() && s[i + 1] == '\xBC' && s[i + 2] == '\x8C') {  // U+FF0C
      ++n;
    } else if (s[i] == '\xE3' && i + 2 < s.size() && s[i + 1] == '\x80' && s[i + 2] == '\x81') {  // U+3001
      ++n;
    }
  }
  return n;
}

bool ends_sentence(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\'' || s.back() == ')')) {
    s.remove_suffix(1);
  }
  if (s.empty()) {
    return false;
  }
  char c = s.back();
  if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';') {
    return true;
  }
  auto ends = [&](std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  };
  // ؟ 。 … ” » ۔ ！ ？ ． । 」
  return ends("\xD8\x9F") || ends("\xE3\x80\x82") || ends("\xE2\x80\xA6") || ends("\xE2\x80\x9D") || ends("\xC2\xBB") ||
         ends("\xDB\x94") || ends("\xEF\xBC\x81") || ends("\xEF\xBC\x9F") || ends("\xEF\xBC\x8E") ||
         ends("\xE0\xA5\xA4") || ends("\xE3\x80\x8D");
}

// Preformatted text that reads as prose (plain-text documents, poems) rather than code: few
// of the characters that code is made of.
bool looks_like_code(std::string_view s) {
  std::size_t symbols = 0;
  std::size_t visible = 0;
  for (char c : s) {
    if (c == ' ') {
      continue;
    }
    ++visible;
    switch (c) {
      case '{':
      case '}':
      case '(':
      case ')':
      case ';':
      case '=':
      case '<':
      case '>':
      case '[':
      case ']':
      case '|':
      case '$':
      case '\\':
      case '#':
      case '&':
      case '*':
      case '_':
        ++symbols;
        break;
      default:
        break;
    }
  }
  return visible == 0 || symbols * 100 >= visible * 3;
}

double link_density(std::uint32_t links, std::uint32_t chars) {
  return chars == 0 ? 0.0 : static_cast<double>(links) / static_cast<double>(chars);
}

std::string lower_collapsed(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!out.empty() && out.back() != ' ') {
        out += ' ';
      }
      continue;
    }
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  }
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out;
}

std::string hint_list(std::uint32_t bits) {
  std::string out;
  for (const auto& n : hint_names(bits)) {
    if (!out.empty()) {
      out += ',';
    }
    out += n;
  }
  return out;
}

class Chooser {
 public:
  Chooser(Page& page, const ArticleMeta& meta, const HtmlOptions& options)
      : page_(page), E_(page.elements), B_(page.blocks), meta_(meta), options_(options) {}

  ContentResult run() {
    ContentResult r;
    r.verdicts.resize(B_.size());
    if (B_.empty() || E_.empty()) {
      return r;
    }
    aggregate();
    match_article_body();
    int body = page_.body >= 0 ? page_.body : 0;
    body_chars_ = std::max<std::uint32_t>(1, E_[static_cast<std::size_t>(body)].chars);
    score(true);
    int top = best_candidate();
    if (top < 0) {
      // No paragraph outside boilerplate: score again without class hints (a page whose
      // every wrapper is called "sidebar" still has an article).
      score(false);
      top = best_candidate();
    }
    std::vector<int> roots;
    if (top < 0) {
      roots.push_back(body);
    } else {
      best_ = top;
      top = widen(top);
      top = merge_split(top);
      roots = with_siblings(top);
    }
    r.region = top < 0 ? body : top;
    r.region_score = top >= 0 ? E_[static_cast<std::size_t>(top)].score : 0.0;
    region_top_ = top < 0 ? body : top;
    classify(roots, r);
    return r;
  }

 private:
  void aggregate() {
    for (const auto& b : B_) {
      Element& e = E_[static_cast<std::size_t>(b.element)];
      e.chars += b.chars;
      e.link_chars += b.link_chars;
      e.blocks += 1;
    }
    for (std::size_t i = E_.size(); i-- > 1;) {
      int p = E_[i].parent;
      if (p >= 0) {
        Element& pe = E_[static_cast<std::size_t>(p)];
        pe.chars += E_[i].chars;
        pe.link_chars += E_[i].link_chars;
        pe.blocks += E_[i].blocks;
      }
    }
  }

  void match_article_body() {
    matched_.assign(B_.size(), 0);
    const std::string& body = meta_.article_body;
    if (body.size() < k_min_article_body) {
      return;
    }
    for (std::size_t i = 0; i < B_.size(); ++i) {
      if (B_[i].chars >= k_min_matched_chars && body.find(B_[i].text) != std::string::npos) {
        matched_[i] = 1;
      }
    }
  }

  // The nearest enclosing element that marks block i as boilerplate (nav/aside/footer tags,
  // negative class hints), ignoring wrappers that hold most of the page; -1 when none.
  int blocker(std::size_t i, bool use_hints) const {
    for (int e = B_[i].element; e >= 0; e = E_[static_cast<std::size_t>(e)].parent) {
      const Element& el = E_[static_cast<std::size_t>(e)];
      GumboTag t = tag_of(el);
      if (t == GUMBO_TAG_BODY || t == GUMBO_TAG_HTML) {
        break;
      }
      bool big = static_cast<double>(el.chars) > k_wrapper_share * body_chars_;
      if (big) {
        continue;
      }
      if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER) {
        return e;
      }
      if (use_hints && (el.hints & k_negative) != 0 && (el.hints & (k_hint_main | k_hint_content)) == 0) {
        return e;
      }
    }
    return -1;
  }

  void touch(int e) {
    Element& el = E_[static_cast<std::size_t>(e)];
    if (!el.candidate) {
      el.candidate = true;
      el.score = tag_bonus(tag_of(el)) + el.weight;
      candidates_.push_back(e);
    }
  }

  void score(bool use_hints) {
    for (int e : candidates_) {
      E_[static_cast<std::size_t>(e)].candidate = false;
      E_[static_cast<std::size_t>(e)].score = 0.0;
    }
    candidates_.clear();
    for (auto& el : E_) {
      el.prose_chars = 0;
      el.open_chars = 0;
      el.open_link_chars = 0;
    }
    // blocker() for every element at once: elements come in document order, parents first.
    blocked_el_.assign(E_.size(), 0);
    for (std::size_t e = 0; e < E_.size(); ++e) {
      const Element& el = E_[e];
      GumboTag t = tag_of(el);
      if (t == GUMBO_TAG_BODY || t == GUMBO_TAG_HTML) {
        continue;
      }
      if (el.parent >= 0 && blocked_el_[static_cast<std::size_t>(el.parent)] != 0) {
        blocked_el_[e] = 1;
        continue;
      }
      if (static_cast<double>(el.chars) > k_wrapper_share * body_chars_) {
        continue;
      }
      if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER ||
          (use_hints && (el.hints & k_negative) != 0 && (el.hints & (k_hint_main | k_hint_content)) == 0)) {
        blocked_el_[e] = 1;
      }
    }
    for (std::size_t i = 0; i < B_.size(); ++i) {
      const RawBlock& b = B_[i];
      bool m = matched_[i] != 0;
      if ((b.context & k_ctx_hidden) != 0 && !m) {
        continue;
      }
      bool blocked = !m && blocked_el_[static_cast<std::size_t>(b.element)] != 0;
      if (!blocked) {
        E_[static_cast<std::size_t>(b.element)].open_chars += b.chars;
        E_[static_cast<std::size_t>(b.element)].open_link_chars += b.link_chars;
      }
      if (b.chars < k_min_paragraph_chars || b.kind == BlockKind::k_heading) {
        continue;
      }
      if (!m && link_density(b.link_chars, b.chars) > k_max_scoring_link_density) {
        continue;
      }
      if (blocked) {
        continue;
      }
      E_[static_cast<std::size_t>(b.element)].prose_chars += b.chars;
      double s = 1.0 + count_commas(b.text) + std::min(3.0, b.chars / 100.0);
      if (m) {
        s *= 3.0;
      }
      int anc = E_[static_cast<std::size_t>(b.element)].parent;
      for (int level = 0; anc >= 0 && level < 5; ++level) {
        touch(anc);
        double div = level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0;
        E_[static_cast<std::size_t>(anc)].score += s / div;
        anc = E_[static_cast<std::size_t>(anc)].parent;
      }
    }
    for (std::size_t i = E_.size(); i-- > 1;) {
      int p = E_[i].parent;
      if (p >= 0) {
        E_[static_cast<std::size_t>(p)].prose_chars += E_[i].prose_chars;
        E_[static_cast<std::size_t>(p)].open_chars += E_[i].open_chars;
        E_[static_cast<std::size_t>(p)].open_link_chars += E_[i].open_link_chars;
      }
    }
    for (int e : candidates_) {
      Element& el = E_[static_cast<std::size_t>(e)];
      el.score *= 1.0 - link_density(el.link_chars, el.chars);
    }
  }

  // An article split across containers (a lead above the picture, the body below; story
  // parts in separate wrappers): a strong candidate outside the region whose nearest common
  // ancestor with it is close above and holds mostly prose pulls the region up to that
  // ancestor. Boilerplate inside the ancestor (header, share bar ...) is dropped block by block
  // afterwards, so the test only asks that the text no hint marks be mostly prose.
  int merge_split(int top) {
    double top_score = E_[static_cast<std::size_t>(top)].score;
    std::vector<int> sorted = candidates_;
    std::sort(sorted.begin(), sorted.end(), [&](int a, int b) {
      return E_[static_cast<std::size_t>(a)].score > E_[static_cast<std::size_t>(b)].score;
    });
    for (std::size_t k = 0; k < sorted.size() && k < 10; ++k) {
      int c = sorted[k];
      const Element& ce = E_[static_cast<std::size_t>(c)];
      if (ce.score < std::max(10.0, top_score * 0.2)) {
        break;
      }
      if (is_ancestor(top, c)) {
        continue;
      }
      if (is_ancestor(c, top)) {
        // A strong ancestor candidate, however far up (old layouts nest the second half of a
        // story in a table inside the cell that holds the first): it joins when what it adds
        // is prose, as below, and no more than the region holds (not a blog's "about" box
        // beside a short post).
        const Element& te = E_[static_cast<std::size_t>(top)];
        if (ce.score >= k_ancestor_merge_share * top_score && ce.prose_chars <= 2 * te.prose_chars &&
            adds_prose(c, top)) {
          top = c;
        }
        continue;
      }
      int lca = E_[static_cast<std::size_t>(top)].parent;
      int up = 1;
      for (; lca >= 0 && !stop_climb(lca) && !is_ancestor(lca, c); lca = E_[static_cast<std::size_t>(lca)].parent) {
        ++up;
      }
      if (lca < 0 || stop_climb(lca) || up > k_max_merge_levels) {
        continue;
      }
      if (!adds_prose(lca, top)) {
        continue;
      }
      touch(lca);
      top = lca;
    }
    return top;
  }

  // Whether the text that `outer` holds beyond `inner` (leaving out what nav/aside/footer tags
  // and boilerplate hints cover) is mostly prose and has few links.
  bool adds_prose(int outer, int inner) const {
    const Element& le = E_[static_cast<std::size_t>(outer)];
    const Element& te = E_[static_cast<std::size_t>(inner)];
    double extra_open = static_cast<double>(le.open_chars) - te.open_chars;
    double extra_prose = static_cast<double>(le.prose_chars) - te.prose_chars;
    double extra_links = static_cast<double>(le.open_link_chars) - te.open_link_chars;
    return extra_open > 0 && extra_prose >= k_merge_prose_share * extra_open &&
           extra_links <= k_merge_link_share * extra_open;
  }

  int best_candidate() const {
    int best = -1;
    for (int e : candidates_) {
      const Element& el = E_[static_cast<std::size_t>(e)];
      GumboTag t = tag_of(el);
      if (t == GUMBO_TAG_HTML) {
        continue;
      }
      if (best < 0 || el.score > E_[static_cast<std::size_t>(best)].score) {
        best = e;
      }
    }
    return best;
  }

  bool is_ancestor(int anc, int e) const {
    for (; e >= 0; e = E_[static_cast<std::size_t>(e)].parent) {
      if (e == anc) {
        return true;
      }
    }
    return false;
  }

  bool stop_climb(int e) const {
    GumboTag t = tag_of(E_[static_cast<std::size_t>(e)]);
    return t == GUMBO_TAG_BODY || t == GUMBO_TAG_HTML;
  }

  // Readability's widening: an ancestor shared by several near-best candidates, an ancestor
  // that scores better, and an ancestor that only wraps the candidate.
  int widen(int top) {
    double top_score = E_[static_cast<std::size_t>(top)].score;
    std::vector<int> sorted = candidates_;
    std::sort(sorted.begin(), sorted.end(), [&](int a, int b) {
      return E_[static_cast<std::size_t>(a)].score > E_[static_cast<std::size_t>(b)].score;
    });
    std::vector<int> alts;
    for (std::size_t k = 0; k < sorted.size() && k < 6; ++k) {
      int c = sorted[k];
      if (c != top && top_score > 0 && E_[static_cast<std::size_t>(c)].score / top_score >= 0.75) {
        alts.push_back(c);
      }
    }
    if (alts.size() >= 3) {
      for (int p = E_[static_cast<std::size_t>(top)].parent; p >= 0 && !stop_climb(p);
           p = E_[static_cast<std::size_t>(p)].parent) {
        int shared = 0;
        for (int a : alts) {
          shared += is_ancestor(p, a) ? 1 : 0;
        }
        if (shared >= 3) {
          top = p;
          touch(top);
          break;
        }
      }
    }
    double last = E_[static_cast<std::size_t>(top)].score;
    double threshold = last / 3.0;
    for (int p = E_[static_cast<std::size_t>(top)].parent; p >= 0 && !stop_climb(p);
         p = E_[static_cast<std::size_t>(p)].parent) {
      const Element& pe = E_[static_cast<std::size_t>(p)];
      if (!pe.candidate) {
        continue;
      }
      if (pe.score < threshold) {
        break;
      }
      if (pe.score > last) {
        top = p;
        break;
      }
      last = pe.score;
    }
    for (int p = E_[static_cast<std::size_t>(top)].parent; p >= 0 && !stop_climb(p);
         p = E_[static_cast<std::size_t>(p)].parent) {
      if (E_[static_cast<std::size_t>(p)].chars != E_[static_cast<std::size_t>(top)].chars) {
        break;
      }
      top = p;
    }
    return top;
  }

  // The region: the top candidate and the siblings that score close to it or hold prose.
  std::vector<int> with_siblings(int top) {
    std::vector<int> roots;
    int parent = E_[static_cast<std::size_t>(top)].parent;
    if (parent < 0 || stop_climb(top)) {
      roots.push_back(top);
      return roots;
    }
    double top_score = E_[static_cast<std::size_t>(top)].score;
    double threshold = std::max(10.0, top_score * 0.2);
    for (std::size_t c = static_cast<std::size_t>(parent) + 1; c < E_.size(); ++c) {
      const Element& ce = E_[c];
      if (ce.depth <= E_[static_cast<std::size_t>(parent)].depth) {
        break;  // left the parent's subtree (elements are in document order)
      }
      if (ce.parent != parent) {
        continue;
      }
      int ci = static_cast<int>(c);
      if (ci == top) {
        roots.push_back(ci);
        continue;
      }
      if (ce.chars == 0 || (ce.hints & k_negative) != 0 || (ce.hints & k_hint_hidden) != 0) {
        continue;
      }
      GumboTag t = tag_of(ce);
      if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER || t == GUMBO_TAG_HEADER) {
        continue;
      }
      double ld = link_density(ce.link_chars, ce.chars);
      // A sibling counts by the best candidate inside it: an article split into <section>s
      // scores in each section's inner wrapper, not in the section itself.
      bool include = best_in_subtree(ci) >= std::max(threshold, top_score * 0.25);
      if (!include && ce.blocks == 1) {
        const RawBlock& b = B_[ce.first_block];
        if (b.kind != BlockKind::k_heading) {
          include = (ce.chars > 80 && ld < 0.25) || (ce.chars <= 80 && ld == 0.0 && ends_sentence(b.text));
        }
      }
      if (include) {
        roots.push_back(ci);
      }
    }
    if (roots.empty()) {
      roots.push_back(top);
    }
    return roots;
  }

  double best_in_subtree(int root) const {
    double best = 0.0;
    for (int c : candidates_) {
      const Element& ce = E_[static_cast<std::size_t>(c)];
      if (ce.score > best && is_ancestor(root, c)) {
        best = ce.score;
      }
    }
    return best;
  }

  // Why block i, inside region root `root`, is boilerplate; empty when it is not.
  std::string inner_reason(std::size_t i, int root) const {
    const RawBlock& b = B_[i];
    std::uint32_t region_chars = std::max<std::uint32_t>(1, E_[static_cast<std::size_t>(root)].chars);
    // Inline elements that hold all of the block's text: a byline or a date line in <span>s
    // directly inside the story's container ("<span class=date>3 March</span> <span
    // class=time>17:05</span>").
    // Not in <pre>: syntax highlighters mark code comments with class "comment".
    if ((b.context & k_ctx_pre) == 0) {
      if ((b.inline_hints & k_negative) != 0 && b.words < 30) {
        return fmt::format("class/id {} on inline text", hint_list(b.inline_hints & k_negative));
      }
      if ((b.inline_hints & k_small_negative) != 0 && b.words < 25) {
        return fmt::format("class/id {} on inline text", hint_list(b.inline_hints & k_small_negative));
      }
    }
    for (int e = b.element; e >= 0 && e != root; e = E_[static_cast<std::size_t>(e)].parent) {
      const Element& el = E_[static_cast<std::size_t>(e)];
      GumboTag t = tag_of(el);
      if ((el.hints & k_hint_hidden) != 0) {
        return fmt::format("hidden <{}>", tag_name(el));
      }
      if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER || t == GUMBO_TAG_HEADER ||
          t == GUMBO_TAG_FIGURE || t == GUMBO_TAG_FIGCAPTION) {
        return fmt::format("in <{}>", tag_name(el));
      }
      // A wrapper: most of the region, or most of the best candidate when its text scored. A
      // gallery is a widget, never a layout wrapper with an unlucky class: one longer than the
      // story it sits in (50 captioned photos) is a wrapper only when it holds the best
      // candidate.
      bool gallery = (el.hints & k_hint_gallery) != 0;
      bool wrapper = (static_cast<double>(el.chars) > k_wrapper_share * region_chars &&
                      (!gallery || best_ < 0 || on_best_path_[static_cast<std::size_t>(e)] != 0)) ||
                     (best_ >= 0 && blocked_el_[static_cast<std::size_t>(e)] == 0 && is_ancestor(best_, e) &&
                      static_cast<double>(el.chars) > k_wrapper_share * E_[static_cast<std::size_t>(best_)].chars);
      if (wrapper || (el.hints & k_hint_main) != 0) {
        continue;
      }
      if ((el.hints & k_negative) != 0 && (el.hints & k_hint_content) == 0) {
        return fmt::format("class/id {} on <{}>", hint_list(el.hints & k_negative), tag_name(el));
      }
      if ((el.hints & k_negative) != 0 && b.words < 30) {
        return fmt::format("class/id {} on <{}>", hint_list(el.hints & k_negative), tag_name(el));
      }
      // A byline, caption, date or meta element is small; a big one is a post wrapper whose
      // class names its author or type ("entry-author-jdoe", "article-info").
      // With a content hint as well ("serendipity_entry serendipity_entry_author_jdoe"), an
      // element of several blocks is the post.
      bool post = (el.hints & k_hint_content) != 0 && el.blocks > 2;
      if ((el.hints & k_small_negative) != 0 && b.words < 25 && el.chars <= k_max_small_hint_chars && !post) {
        return fmt::format("class/id {} on <{}>", hint_list(el.hints & k_small_negative), tag_name(el));
      }
    }
    return {};
  }

  // Without og:title or a JSON-LD headline, <title> often reads "Blog name » Post title" and the
  // first <h1> is the blog's name in the masthead. The headline is then the heading (h1-h3) that
  // repeats <title> or one of its parts and sits nearest the article: inside the region, else
  // the closest before it.
  void pick_title(const std::vector<int>& root_of, ContentResult& r) {
    title_ = meta_.title;
    if (meta_.title_source != "h1" && meta_.title_source != "title") {
      return;
    }
    std::string whole = lower_collapsed(page_.meta.title);
    if (whole.empty()) {
      return;
    }
    std::vector<std::string> parts;
    std::size_t from = 0;
    while (from <= whole.size()) {
      std::size_t cut = std::string::npos;
      std::size_t len = 0;
      for (std::string_view sep : k_title_separators) {
        std::size_t at = whole.find(sep, from);
        if (at < cut) {
          cut = at;
          len = sep.size();
        }
      }
      std::string part = whole.substr(from, cut == std::string::npos ? std::string::npos : cut - from);
      if (!part.empty()) {
        parts.push_back(std::move(part));
      }
      if (cut == std::string::npos) {
        break;
      }
      from = cut + len;
    }
    std::size_t first = B_.size();
    for (std::size_t i = 0; i < B_.size(); ++i) {
      if (root_of[i] >= 0) {
        first = i;
        break;
      }
    }
    int best = -1;
    std::size_t best_dist = 0;
    std::size_t best_len = 0;
    for (std::size_t i = 0; i < B_.size(); ++i) {
      const RawBlock& b = B_[i];
      if (b.heading_level == 0 || b.heading_level > 3 || b.chars < 3 || b.chars > 300 ||
          (b.context & k_ctx_hidden) != 0) {
        continue;
      }
      std::string t = lower_collapsed(b.text);
      bool match = t == whole || std::find(parts.begin(), parts.end(), t) != parts.end() ||
                   (t.size() >= 10 && whole.find(t) != std::string::npos);
      if (!match) {
        continue;
      }
      // Inside the region: 0; before it: how far; after it: last resort.
      std::size_t dist = root_of[i] >= 0 ? 0 : i < first ? first - i : B_.size() + i;
      if (best < 0 || dist < best_dist || (dist == best_dist && t.size() > best_len)) {
        best = static_cast<int>(i);
        best_dist = dist;
        best_len = t.size();
      }
    }
    if (best >= 0) {
      title_ = B_[static_cast<std::size_t>(best)].text;
      r.title = title_;
    }
  }

  // The note between an article and its comments ("comments are moderated", "the views below
  // are the readers' own"), often styled inline with no telling class: a small element after
  // the start of the article's densest container whose next sibling is a comment section (even an empty
  // one that a script fills). Evidence when block i is such a note, else empty.
  std::string before_comments(std::size_t i, int root) const {
    if (best_ < 0 || i <= E_[static_cast<std::size_t>(best_)].first_block) {
      return {};
    }
    int a = -1;
    for (int e = B_[i].element; e >= 0 && e != root; e = E_[static_cast<std::size_t>(e)].parent) {
      if (on_best_path_[static_cast<std::size_t>(e)] != 0) {
        break;
      }
      a = e;
    }
    if (a < 0) {
      return {};
    }
    const Element& ae = E_[static_cast<std::size_t>(a)];
    // A wrapped note, not the article's last paragraph (which may well precede the comments).
    if (!is_section(tag_of(ae)) || ae.chars > k_max_comment_note_chars ||
        ae.first_block <= E_[static_cast<std::size_t>(best_)].first_block) {
      return {};
    }
    for (std::size_t j = static_cast<std::size_t>(a) + 1; j < E_.size(); ++j) {
      if (E_[j].depth <= ae.depth) {
        if (E_[j].parent == ae.parent && is_section(tag_of(E_[j])) && (E_[j].hints & k_hint_comment) != 0) {
          return fmt::format("just before the comments (class/id comment on <{}>)", tag_name(E_[j]));
        }
        break;
      }
    }
    return {};
  }

  bool is_title(const RawBlock& b) const {
    if (title_.empty() || b.chars > 400) {
      return false;
    }
    std::string t = lower_collapsed(b.text);
    std::string title = lower_collapsed(title_);
    if (t == title) {
      return true;
    }
    return b.heading_level == 1 && t.size() >= 10 &&
           (title.find(t) != std::string::npos || t.find(title) != std::string::npos);
  }

  void classify(const std::vector<int>& roots, ContentResult& r) {
    std::vector<int> root_of(B_.size(), -1);
    for (int root : roots) {
      const Element& re = E_[static_cast<std::size_t>(root)];
      for (std::uint32_t i = re.first_block; i < re.end_block && i < B_.size(); ++i) {
        root_of[i] = root;
      }
    }
    const Element& top = E_[static_cast<std::size_t>(region_top_)];
    std::string region_desc = fmt::format("<{}> score {:.0f}", tag_name(top), top.score);
    on_best_path_.assign(E_.size(), 0);
    for (int e = best_; e >= 0; e = E_[static_cast<std::size_t>(e)].parent) {
      on_best_path_[static_cast<std::size_t>(e)] = 1;
    }
    find_teasers(root_of);
    pick_title(root_of, r);
    bool title_seen = false;
    for (std::size_t i = 0; i < B_.size(); ++i) {
      const RawBlock& b = B_[i];
      BlockVerdict& v = r.verdicts[i];
      v.kind = b.kind;
      v.in_region = root_of[i] >= 0;
      bool m = matched_[i] != 0;
      double ld = link_density(b.link_chars, b.chars);
      if (!title_seen && is_title(b) && (v.in_region || b.heading_level == 1 || i < B_.size() / 2)) {
        title_seen = true;
        r.title_block = static_cast<int>(i);
        v.evidence = "the title (shown first)";
        continue;
      }
      if (!v.in_region && !m) {
        v.evidence = outside_reason(i, region_desc);
        continue;
      }
      if ((b.context & k_ctx_hidden) != 0 && !m) {
        v.evidence = "hidden (display:none or hidden attribute)";
        continue;
      }
      int root = root_of[i] >= 0 ? root_of[i] : region_top_;
      if (!m) {
        std::string why = before_comments(i, root);
        if (!why.empty()) {
          v.evidence = std::move(why);
          continue;
        }
      }
      if (!m && !teaser_.empty() && teaser_[i] >= 0) {
        const Element& list = E_[static_cast<std::size_t>(teaser_[i])];
        v.evidence = fmt::format("teaser list: {} cards of a linked headline and a summary in <{}>",
                                 teaser_cards_[static_cast<std::size_t>(teaser_[i])], tag_name(list));
        continue;
      }
      if (!m) {
        std::string why = inner_reason(i, root);
        if (!why.empty()) {
          v.evidence = std::move(why);
          continue;
        }
        // A sentence that happens to be mostly links (a reference, "as reported by <a>...</a>.")
        // is text; a run of link labels is not.
        bool sentence_links = ld < k_max_sentence_link_density && b.words >= 10 && ends_sentence(b.text);
        if (!sentence_links && (ld >= 0.5 || (ld > 0.3 && b.words < 10))) {
          v.evidence = fmt::format("link density {:.2f}", ld);
          continue;
        }
      }
      if (b.kind == BlockKind::k_code && !looks_like_code(b.text)) {
        v.kind = BlockKind::k_paragraph;
      } else if (b.kind == BlockKind::k_code && !options_.keep_code) {
        v.evidence = "code block (keep_code off)";
        continue;
      }
      if (b.kind == BlockKind::k_table_cell) {
        bool prose = b.chars >= 100 || (b.words >= 8 && ends_sentence(b.text));
        if (prose) {
          v.kind = BlockKind::k_paragraph;
        } else if (!options_.keep_tables) {
          v.evidence = "table cell (keep_tables off)";
          continue;
        }
      }
      v.keep = true;
    }
    // A heading is kept only when text it introduces follows it.
    for (std::size_t i = 0; i < B_.size(); ++i) {
      if (!r.verdicts[i].keep || B_[i].kind != BlockKind::k_heading) {
        continue;
      }
      bool has_text = false;
      for (std::size_t j = i + 1; j < B_.size(); ++j) {
        if (!r.verdicts[j].keep) {
          continue;
        }
        if (B_[j].kind == BlockKind::k_heading) {
          break;
        }
        has_text = true;
        break;
      }
      if (!has_text) {
        r.verdicts[i].keep = false;
        r.verdicts[i].evidence = "heading with no kept text under it";
      }
    }
  }

  // Teaser lists ("more stories", streams of cards): an element with at least k_min_cards
  // children that each hold a linked headline and a short summary. The summaries read as
  // prose, so scoring, hints and link density all miss them; the repetition gives them away.
  // teaser_[i] is the list element of block i's card, or -1.
  void find_teasers(const std::vector<int>& root_of) {
    teaser_.assign(B_.size(), -1);
    std::vector<int> card_of(B_.size(), -1);
    std::vector<int> cards;
    for (std::size_t i = 0; i < B_.size(); ++i) {
      const RawBlock& b = B_[i];
      if (root_of[i] < 0 || b.chars < 10 || b.words > k_max_headline_words ||
          link_density(b.link_chars, b.chars) < k_min_headline_link_density) {
        continue;
      }
      // The card: the largest ancestor below the region root that stays card-sized.
      int card = b.element;
      for (int p = E_[static_cast<std::size_t>(card)].parent; p >= 0 && p != root_of[i];
           p = E_[static_cast<std::size_t>(p)].parent) {
        if (E_[static_cast<std::size_t>(p)].chars > k_max_card_chars) {
          break;
        }
        card = p;
      }
      const Element& ce = E_[static_cast<std::size_t>(card)];
      if (card == root_of[i] || ce.parent < 0 || ce.chars > k_max_card_chars) {
        continue;
      }
      // A card has a summary: a block outside links of some length.
      bool summary = false;
      for (std::uint32_t k = ce.first_block; k < ce.end_block; ++k) {
        if (B_[k].chars >= 40 && link_density(B_[k].link_chars, B_[k].chars) < 0.2) {
          summary = true;
          break;
        }
      }
      if (!summary || (!cards.empty() && cards.back() == card)) {
        continue;
      }
      cards.push_back(card);
    }
    // A card with two linked headlines was found twice.
    std::sort(cards.begin(), cards.end());
    cards.erase(std::unique(cards.begin(), cards.end()), cards.end());
    // Count the cards per list element.
    std::vector<int> lists;
    for (int c : cards) {
      int parent = E_[static_cast<std::size_t>(c)].parent;
      if (teaser_cards_.size() < E_.size()) {
        teaser_cards_.assign(E_.size(), 0);
      }
      if (teaser_cards_[static_cast<std::size_t>(parent)]++ == 0) {
        lists.push_back(parent);
      }
    }
    for (int c : cards) {
      int parent = E_[static_cast<std::size_t>(c)].parent;
      if (teaser_cards_[static_cast<std::size_t>(parent)] < k_min_cards) {
        continue;
      }
      // The list is not the article: the densest paragraph container is neither inside it
      // nor around it (a page that is a list of entries keeps them).
      if (best_ >= 0 && (is_ancestor(parent, best_) || is_ancestor(best_, parent))) {
        continue;
      }
      const Element& ce = E_[static_cast<std::size_t>(c)];
      for (std::uint32_t k = ce.first_block; k < ce.end_block; ++k) {
        teaser_[k] = parent;
      }
    }
  }

  std::string outside_reason(std::size_t i, const std::string& region_desc) const {
    const RawBlock& b = B_[i];
    if ((b.context & k_ctx_hidden) != 0) {
      return "hidden; outside article region";
    }
    int bl = blocker(i, true);
    if (bl >= 0) {
      const Element& el = E_[static_cast<std::size_t>(bl)];
      GumboTag t = tag_of(el);
      if (t == GUMBO_TAG_NAV || t == GUMBO_TAG_ASIDE || t == GUMBO_TAG_FOOTER) {
        return fmt::format("in <{}>", tag_name(el));
      }
      return fmt::format("class/id {} on <{}>", hint_list(el.hints & k_negative), tag_name(el));
    }
    double best = 0.0;
    for (int e = b.element; e >= 0; e = E_[static_cast<std::size_t>(e)].parent) {
      const Element& el = E_[static_cast<std::size_t>(e)];
      if (el.candidate) {
        best = el.score;
        break;
      }
    }
    double ld = link_density(b.link_chars, b.chars);
    if (ld >= 0.5) {
      return fmt::format("link density {:.2f}; outside article region", ld);
    }
    return fmt::format("outside article region: score {:.0f} vs {}", best, region_desc);
  }

  Page& page_;
  std::vector<Element>& E_;
  std::vector<RawBlock>& B_;
  const ArticleMeta& meta_;
  const HtmlOptions& options_;
  std::vector<int> candidates_;
  std::vector<char> matched_;
  std::uint32_t body_chars_ = 1;
  int region_top_ = 0;
  int best_ = -1;                   // the best-scoring candidate before widening
  std::string title_;               // the page's title (meta_.title, or the heading pick_title found)
  std::vector<char> blocked_el_;    // per element: blocker() would find one (score pass)
  std::vector<char> on_best_path_;  // per element: best_ or one of its ancestors
  std::vector<int> teaser_;         // per block: the teaser list holding it, or -1
  std::vector<int> teaser_cards_;   // per element: teaser cards directly under it
};

}  // namespace

ContentResult choose_content(Page& page, const ArticleMeta& meta, const HtmlOptions& options) {
  return Chooser(page, meta, options).run();
}

}  // namespace decruft::html::detail
