#include "filters/stories.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "core/reasons.h"
#include "filters/captions.h"
#include "filters/shape.h"
#include "filters/topic.h"
#include "text/key.h"

namespace decruft::filters {

namespace {

bool dropped_as(const Block& b, std::string_view r) { return b.drop && b.drop->reason == r; }

bool is_caption_block(const Block& b) {
  return dropped_as(b, reason::k_caption) || dropped_as(b, reason::k_duplicate_caption) ||
         (b.kept() && looks_like_caption(b));
}

}  // namespace

StoryStart story_start_at(const Document& doc, std::size_t i) {
  StoryStart out;
  const Block& head = doc.blocks[i];
  Shape hs = shape_of(head);
  if (!hs.headline_like()) {
    return out;
  }
  int markers = 0;
  int repeats = 0;
  // Distinct captions: one photo captured twice is still one photo (articles have photos under
  // subheadings too; a story page adds a marker or its headline again).
  std::vector<std::string_view> captions;
  for (std::size_t j = i + 1; j < doc.blocks.size() && j <= i + 8; ++j) {
    const Block& b = doc.blocks[j];
    if (is_caption_block(b)) {
      std::string_view key = b.key();
      if (std::find(captions.begin(), captions.end(), key) == captions.end()) {
        captions.push_back(key);
      }
      continue;
    }
    if (dropped_as(b, reason::k_furniture)) {
      // In HTML, short label blocks (chart axes, icons) are common inside articles: not markers.
      // Nor is a short word (a table cell "new", "yes" flattened into a line, a menu item "相簿"):
      // page markers are symbols, counters and capital-letter widget labels ("TT", "A A", "|", "6366").
      auto upper = static_cast<std::size_t>(
          std::count_if(b.text.begin(), b.text.end(), [](char c) { return c >= 'A' && c <= 'Z'; }));
      bool word = b.profile().letters > upper;  // letters other than capitals: a word, not a marker
      markers += doc.format == InputFormat::k_html || word ? 0 : 1;
      continue;
    }
    if (b.text.size() <= head.text.size() + 16 && b.key() == hs.key()) {
      ++repeats;
      continue;
    }
    if (!b.kept()) {
      continue;  // other furniture between the headline and the body
    }
    break;  // the body (or anything else) begins
  }
  // The headline again is strong evidence only with other furniture: a line captured twice
  // alone is a scraping accident as often as a story page.
  int furniture = static_cast<int>(captions.size()) + markers;
  out.score = furniture + (repeats > 0 ? 1 : 0) + (repeats > 0 && furniture > 0 ? 1 : 0);
  if (doc.format == InputFormat::k_html && repeats == 0) {
    out.score = std::min(out.score, 1);  // a page's structure bounds the article: need the headline again
  }
  if ((hs.words < 3 || hs.letters < 12) && out.score < 3) {
    out.score = 0;  // a two-word line needs the full set of story furniture
  }
  out.markers_only = captions.empty() && repeats == 0;
  if (out.score > 0) {
    out.evidence = fmt::format("headline followed by {} caption(s), {} marker(s){}", captions.size(), markers,
                               repeats > 0 ? ", the headline again" : "");
  }
  return out;
}

namespace {

// A related-articles header is a few words at most.
constexpr std::size_t k_max_header_words = 6;

bool is_related_header(const Block& b, const Shape& s, const RuleSet& rules) {
  if (s.words > k_max_header_words) {
    return false;
  }
  RuleSet::Match m;
  if (b.kept()) {
    return rules.match(s.key(), s.words, m, b.text) && m.reason == reason::k_related_header;
  }
  // A standalone "read also" that nav removed is a header too.
  return (dropped_as(b, reason::k_read_also) || dropped_as(b, reason::k_related_header)) && s.words <= 3 &&
         rules.match(s.key(), s.words, m, b.text) && m.reason == reason::k_related_header;
}

class RelatedFilter final : public Filter {
 public:
  explicit RelatedFilter(std::shared_ptr<const RuleSet> rules) : rules_(std::move(rules)) {}
  std::string_view name() const override { return "related"; }
  std::string_view description() const override {
    return "'related articles' headers and the teasers under them";
  }

 protected:
  void classify(const Document& doc, Marks& marks) override {
    const auto& blocks = doc.blocks;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      if (blocks[i].kind == BlockKind::k_title || blocks[i].profile().words > k_max_header_words) {
        continue;  // not a header (is_related_header's first test, without the rest of the shape)
      }
      Shape s = shape_of(blocks[i]);
      if (!is_related_header(blocks[i], s, *rules_)) {
        continue;
      }
      if (blocks[i].kept()) {
        marks.drop(i, reason::k_related_header, fmt::format("header \"{}\"", blocks[i].text));
      }
      std::size_t j = i + 1;
      bool after_title = false;  // a teaser title was just seen: a lead sentence may follow
      std::size_t teasers = 0;
      for (; j < blocks.size(); ++j) {
        const Block& b = blocks[j];
        if (!b.kept()) {
          continue;  // captions, credits, copies inside the teaser unit
        }
        Shape t = shape_of(b);
        if (story_start_at(doc, j).score >= 2 && teasers > 0) {
          break;  // the next story begins
        }
        if (t.headline_like() && t.words <= 20) {
          marks.drop(j, reason::k_related_teaser, fmt::format("teaser title under \"{}\"", blocks[i].text));
          after_title = true;
          ++teasers;
          continue;
        }
        if (after_title && t.words <= 60) {
          marks.drop(j, reason::k_related_teaser, "teaser lead under a teaser title");
          after_title = false;
          ++teasers;
          continue;
        }
        if (t.words <= 8 && !t.ends_sentence) {
          marks.drop(j, reason::k_related_teaser, "teaser line");
          continue;
        }
        break;
      }
      i = j > i ? j - 1 : i;
    }
  }

 private:
  std::shared_ptr<const RuleSet> rules_;
};

// A section is judged against at most this overlap, however coherent the article.
constexpr double k_max_similarity = 0.2;

double median(std::vector<double> v) {
  if (v.size() < 2) {
    return 0.3;  // too little article to measure: a typical value
  }
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
  return v[v.size() / 2];
}

// Not yet computed (StoriesFilter's per-block terms).
constexpr std::uint32_t k_no_terms = 0xFFFFFFFF;

// An appended story follows an article: one of at least this many body paragraphs.
constexpr std::size_t k_min_story_prose = 2;

// The page title again, or with the site's name around it ("Headline - Site", "Site | Headline"):
// one key contains the other, with at most five words more.
bool is_title_again(std::string_view key, std::string_view title) {
  if (key.empty() || title.empty()) {
    return false;
  }
  std::string_view longer = key.size() >= title.size() ? key : title;
  std::string_view shorter = key.size() >= title.size() ? title : key;
  std::size_t pos = longer.find(shorter);
  if (pos == std::string_view::npos || shorter.size() < 12) {
    return false;
  }
  std::size_t extra = 0;
  for (char c : longer.substr(0, pos)) {
    extra += c == ' ' ? 1 : 0;
  }
  for (char c : longer.substr(pos + shorter.size())) {
    extra += c == ' ' ? 1 : 0;
  }
  return extra <= 5;
}

// Only a real headline opens another story: five words or more, not a question (interviews),
// not a list item ("- ", "* ", "1.").
bool headline_of_a_story(std::string_view text, const Shape& s) {
  if (s.words < 5 || s.ends_question || s.ends_sentence) {
    return false;
  }
  return !starts_as_list_item(text);
}

// shape_of(b) as far as StoriesFilter reads it. Every shape it reads is a kept block's, for its
// counts (prose(), words) and whether it is headline_like(); only a headline-like shape is read
// further (headline_of_a_story). The line's end (sentence end, question mark: scans of the last
// characters) can only take headline_like() away: a block that is not headline-like with no
// sentence end is not with any, and is left with its counts alone. That is most of a page's
// text (paragraphs of more than 25 words).
Shape story_shape(const Block& b) {
  Shape s = shape_counts(b);
  return s.headline_like() ? shape_of(b) : s;
}

class StoriesFilter final : public Step {
 public:
  StoriesFilter(double similarity, bool split) : similarity_(similarity), split_(split) {}
  std::string_view name() const override { return "appended_stories"; }
  std::string_view description() const override {
    return "unrelated stories appended after the article: story boundaries and topical coherence";
  }

  void process(Document& doc) override {
    auto& blocks = doc.blocks;
    // Shapes once per block (no keys: this filter compares content terms, not lines). The buffers
    // here and below are per thread, reused from document to document (steps are shared by the
    // pipeline's threads): this filter runs on every document and most need none of them long.
    thread_local std::vector<Shape> shapes;
    thread_local std::vector<std::size_t> prose_after;
    thread_local TermBag para;  // one paragraph's terms (cleared before each use)
    shapes.clear();
    for (const auto& blk : blocks) {
      shapes.push_back(blk.kept() ? story_shape(blk) : Shape{});
    }
    // The main story: from the first kept block. Its term bag grows as sections are accepted;
    // `coherence` holds how much each of its paragraphs shared with the text before it, the
    // article's own baseline against which a new section is judged. Term bags cost far more than
    // the rest, and most documents never need one: they are built lazily, up to the block under
    // judgement, only when a section's topic has to be judged (catch_up); the result is the same
    // as building them block by block.
    TermBag main;
    std::vector<double> coherence;
    std::size_t prose_in_story = 0;
    std::size_t story_words = 0;  // words of the story's prose paragraphs so far
    // prose_after[k]: words of the prose paragraphs from block k to the end.
    prose_after.assign(blocks.size() + 1, 0);
    for (std::size_t k = blocks.size(); k-- > 0;) {
      prose_after[k] = prose_after[k + 1] + (blocks[k].kept() && shapes[k].prose() ? shapes[k].words : 0);
    }
    // The title's key, computed on first use: only a story start is compared with the title.
    std::optional<std::string> title_key;
    auto title_again = [&](const Block& b) {
      if (!title_key) {
        title_key = text::match_key(doc.title);
      }
      return is_title_again(b.key(), *title_key);
    };
    std::size_t main_until = 0;  // kept blocks before this index are in `main`
    std::size_t first_appended = blocks.size();
    std::string boundary_evidence;
    // Each block's content terms, computed on first use: a section's paragraphs are put into
    // bags when the section is judged and again when the article takes them in (catch_up).
    // [begin, end) in block_terms_buf, begin k_no_terms until computed.
    thread_local std::vector<std::uint64_t> block_terms_buf;
    thread_local std::vector<std::pair<std::uint32_t, std::uint32_t>> block_terms_at;
    bool block_terms_ready = false;
    auto terms_of = [&](std::size_t k) -> std::span<const std::uint64_t> {
      if (!block_terms_ready) {
        block_terms_buf.clear();
        block_terms_at.assign(blocks.size(), {k_no_terms, k_no_terms});
        block_terms_ready = true;
      }
      auto& at = block_terms_at[k];
      if (at.first == k_no_terms) {
        at.first = static_cast<std::uint32_t>(block_terms_buf.size());
        TermBag::key_terms(blocks[k].key(), block_terms_buf);
        at.second = static_cast<std::uint32_t>(block_terms_buf.size());
      }
      return {block_terms_buf.data() + at.first, block_terms_buf.data() + at.second};
    };
    auto catch_up = [&](std::size_t until) {
      for (; main_until < until; ++main_until) {
        const Block& blk = blocks[main_until];
        if (!blk.kept()) {
          continue;
        }
        para.clear();
        para.add_terms(terms_of(main_until));
        // containment(para, main), then main.merge(para), in one pass over the paragraph.
        const bool judged = shapes[main_until].prose() && main.distinct() >= 8 && para.distinct() >= 5;
        const double main_weight = main.weight();
        const double shared = main.merge_shared(para);
        if (judged) {
          coherence.push_back(containment_of(shared, para.weight(), main_weight));
        }
      }
    };
    // The content overlap with the article of the paragraphs under a headline at `head`: the
    // median over the first four of `prose` (the headline goes with the first) that have terms
    // enough, each compared with the article the way its own paragraphs were. None when it cannot
    // be judged: an article of under three paragraphs so far, or fewer than two paragraphs.
    auto overlap_with_article = [&](std::size_t head, std::span<const std::size_t> prose) -> std::optional<double> {
      catch_up(head);
      if (coherence.size() < 2 || main.distinct() < 8) {
        return std::nullopt;
      }
      std::vector<double> sims;
      for (std::size_t n = 0; n < prose.size() && sims.size() < 4; ++n) {
        para.clear();
        if (n == 0) {
          para.add_terms(terms_of(head));
        }
        para.add_terms(terms_of(prose[n]));
        if (para.distinct() >= 5) {
          sims.push_back(containment(para, main));
        }
      }
      return sims.size() >= 2 ? std::optional<double>(median(sims)) : std::nullopt;
    };
    // The overlap below which a section is another topic: half the article's own coherence (its
    // paragraphs' overlap with the text before them), at most k_max_similarity.
    auto topic_need = [&] { return std::min(k_max_similarity, similarity_ * median(coherence)); };
    // Whether the prose after a headline at `i` reads as more of the article: the topic test below,
    // the other way round. Page markers alone (numbers, symbols) under a headline are weak evidence
    // of a new story in a text scrape: a table or a chart flattened into lines looks the same
    // ("July (°F)", "23/16", "74/60" ...), and the article goes on after it.
    auto continues_the_article = [&](std::size_t i) {
      if (doc.format == InputFormat::k_html) {
        return false;
      }
      std::vector<std::size_t> prose;
      for (std::size_t k = i + 1; k < blocks.size(); ++k) {
        if (blocks[k].kept() && shapes[k].prose()) {
          prose.push_back(k);
        }
      }
      std::optional<double> sim = overlap_with_article(i, prose);
      return sim && *sim >= topic_need();
    };
    for (std::size_t i = 0; i < blocks.size(); ++i) {
      const Block& b = blocks[i];
      if (!b.kept()) {
        continue;
      }
      const Shape& s = shapes[i];
      if (b.kind == BlockKind::k_title) {
        continue;  // the title opens the page; it is not part of the article's body
      }
      if (prose_in_story == 0 || !s.headline_like()) {
        prose_in_story += s.prose() ? 1 : 0;
        story_words += s.prose() ? s.words : 0;
        continue;
      }
      StoryStart start = story_start_at(doc, i);
      if (start.score >= 2 && (prose_in_story < k_min_story_prose || title_again(b))) {
        // The article itself starts here (a scrape of a whole page: menus and teasers above it,
        // then the headline, often the page title again, with its photo and date): what came
        // before is the page's header, not a story this one was appended to.
        prose_in_story = 0;
        story_words = 0;
        main = TermBag();
        coherence.clear();
        main_until = i;
        continue;
      }
      if (start.score >= 2 && !(start.markers_only && continues_the_article(i))) {
        first_appended = i;
        boundary_evidence = start.evidence;
        break;
      }
      // A section: its headline and text until the next headline.
      std::size_t j = i + 1;
      std::vector<std::size_t> section_prose;
      for (; j < blocks.size(); ++j) {
        if (!blocks[j].kept()) {
          continue;
        }
        const Shape& t = shapes[j];
        if (t.headline_like()) {
          break;
        }
        if (t.prose()) {
          section_prose.push_back(j);
        }
      }
      // Topic alone is weak evidence: only in text scrapes (an HTML page's structure already
      // bounds the article), only after an article of three paragraphs or more, and only for a
      // section that reads as a story of its own (two paragraphs or more under a real headline).
      // Each of its paragraphs is compared with the article the way the article's own paragraphs
      // were (same granularity, so the chance overlap of a large article is in both numbers).
      // And only when the article so far is not dwarfed by what follows: an "article" of a few
      // paragraphs before sixteen times as much text is the page's header before the article.
      if (headline_of_a_story(b.text, s) && section_prose.size() >= 2 && doc.format != InputFormat::k_html &&
          16 * story_words >= prose_after[i]) {
        if (std::optional<double> sim = overlap_with_article(i, section_prose)) {
          double need = topic_need();
          if (start.score == 1) {
            need = std::min(k_max_similarity, 1.5 * need);  // one caption under the headline: less doubt
          }
          if (*sim < need) {
            first_appended = i;
            boundary_evidence =
                fmt::format("{}content overlap with the article {:.2f} < {:.2f} ({:.0f}% of its own coherence {:.2f})",
                            start.score == 1 ? start.evidence + "; " : std::string(), *sim, need,
                            100 * similarity_, median(coherence));
            break;
          }
        }
      }
      for (std::size_t k = i; k < j; ++k) {
        prose_in_story += blocks[k].kept() && shapes[k].prose() ? 1 : 0;
        story_words += blocks[k].kept() && shapes[k].prose() ? shapes[k].words : 0;
      }
      i = j - 1;
    }
    if (first_appended >= blocks.size()) {
      return;
    }
    // Everything from the boundary on belongs to appended stories; count them.
    int story = 1;
    std::size_t story_begin = first_appended;
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // [begin, end) per appended story
    std::size_t prose_since = 0;
    std::string evidence = boundary_evidence;
    for (std::size_t k = first_appended; k < blocks.size(); ++k) {
      Block& b = blocks[k];
      if (k > first_appended && prose_since > 0 && (b.kept() || dropped_as(b, reason::k_related_teaser))) {
        const Shape& s = shapes[k];
        if (s.headline_like() && story_start_at(doc, k).score >= 2) {
          spans.emplace_back(story_begin, k);
          story_begin = k;
          ++story;
          prose_since = 0;
          evidence = story_start_at(doc, k).evidence;
        }
      }
      if (b.kept() && shapes[k].prose()) {
        ++prose_since;
      }
      b.story = story;
      if (b.kept()) {
        b.drop = Drop{std::string(reason::k_appended_story), std::string(name()),
                      fmt::format("appended story {} ({})", story, evidence)};
      }
    }
    spans.emplace_back(story_begin, blocks.size());
    doc.metadata["appended_stories"] = std::to_string(spans.size());
    if (split_) {
      for (std::size_t n = 0; n < spans.size(); ++n) {
        Document part;
        part.id = fmt::format("{}#{}", doc.id, n + 2);
        part.source = doc.source;
        part.format = doc.format;
        if (!doc.out_path.empty()) {
          std::string base = doc.out_path.substr(0, doc.out_path.size() - 4);  // ".txt"
          part.out_path = fmt::format("{}#{}.txt", base, n + 2);
        }
        for (std::size_t k = spans[n].first; k < spans[n].second; ++k) {
          Block copy = blocks[k];
          if (copy.drop && copy.drop->reason == reason::k_appended_story) {
            copy.drop.reset();
          }
          part.blocks.push_back(std::move(copy));
        }
        for (auto& b : part.blocks) {
          if (b.kept()) {
            b.kind = BlockKind::k_title;
            part.title = b.text;
            break;
          }
        }
        if (part.kept_blocks() > 0) {
          doc.split_stories.push_back(std::move(part));
        }
      }
    }
  }

 private:
  double similarity_;
  bool split_;
};

}  // namespace

std::unique_ptr<Step> make_related_filter(std::shared_ptr<const RuleSet> rules) {
  return std::make_unique<RelatedFilter>(std::move(rules));
}

std::unique_ptr<Step> make_stories_filter(double similarity, bool split) {
  return std::make_unique<StoriesFilter>(similarity, split);
}

}  // namespace decruft::filters
