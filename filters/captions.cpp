#include "filters/captions.h"

#include <fmt/format.h>

#include <string>
#include <unordered_set>

#include "core/reasons.h"
#include "filters/shape.h"
#include "text/chars.h"
#include "text/key.h"

namespace decruft::filters {

namespace {

// Photo credits on match keys. Agencies, platforms and the generic sources captions cite.
const std::unordered_set<std::string>& known_credits() {
  static const std::unordered_set<std::string> k_set = [] {
    std::unordered_set<std::string> s;
    for (const char* c : {"رويترز", "أ.ف.ب", "أ ف ب", "ا ف ب", "أ.ب", "أ ب", "د.ب.أ", "د ب أ", "إ.ب.أ", "إ ب أ", "واس",
                          "الأناضول", "وكالة الأناضول", "الفرنسية", "رويترز أرشيفية", "أرشيفية", "أرشيف", "أرشيفيه",
                          "الشركة", "الموقع الإلكتروني", "موقع الشركة", "إكس", "تويتر", "فيسبوك", "إنستغرام",
                          "انستغرام", "يوتيوب", "متداولة", "مواقع التواصل", "وسائل التواصل", "غيتي", "غيتي إيماجز",
                          "غيتي إيمجز", "شاترستوك", "الشرق الأوسط", "خاص", "خاصة", "وكالات", "سانا", "إرنا",
                          "شينخوا", "إي بي إيه", "أسوشييتد برس", "الجيش الإسرائيلي", "الرئاسة", "الديوان الملكي",
                          "reuters", "afp", "ap", "getty", "getty images", "epa", "efe", "ansa", "xinhua", "shutterstock",
                          "istock", "alamy", "pa", "pa wire", "bloomberg", "file", "file photo", "handout", "supplied",
                          "courtesy", "twitter", "x", "facebook", "instagram", "youtube", "screenshot", "screengrab"}) {
      s.insert(text::match_key(c));
    }
    return s;
  }();
  return k_set;
}

bool is_month_or_gloss(std::string_view key) {
  for (const char* m : {"كانون", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب", "ايلول", "تشرين"}) {
    if (key.rfind(m, 0) == 0) {
      return true;
    }
  }
  return false;
}

bool starts_with_any(std::string_view key, std::initializer_list<std::string_view> prefixes) {
  for (auto p : prefixes) {
    if (key.size() >= p.size() && key.substr(0, p.size()) == p &&
        (key.size() == p.size() || key[p.size()] == ' ')) {
      return true;
    }
  }
  return false;
}

// Whether the key can start with one of the photo-line words below: their first bytes are "ص"
// (D8 B5), "ا" (D8 A7), 'p', 'i' or 'c'. Most keys start otherwise and skip the seven compares.
bool may_start_photo_line(std::string_view key) {
  if (key.size() < 2) {
    return false;  // every word below is longer
  }
  const char c = key[0];
  return c == 'p' || c == 'i' || c == 'c' || (c == '\xD8' && (key[1] == '\xB5' || key[1] == '\xA7'));
}

// The text before the trailing parenthesis.
std::string_view head_of(std::string_view text, std::string_view paren) {
  std::size_t pos = text.rfind(paren);
  if (pos == std::string_view::npos || pos == 0) {
    return text;
  }
  return text.substr(0, pos - 1);
}

}  // namespace

// One of the credit tails near the end of the line: each from its last size() + 40 bytes on. One
// pass over those bytes, a tail compared only where its first byte ('G', 'P', '/', '(') stands;
// ten find() calls (a memchr each) cost more than the pass on every short line without a tail.
bool has_credit_tail(std::string_view text) {
  static constexpr std::string_view k_tails[] = {"Getty Images", "Photo:",    "Photograph:", "/ AFP", "/AFP",
                                                 "/ Reuters",    "/Reuters",  "(Reuters)",   "(AFP)", "(AP)"};
  constexpr std::size_t k_longest = 12;  // "Getty Images"
  const std::size_t size = text.size();
  for (std::size_t i = size > k_longest + 40 ? size - k_longest - 40 : 0; i < size; ++i) {
    const char c = text[i];
    if (c != 'G' && c != 'P' && c != '/' && c != '(') {
      continue;
    }
    for (std::string_view tail : k_tails) {
      // The tail fits before the end and starts at or after its own window (size - tail.size() - 40).
      if (tail[0] == c && i + tail.size() <= size && i + tail.size() + 40 >= size &&
          text.compare(i, tail.size(), tail) == 0) {
        return true;
      }
    }
  }
  return false;
}

bool looks_like_caption(std::string_view text) {
  Block b;
  b.text = std::string(text);
  return looks_like_caption(b);
}

bool looks_like_caption(const Block& block) {
  std::string_view text = block.text;
  // The word count first, from the cached profile: most blocks are paragraphs longer than any
  // caption and need no shape.
  const std::size_t words = block.profile().words;
  if (words < 2 || words > 45) {
    return false;
  }
  Shape s = shape_of(block);
  // trailing_parenthetical is empty unless the stripped line ends in ')', which the shape says.
  std::string_view paren = s.ends_with_paren ? trailing_parenthetical(text) : std::string_view();
  if (!paren.empty()) {
    std::string pkey = text::match_key(paren);
    std::string_view head = head_of(text, paren);
    if (text::ends_sentence(head) || pkey.empty()) {
      return false;
    }
    if (known_credits().count(pkey) > 0 ||
        starts_with_any(pkey, {"المصدر", "تصوير", "صوره", "الصوره", "photo", "credit", "source", "image", "picture"})) {
      return true;
    }
    // Generic: one to three words of letters, after a line of at least four words.
    text::CharProfile pp = text::profile(paren);
    bool generic = pp.words >= 1 && pp.words <= 3 && pp.digits == 0 && pp.arabic_letters >= 2 &&
                   !is_month_or_gloss(pkey) && s.words >= 5;
    return generic;
  }
  if (s.words <= 40 && may_start_photo_line(s.key()) &&
      starts_with_any(s.key(), {"صوره", "الصوره", "صور", "photo", "image", "caption", "pictured"}) &&
      text.find(':') != std::string_view::npos) {
    return true;
  }
  if (s.ends_sentence || s.words > 30) {
    return false;  // no tail makes a sentence a caption: most lines need none of the searches below
  }
  return has_credit_tail(text);
}

namespace {

constexpr std::size_t k_max_caption_bytes = 45 * 12;  // 45 words of Arabic, generously

class CaptionsFilter final : public Filter {
 public:
  std::string_view name() const override { return "captions"; }
  std::string_view description() const override {
    return "photo captions (a short line ending in a photo credit) and their duplicates";
  }

 protected:
  void classify(const Document& doc, Marks& marks) override {
    std::unordered_set<std::string> seen;  // keys of captions met so far
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
      const auto& b = doc.blocks[i];
      if (!b.kept() || b.kind == BlockKind::k_title) {
        continue;
      }
      // HTML hints only for caption-sized blocks: a wrapper's class can cover a whole article.
      bool caption = looks_like_caption(b) ||
                     (b.html && (b.html->in_figure || has_hint(*b.html, "caption")) &&
                      b.text.size() <= k_max_caption_bytes);
      if (!caption && (seen.empty() || b.text.size() > k_max_caption_bytes)) {
        continue;  // no caption to repeat yet, or too long to be one
      }
      const std::string& key = b.key();
      if (caption) {
        if (!seen.insert(key).second) {
          marks.drop(i, reason::k_duplicate_caption, "the caption again");
        } else {
          std::string_view paren = trailing_parenthetical(b.text);
          marks.drop(i, reason::k_caption,
                     paren.empty() ? std::string("photo line") : fmt::format("ends in photo credit ({})", paren));
        }
      } else if (seen.count(key) > 0) {
        marks.drop(i, reason::k_duplicate_caption, "the caption again");
      }
    }
  }

 private:
  static bool has_hint(const HtmlFeatures& f, std::string_view h) {
    for (const auto& x : f.hints) {
      if (x == h) {
        return true;
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Step> make_captions_filter() { return std::make_unique<CaptionsFilter>(); }

}  // namespace decruft::filters
