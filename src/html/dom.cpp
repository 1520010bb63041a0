#include "html/dom.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

namespace decruft::html::detail {

namespace {

// ---- an arena for Gumbo: allocation is a pointer bump, the whole tree is freed at once ----

class Arena {
 public:
  void* allocate(std::size_t n) {
    n = (n + 15) & ~static_cast<std::size_t>(15);
    if (n > k_chunk / 4) {
      big_.push_back(std::make_unique<unsigned char[]>(n));
      return big_.back().get();
    }
    if (n > left_) {
      chunks_.push_back(std::make_unique<unsigned char[]>(k_chunk));
      cur_ = chunks_.back().get();
      left_ = k_chunk;
    }
    void* p = cur_;
    cur_ += n;
    left_ -= n;
    return p;
  }

 private:
  static constexpr std::size_t k_chunk = 256 * 1024;
  std::vector<std::unique_ptr<unsigned char[]>> chunks_;
  std::vector<std::unique_ptr<unsigned char[]>> big_;
  unsigned char* cur_ = nullptr;
  std::size_t left_ = 0;
};

void* arena_allocate(void* userdata, std::size_t size) { return static_cast<Arena*>(userdata)->allocate(size); }
void arena_deallocate(void* /*userdata*/, void* /*ptr*/) {}

// ---- class/id hints ----

struct WordHint {
  std::string_view word;
  std::uint32_t hint;
};

// Whole words of a class or id (split on '-', '_', digits and camelCase).
constexpr std::array k_word_hints{
    WordHint{"nav", k_hint_nav}, WordHint{"navbar", k_hint_nav}, WordHint{"navigation", k_hint_nav},
    WordHint{"menu", k_hint_nav}, WordHint{"menus", k_hint_nav}, WordHint{"breadcrumb", k_hint_nav},
    WordHint{"breadcrumbs", k_hint_nav}, WordHint{"pagination", k_hint_nav}, WordHint{"pager", k_hint_nav},
    WordHint{"skip", k_hint_nav}, WordHint{"topnav", k_hint_nav}, WordHint{"subnav", k_hint_nav},
    WordHint{"footer", k_hint_footer}, WordHint{"foot", k_hint_footer}, WordHint{"copyright", k_hint_footer},
    WordHint{"colophon", k_hint_footer}, WordHint{"header", k_hint_header}, WordHint{"masthead", k_hint_header},
    WordHint{"topbar", k_hint_header}, WordHint{"share", k_hint_share}, WordHint{"shares", k_hint_share},
    WordHint{"sharing", k_hint_share}, WordHint{"social", k_hint_share}, WordHint{"addthis", k_hint_share},
    WordHint{"sharethis", k_hint_share}, WordHint{"sociable", k_hint_share}, WordHint{"sharedaddy", k_hint_share},
    WordHint{"print", k_hint_share}, WordHint{"email", k_hint_share}, WordHint{"tweet", k_hint_share},
    WordHint{"facebook", k_hint_share}, WordHint{"twitter", k_hint_share}, WordHint{"whatsapp", k_hint_share},
    WordHint{"toolbar", k_hint_share}, WordHint{"tools", k_hint_share},
    WordHint{"related", k_hint_related}, WordHint{"recommended", k_hint_related},
    WordHint{"recommendations", k_hint_related}, WordHint{"popular", k_hint_related},
    WordHint{"trending", k_hint_related}, WordHint{"mostread", k_hint_related}, WordHint{"teaser", k_hint_related},
    WordHint{"teasers", k_hint_related}, WordHint{"readmore", k_hint_related}, WordHint{"comment", k_hint_comment},
    WordHint{"comments", k_hint_comment}, WordHint{"disqus", k_hint_comment}, WordHint{"respond", k_hint_comment},
    WordHint{"reply", k_hint_comment}, WordHint{"replies", k_hint_comment}, WordHint{"discussion", k_hint_comment},
    WordHint{"caption", k_hint_caption}, WordHint{"captions", k_hint_caption}, WordHint{"credit", k_hint_caption},
    WordHint{"credits", k_hint_caption}, WordHint{"figcaption", k_hint_caption}, WordHint{"byline", k_hint_byline},
    WordHint{"author", k_hint_byline}, WordHint{"authors", k_hint_byline}, WordHint{"dateline", k_hint_byline},
    WordHint{"timestamp", k_hint_byline}, WordHint{"date", k_hint_byline}, WordHint{"published", k_hint_byline},
    WordHint{"posted", k_hint_byline}, WordHint{"pubdate", k_hint_byline}, WordHint{"ad", k_hint_ad},
    WordHint{"ads", k_hint_ad}, WordHint{"advert", k_hint_ad}, WordHint{"adverts", k_hint_ad},
    WordHint{"advertisement", k_hint_ad}, WordHint{"advertising", k_hint_ad}, WordHint{"sponsor", k_hint_ad},
    WordHint{"sponsored", k_hint_ad}, WordHint{"promo", k_hint_ad}, WordHint{"promoted", k_hint_ad},
    WordHint{"promotion", k_hint_ad}, WordHint{"dfp", k_hint_ad}, WordHint{"adsense", k_hint_ad},
    WordHint{"adslot", k_hint_ad}, WordHint{"outbrain", k_hint_ad}, WordHint{"taboola", k_hint_ad},
    WordHint{"banner", k_hint_ad}, WordHint{"newsletter", k_hint_newsletter}, WordHint{"subscribe", k_hint_newsletter},
    WordHint{"subscription", k_hint_newsletter}, WordHint{"signup", k_hint_newsletter},
    WordHint{"optin", k_hint_newsletter}, WordHint{"sidebar", k_hint_sidebar}, WordHint{"widget", k_hint_sidebar},
    WordHint{"widgets", k_hint_sidebar}, WordHint{"rail", k_hint_sidebar}, WordHint{"aside", k_hint_sidebar},
    WordHint{"tags", k_hint_tags}, WordHint{"tag", k_hint_tags}, WordHint{"tagcloud", k_hint_tags},
    WordHint{"categories", k_hint_tags}, WordHint{"topics", k_hint_tags}, WordHint{"keywords", k_hint_tags},
    WordHint{"cookie", k_hint_popup}, WordHint{"cookies", k_hint_popup}, WordHint{"consent", k_hint_popup},
    WordHint{"gdpr", k_hint_popup}, WordHint{"modal", k_hint_popup}, WordHint{"popup", k_hint_popup},
    WordHint{"overlay", k_hint_popup}, WordHint{"lightbox", k_hint_popup}, WordHint{"meta", k_hint_meta},
    WordHint{"info", k_hint_meta}, WordHint{"search", k_hint_search}, WordHint{"login", k_hint_search},
    WordHint{"signin", k_hint_search}, WordHint{"gallery", k_hint_gallery}, WordHint{"slideshow", k_hint_gallery},
    WordHint{"carousel", k_hint_gallery}, WordHint{"slider", k_hint_gallery}, WordHint{"article", k_hint_content}, WordHint{"content", k_hint_content},
    WordHint{"entry", k_hint_content}, WordHint{"main", k_hint_content}, WordHint{"post", k_hint_content},
    WordHint{"story", k_hint_content}, WordHint{"body", k_hint_content}, WordHint{"text", k_hint_content},
    WordHint{"blog", k_hint_content}, WordHint{"hentry", k_hint_content}, WordHint{"prose", k_hint_content},
};

// Stems looked for inside a whole class/id token with separators removed ("relatedPosts",
// "sharebar", "article__body").
constexpr std::array k_stem_hints{
    WordHint{"breadcrumb", k_hint_nav}, WordHint{"navigation", k_hint_nav}, WordHint{"navbar", k_hint_nav},
    WordHint{"menu", k_hint_nav}, WordHint{"footer", k_hint_footer}, WordHint{"share", k_hint_share},
    WordHint{"social", k_hint_share}, WordHint{"related", k_hint_related}, WordHint{"recommend", k_hint_related},
    WordHint{"mostread", k_hint_related}, WordHint{"mostpopular", k_hint_related},
    WordHint{"mostviewed", k_hint_related}, WordHint{"readmore", k_hint_related},
    WordHint{"comment", k_hint_comment}, WordHint{"sidebar", k_hint_sidebar}, WordHint{"widget", k_hint_sidebar},
    WordHint{"newsletter", k_hint_newsletter}, WordHint{"subscribe", k_hint_newsletter},
    WordHint{"advert", k_hint_ad}, WordHint{"sponsor", k_hint_ad}, WordHint{"outbrain", k_hint_ad},
    WordHint{"taboola", k_hint_ad}, WordHint{"adsbygoogle", k_hint_ad}, WordHint{"caption", k_hint_caption},
    WordHint{"byline", k_hint_byline}, WordHint{"cookie", k_hint_popup}, WordHint{"popup", k_hint_popup},
    WordHint{"tagcloud", k_hint_tags}, WordHint{"gallery", k_hint_gallery}, WordHint{"slideshow", k_hint_gallery},
    WordHint{"carousel", k_hint_gallery}, WordHint{"screenreader", k_hint_hidden}, WordHint{"visuallyhidden", k_hint_hidden},
    WordHint{"sronly", k_hint_hidden}, WordHint{"articlebody", k_hint_main}, WordHint{"storybody", k_hint_main},
    WordHint{"postbody", k_hint_main}, WordHint{"entrycontent", k_hint_main}, WordHint{"postcontent", k_hint_main},
    WordHint{"articlecontent", k_hint_main}, WordHint{"storycontent", k_hint_main},
    WordHint{"articletext", k_hint_main}, WordHint{"storytext", k_hint_main}, WordHint{"bodytext", k_hint_main},
    WordHint{"maincontent", k_hint_main}, WordHint{"entrybody", k_hint_main}, WordHint{"newsbody", k_hint_main},
    WordHint{"newscontent", k_hint_main}, WordHint{"newstext", k_hint_main}, WordHint{"blogpost", k_hint_main},
    WordHint{"postentry", k_hint_main}, WordHint{"richtext", k_hint_main},
};

constexpr std::uint32_t k_negative_hints = k_hint_nav | k_hint_footer | k_hint_share | k_hint_related |
                                           k_hint_comment | k_hint_ad | k_hint_newsletter | k_hint_sidebar |
                                           k_hint_tags | k_hint_popup | k_hint_search | k_hint_hidden |
                                           k_hint_gallery;

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::uint32_t word_hint(std::string_view w) {
  for (const auto& h : k_word_hints) {
    if (h.word == w) {
      return h.hint;
    }
  }
  return 0;
}

// Hints carried by one class list or id.
// WordPress and similar CMSs list the post's own tags and categories in its class
// ("tag-tax-credits category-comment-is-free"): slugs of the story's topics, not page furniture.
bool is_taxonomy_token(std::string_view token) {
  for (std::string_view prefix : {"tag-", "category-", "tag_", "category_"}) {
    if (token.size() > prefix.size() && token.compare(0, prefix.size(), prefix) == 0) {
      return true;
    }
  }
  return false;
}

std::uint32_t token_hints(std::string_view value) {
  std::uint32_t bits = 0;
  std::size_t i = 0;
  std::string glued;
  std::string word;
  // A class list with several taxonomy slugs is a post's: its slugs say nothing (a lone
  // "tag-cloud" still does).
  std::size_t taxonomy = 0;
  for (std::size_t k = 0; k < value.size();) {
    std::size_t e = value.find_first_of(" \t\n\r", k);
    e = e == std::string_view::npos ? value.size() : e;
    taxonomy += is_taxonomy_token(value.substr(k, e - k)) ? 1 : 0;
    k = e + 1;
  }
  bool skip_taxonomy = taxonomy >= 2;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t' || value[i] == '\n' || value[i] == '\r')) {
      ++i;
    }
    std::size_t b = i;
    while (i < value.size() && !(value[i] == ' ' || value[i] == '\t' || value[i] == '\n' || value[i] == '\r')) {
      ++i;
    }
    std::string_view token = value.substr(b, i - b);
    // A URL or a path used as an id or class ("http://credit.about.com/cs/...") names a page,
    // not the element's role.
    if (token.empty() || token.size() > 64 || (skip_taxonomy && is_taxonomy_token(token)) ||
        token.find('/') != std::string_view::npos) {
      continue;
    }
    glued.clear();
    word.clear();
    auto end_word = [&] {
      if (!word.empty()) {
        bits |= word_hint(word);
        word.clear();
      }
    };
    for (std::size_t k = 0; k < token.size(); ++k) {
      char c = token[k];
      bool upper = c >= 'A' && c <= 'Z';
      bool alpha = upper || (c >= 'a' && c <= 'z');
      if (!alpha) {
        end_word();
        continue;
      }
      if (upper && k > 0 && token[k - 1] >= 'a' && token[k - 1] <= 'z') {
        end_word();
      }
      word += lower(c);
      glued += lower(c);
    }
    end_word();
    if (glued == "hidden" || glued == "hide" || glued == "invisible" || glued == "offscreen") {
      bits |= k_hint_hidden;
    }
    for (const auto& h : k_stem_hints) {
      if (glued.find(h.word) != std::string::npos) {
        bits |= h.hint;
      }
    }
  }
  return bits;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

const char* attr(const GumboElement& el, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&el.attributes, name);
  return a == nullptr ? nullptr : a->value;
}

bool equals_nocase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

bool contains_nocase(std::string_view hay, std::string_view needle) {
  if (needle.size() > hay.size()) {
    return false;
  }
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    if (equals_nocase(hay.substr(i, needle.size()), needle)) {
      return true;
    }
  }
  return false;
}

bool is_block_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE: case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY: case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR: case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR: case GUMBO_TAG_HTML:
    case GUMBO_TAG_LEGEND: case GUMBO_TAG_LI: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY: case GUMBO_TAG_TD: case GUMBO_TAG_TFOOT: case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD: case GUMBO_TAG_TR: case GUMBO_TAG_UL: case GUMBO_TAG_CAPTION: case GUMBO_TAG_OPTION:
    case GUMBO_TAG_MARQUEE: case GUMBO_TAG_FRAMESET: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_UNKNOWN:
      return true;
    default:
      return false;
  }
}

// Subtrees that never hold article text.
bool is_skipped_tag(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SELECT: case GUMBO_TAG_BUTTON: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH: case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED:
    case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO: case GUMBO_TAG_MAP:
    case GUMBO_TAG_DATALIST: case GUMBO_TAG_INPUT:
      return true;
    default:
      return false;
  }
}

std::uint32_t element_hints(const GumboElement& el, int& weight) {
  std::uint32_t bits = 0;
  if (const char* c = attr(el, "class")) {
    bits |= token_hints(c);
  }
  if (const char* i = attr(el, "id")) {
    // Ids made from a heading's words ("sharing-with-a-single-developer", Sphinx and Markdown
    // anchors) say nothing about the element; real furniture ids are a few words at most.
    std::string_view id(i);
    if (std::count(id.begin(), id.end(), '-') + std::count(id.begin(), id.end(), '_') < 4) {
      bits |= token_hints(id);
    }
  }
  if (const char* r = attr(el, "role")) {
    std::string_view role(r);
    if (role == "navigation" || role == "menu" || role == "menubar") {
      bits |= k_hint_nav;
    } else if (role == "contentinfo") {
      bits |= k_hint_footer;
    } else if (role == "banner") {
      bits |= k_hint_header;
    } else if (role == "complementary") {
      bits |= k_hint_sidebar;
    } else if (role == "main" || role == "article") {
      bits |= k_hint_main;
    } else if (role == "dialog" || role == "alertdialog") {
      bits |= k_hint_popup;
    }
  }
  if (const char* ip = attr(el, "itemprop")) {
    std::string_view v(ip);
    if (contains_nocase(v, "articlebody") || v == "text" || contains_nocase(v, "reviewbody")) {
      bits |= k_hint_main;
    } else if (v == "author" || v == "creator" || v == "datePublished" || v == "dateModified" ||
               v == "dateCreated") {
      bits |= k_hint_byline;
    }
  }
  // A <blockquote> quotes: class="twitter-tweet" (or instagram-media ...) is an embedded post
  // the story quotes, not a share button; the golds keep them.
  if (el.tag == GUMBO_TAG_BLOCKQUOTE) {
    bits &= ~static_cast<std::uint32_t>(k_hint_share);
  }
  // A <time> is a date or a time of day: a block that is nothing else is a dateline (the
  // hint only counts through RawBlock::inline_hints, <time> being inline).
  if (el.tag == GUMBO_TAG_TIME) {
    bits |= k_hint_byline;
  }
  if (gumbo_get_attribute(&el.attributes, "hidden") != nullptr) {
    bits |= k_hint_hidden;
  }
  if (const char* st = attr(el, "style")) {
    std::string_view s(st);
    std::string compact;
    compact.reserve(std::min<std::size_t>(s.size(), 256));
    for (char c : s.substr(0, 512)) {
      if (!is_space(c)) {
        compact += lower(c);
      }
    }
    if (compact.find("display:none") != std::string::npos || compact.find("visibility:hidden") != std::string::npos) {
      bits |= k_hint_hidden;
    }
  }
  if (const char* ah = attr(el, "aria-hidden")) {
    (void)ah;  // aria-hidden often sits on real content (decorative duplicates): not a hint
  }
  weight = 0;
  if ((bits & (k_hint_content | k_hint_main)) != 0) {
    weight += (bits & k_hint_main) != 0 ? 40 : 25;
  }
  if ((bits & k_negative_hints) != 0) {
    weight -= 25;
  }
  return bits;
}

std::uint32_t tag_context(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_NAV: return k_ctx_nav;
    case GUMBO_TAG_HEADER: return k_ctx_header;
    case GUMBO_TAG_FOOTER: return k_ctx_footer;
    case GUMBO_TAG_ASIDE: return k_ctx_aside;
    case GUMBO_TAG_FIGURE: return k_ctx_figure;
    case GUMBO_TAG_FIGCAPTION: return k_ctx_figcaption;
    case GUMBO_TAG_TABLE: return k_ctx_table;
    case GUMBO_TAG_PRE: return k_ctx_pre;
    case GUMBO_TAG_BLOCKQUOTE: return k_ctx_quote;
    case GUMBO_TAG_FORM: return k_ctx_form;
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_MENU: return k_ctx_list;
    case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN: return k_ctx_article;
    case GUMBO_TAG_ADDRESS: return k_ctx_address;
    case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5:
    case GUMBO_TAG_H6: return k_ctx_heading;
    case GUMBO_TAG_TIME: return k_ctx_time;
    default: return 0;
  }
}

int heading_level(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_H1: return 1;
    case GUMBO_TAG_H2: return 2;
    case GUMBO_TAG_H3: return 3;
    case GUMBO_TAG_H4: return 4;
    case GUMBO_TAG_H5: return 5;
    case GUMBO_TAG_H6: return 6;
    default: return 0;
  }
}

// Appends text with white space collapsed; counts code points (and link code points).
struct TextSink {
  std::string buf;
  bool pending_space = false;
  std::uint32_t chars = 0;
  std::uint32_t link_chars = 0;
  std::size_t begin = std::string::npos;
  std::size_t end = 0;

  void add(std::string_view s, bool in_link, std::size_t src_begin, std::size_t src_end) {
    bool any = false;
    for (char c : s) {
      if (is_space(c)) {
        pending_space = true;
        continue;
      }
      if (pending_space && !buf.empty()) {
        buf += ' ';
        ++chars;
        link_chars += in_link ? 1 : 0;
      }
      pending_space = false;
      buf += c;
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        ++chars;
        link_chars += in_link ? 1 : 0;
      }
      any = true;
    }
    if (any) {
      if (begin == std::string::npos) {
        begin = src_begin;
      }
      end = std::max(end, src_end);
    }
  }
  void space() { pending_space = true; }
  void reset() {
    buf.clear();
    pending_space = false;
    chars = link_chars = 0;
    begin = std::string::npos;
    end = 0;
  }
};

// Words: space-separated tokens, except that scripts written without spaces count by their
// characters (Chinese and Japanese about two per word, Thai about four), so that the word
// thresholds of content.cpp mean the same on a Chinese page as on an English one.
std::uint32_t count_words(std::string_view s) {
  std::uint32_t n = 0;
  std::uint32_t cjk = 0;   // ideographs and kana in the current token
  std::uint32_t thai = 0;
  bool in = false;
  auto end_token = [&] {
    if (in) {
      std::uint32_t w = cjk / 2 + thai / 4;
      n += w > 0 ? w : 1;
    }
    cjk = thai = 0;
    in = false;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ') {
      end_token();
      continue;
    }
    in = true;
    if (c >= 0xE0 && c <= 0xEF && i + 2 < s.size()) {
      std::uint32_t cp = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3Fu) << 6) |
                         (static_cast<unsigned char>(s[i + 2]) & 0x3Fu);
      if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
          (cp >= 0xF900 && cp <= 0xFAFF)) {
        ++cjk;
      } else if (cp >= 0x0E00 && cp <= 0x0E7F) {
        ++thai;
      }
      i += 2;
    }
  }
  end_token();
  return n;
}

std::string collapse(std::string_view s) {
  TextSink t;
  t.add(s, false, 0, 0);
  return std::move(t.buf);
}

class Walker {
 public:
  explicit Walker(Page& page) : page_(page) {}

  void walk(GumboNode* root) {
    struct Frame {
      GumboNode* node;
      unsigned child;
      int element;
      std::uint32_t context;
      std::uint32_t hints_up;
      int link_depth;
      int container;  // innermost block-level element, this one included
      bool block;
      std::uint32_t inline_hints;  // hints of the inline elements between `container` and here
    };
    std::vector<Frame> stack;
    stack.reserve(64);
    if (root == nullptr || root->type != GUMBO_NODE_ELEMENT) {
      return;
    }
    auto enter = [&](GumboNode* node, const Frame* parent) {
      const GumboElement& el = node->v.element;
      GumboTag tag = el.tag;
      Element rec;
      rec.parent = parent != nullptr ? parent->element : -1;
      rec.tag = static_cast<int>(tag);
      rec.depth = parent != nullptr ? page_.elements[static_cast<std::size_t>(parent->element)].depth + 1 : 0;
      rec.hints = element_hints(el, rec.weight);
      bool block = is_block_tag(tag);
      if (block) {
        flush();
      }
      rec.first_block = static_cast<std::uint32_t>(page_.blocks.size());
      int index = static_cast<int>(page_.elements.size());
      page_.elements.push_back(rec);
      if (tag == GUMBO_TAG_BODY && page_.body < 0) {
        page_.body = index;
      }
      std::uint32_t context = (parent != nullptr ? parent->context : 0) | tag_context(tag);
      if ((rec.hints & k_hint_hidden) != 0) {
        context |= k_ctx_hidden;
      }
      std::uint32_t hints_up = parent != nullptr ? parent->hints_up : 0;
      if (tag != GUMBO_TAG_BODY && tag != GUMBO_TAG_HTML) {
        hints_up |= rec.hints;
      }
      int link_depth = parent != nullptr ? parent->link_depth : 0;
      if (tag == GUMBO_TAG_A && gumbo_get_attribute(&el.attributes, "href") != nullptr) {
        ++link_depth;
      }
      int container = block || parent == nullptr ? index : parent->container;
      std::uint32_t inline_hints = block || parent == nullptr ? 0 : parent->inline_hints | rec.hints;
      stack.push_back(Frame{node, 0, index, context, hints_up, link_depth, container, block, inline_hints});
      on_element(node, index);
    };
    enter(root, nullptr);
    while (!stack.empty()) {
      Frame& f = stack.back();
      const GumboVector& kids = f.node->v.element.children;
      if (f.child >= kids.length) {
        if (f.block) {
          flush();
        }
        Element& rec = page_.elements[static_cast<std::size_t>(f.element)];
        rec.end_block = static_cast<std::uint32_t>(page_.blocks.size());
        stack.pop_back();
        continue;
      }
      auto* kid = static_cast<GumboNode*>(kids.data[f.child++]);
      switch (kid->type) {
        case GUMBO_NODE_ELEMENT:
        case GUMBO_NODE_TEMPLATE: {
          GumboTag tag = kid->v.element.tag;
          if (tag == GUMBO_TAG_HEAD) {
            head(kid);
            break;
          }
          if (tag == GUMBO_TAG_BR) {
            flush();
            break;
          }
          if (is_skipped_tag(tag) || tag == GUMBO_TAG_TITLE) {
            break;
          }
          if (tag == GUMBO_TAG_META || tag == GUMBO_TAG_LINK) {
            head_element(kid);
            break;
          }
          Frame copy = f;  // `f` may dangle once the stack grows
          enter(kid, &copy);
          break;
        }
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_CDATA: {
          if (sink_.buf.empty()) {
            // The block takes the context of the block element open when its first text came.
            ctx_context_ = f.context;
            ctx_hints_ = f.hints_up;
            ctx_element_ = f.container;
            ctx_inline_ = f.inline_hints;
          } else {
            ctx_inline_ &= f.inline_hints;
          }
          const GumboText& t = kid->v.text;
          std::size_t b = t.start_pos.offset;
          sink_.add(t.text, f.link_depth > 0, b, b + t.original_text.length);
          break;
        }
        case GUMBO_NODE_WHITESPACE:
          sink_.space();
          break;
        default:
          break;
      }
    }
    flush();
  }

 private:

  void on_element(GumboNode* node, int index) {
    const GumboElement& el = node->v.element;
    if (el.tag == GUMBO_TAG_HTML) {
      if (const char* lang = attr(el, "lang")) {
        page_.meta.lang = lang;
      } else if (const char* xl = attr(el, "xml:lang")) {
        page_.meta.lang = xl;
      }
    } else if (el.tag == GUMBO_TAG_TIME && page_.meta.time_datetime.empty()) {
      if (const char* dt = attr(el, "datetime")) {
        page_.meta.time_datetime = dt;
      }
    }
    if (const char* ip = attr(el, "itemprop")) {
      std::string_view v(ip);
      if ((v == "datePublished" || v == "dateCreated") && page_.meta.time_datetime.empty()) {
        if (const char* c = attr(el, "content")) {
          page_.meta.time_datetime = c;
        } else if (const char* d = attr(el, "datetime")) {
          page_.meta.time_datetime = d;
        }
      }
      if (v == "author" && page_.meta.itemprop_author.empty()) {
        author_element_ = index;
      }
    }
  }

  void head_element(GumboNode* node) {
    const GumboElement& el = node->v.element;
    if (el.tag == GUMBO_TAG_TITLE) {
      if (page_.meta.title.empty()) {
        std::string text;
        for (unsigned i = 0; i < el.children.length; ++i) {
          auto* k = static_cast<GumboNode*>(el.children.data[i]);
          if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE) {
            text += k->v.text.text;
          }
        }
        page_.meta.title = collapse(text);
      }
    } else if (el.tag == GUMBO_TAG_META) {
      const char* content = attr(el, "content");
      if (content == nullptr) {
        return;
      }
      for (const char* key_attr : {"property", "name", "itemprop", "http-equiv"}) {
        if (const char* k = attr(el, key_attr)) {
          std::string key(k);
          for (char& c : key) {
            c = lower(c);
          }
          if (page_.meta.metas.size() < 256 && std::strlen(content) < 64 * 1024) {
            page_.meta.metas.emplace_back(std::move(key), collapse(content));
          }
          break;
        }
      }
    } else if (el.tag == GUMBO_TAG_LINK) {
      const char* rel = attr(el, "rel");
      const char* href = attr(el, "href");
      if (rel != nullptr && href != nullptr && equals_nocase(rel, "canonical") && page_.meta.canonical.empty()) {
        page_.meta.canonical = collapse(href);
      }
    }
  }

  void head(GumboNode* node) {
    // Iterative: the head is flat in practice, but nothing here may recurse on page input.
    std::vector<GumboNode*> todo{node};
    while (!todo.empty()) {
      GumboNode* n = todo.back();
      todo.pop_back();
      if (n->type != GUMBO_NODE_ELEMENT) {
        continue;
      }
      head_element(n);
      const GumboVector& kids = n->v.element.children;
      for (unsigned i = kids.length; i > 0; --i) {
        todo.push_back(static_cast<GumboNode*>(kids.data[i - 1]));
      }
    }
  }

  void flush() {
    if (sink_.buf.empty()) {
      sink_.reset();
      return;
    }
    RawBlock b;
    b.text = std::move(sink_.buf);
    while (!b.text.empty() && b.text.back() == ' ') {
      b.text.pop_back();
      --sink_.chars;
    }
    b.begin = sink_.begin;
    b.end = sink_.end;
    b.element = ctx_element_;
    b.chars = sink_.chars;
    b.link_chars = std::min(sink_.link_chars, sink_.chars);
    b.words = count_words(b.text);
    b.context = ctx_context_;
    b.hints_up = ctx_hints_;
    b.inline_hints = ctx_inline_;
    const Element& el = page_.elements[static_cast<std::size_t>(b.element)];
    auto tag = static_cast<GumboTag>(el.tag);
    b.heading_level = heading_level(tag);
    if (b.heading_level == 0 && (b.context & k_ctx_heading) != 0) {
      // text inside an inline child of a heading
      for (int e = b.element; e >= 0; e = page_.elements[static_cast<std::size_t>(e)].parent) {
        int lvl = heading_level(static_cast<GumboTag>(page_.elements[static_cast<std::size_t>(e)].tag));
        if (lvl > 0) {
          b.heading_level = lvl;
          break;
        }
      }
    }
    if (b.heading_level > 0) {
      b.kind = BlockKind::k_heading;
    } else if ((b.context & k_ctx_pre) != 0) {
      b.kind = BlockKind::k_code;
    } else if (tag == GUMBO_TAG_LI || tag == GUMBO_TAG_DD || tag == GUMBO_TAG_DT) {
      b.kind = BlockKind::k_list_item;
    } else if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) {
      b.kind = BlockKind::k_table_cell;
    } else if ((b.context & k_ctx_quote) != 0) {
      b.kind = BlockKind::k_quote;
    } else {
      b.kind = BlockKind::k_paragraph;
    }
    if (b.heading_level == 1 && page_.meta.first_h1.empty()) {
      page_.meta.first_h1 = b.text;
      page_.meta.first_h1_block = static_cast<int>(page_.blocks.size());
    }
    if (author_element_ >= 0 && page_.meta.itemprop_author.empty()) {
      for (int e = b.element; e >= 0; e = page_.elements[static_cast<std::size_t>(e)].parent) {
        if (e == author_element_) {
          page_.meta.itemprop_author = b.text.substr(0, 200);
          break;
        }
      }
    }
    page_.blocks.push_back(std::move(b));
    sink_.reset();
  }

  Page& page_;
  TextSink sink_;
  std::uint32_t ctx_context_ = 0;
  std::uint32_t ctx_hints_ = 0;
  std::uint32_t ctx_inline_ = 0;
  int ctx_element_ = 0;
  int author_element_ = -1;
};

}  // namespace

std::vector<std::string> hint_names(std::uint32_t bits) {
  static constexpr std::array<std::string_view, 19> k_names{
      "nav", "footer", "header", "share", "related", "comment", "caption", "byline", "ad",
      "newsletter", "sidebar", "tags", "hidden", "popup", "meta", "content", "main", "search", "gallery"};
  std::vector<std::string> out;
  for (std::size_t i = 0; i < k_names.size(); ++i) {
    if ((bits & (1u << i)) != 0) {
      out.emplace_back(k_names[i]);
    }
  }
  return out;
}

Page build_page(std::string_view html) {
  Page page;
  Arena arena;
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = arena_allocate;
  options.deallocator = arena_deallocate;
  options.userdata = &arena;
  options.max_errors = 0;
  GumboOutput* out = gumbo_parse_with_options(&options, html.data(), html.size());
  if (out == nullptr) {
    return page;
  }
  page.elements.reserve(html.size() / 64 + 16);
  Walker(page).walk(out->root);
  // No gumbo_destroy_output: it recurses over the tree, and the arena frees everything at once.
  return page;
}

}  // namespace decruft::html::detail
