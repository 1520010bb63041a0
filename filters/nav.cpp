#include "filters/nav.h"

#include <fmt/format.h>

#include <string_view>
#include <vector>

#include "core/reasons.h"
#include "filters/shape.h"

namespace decruft::filters {

namespace {

bool contains_any(std::string_view s, std::initializer_list<std::string_view> needles) {
  for (auto n : needles) {
    if (s.find(n) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

// Month names and date words, on match keys (alef/teh-marbuta unified: "يناير", "فبراير" ...).
bool is_date_word(std::string_view w) {
  // string_views: a comparison looks at the length first, no strlen per listed word.
  static constexpr std::string_view k_words[] = {
      "يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيو", "يوليو", "اغسطس", "سبتمبر", "اكتوبر", "نوفمبر",
      "ديسمبر", "كانون", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "اب", "ايلول", "تشرين",
      "الاول", "الثاني", "محرم", "صفر", "ربيع", "جمادى", "جمادي", "رجب", "شعبان", "رمضان", "شوال", "القعده",
      "الحجه", "ذو", "ذي", "هـ", "ه", "م", "الساعه", "صباحا", "مساء", "ص", "السبت", "الاحد", "الاثنين",
      "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "يوم", "منذ", "دقيقه", "دقائق", "ساعه", "ساعات",
      "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
      "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
      "dec", "am", "pm", "gmt", "utc", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
      "sunday", "updated", "published", "ago", "min", "mins", "minutes", "hours", "hour", "read", "قراءه",
      "تاريخ", "النشر", "اخر", "تحديث", "نشر", "في", "at", "on", "by"};
  for (std::string_view k : k_words) {
    if (w == k) {
      return true;
    }
  }
  return false;
}

// Every word of the key is a number or a date word, there is at least one number, and a date
// word or a date/time separator in the text ("12:30", "2025/01/02"): a list of numbers is not a date.
bool is_dateline(std::string_view text, const Shape& s) {
  if (s.digits == 0 || s.words > 12) {
    return false;
  }
  std::string_view key = s.key();
  bool separator = text.find(':') != std::string_view::npos || text.find('/') != std::string_view::npos;
  bool date_word = false;
  std::size_t pos = 0;
  while (pos < key.size()) {
    std::size_t sp = key.find(' ', pos);
    std::string_view w = key.substr(pos, sp == std::string_view::npos ? std::string_view::npos : sp - pos);
    pos = sp == std::string_view::npos ? key.size() : sp + 1;
    bool number = !w.empty();
    for (unsigned char c : w) {
      number = number && ((c >= '0' && c <= '9') || c >= 0x80);  // non-ASCII: checked below
    }
    bool ascii_digits = !w.empty();
    for (unsigned char c : w) {
      ascii_digits = ascii_digits && c >= '0' && c <= '9';
    }
    if (!ascii_digits && !is_date_word(w)) {
      return false;
    }
    date_word = date_word || (!ascii_digits && w.size() > 2);
  }
  return date_word || separator;
}

// "عمر إبراهيم – عين اليوم", "عين اليوم – الرياض", "By Jane Doe": a short name-like line with a
// dash separator or a byline prefix, no sentence end.
bool is_byline(std::string_view text, const Shape& s) {
  if (s.words < 2 || s.words > 7 || s.ends_sentence || s.digits > 0) {
    return false;
  }
  bool dash = contains_any(text, {" – ", " — ", " - ", " ـ "});
  bool prefix = text.rfind("By ", 0) == 0 || text.rfind("by ", 0) == 0 || text.rfind("بقلم", 0) == 0 ||
                text.rfind("كتب:", 0) == 0 || text.rfind("كتبت:", 0) == 0 || text.rfind("كتب ", 0) == 0 ||
                text.rfind("حوار:", 0) == 0 || text.rfind("إعداد:", 0) == 0;
  return dash || (prefix && s.words <= 5);
}

// Markers with no words: "TT", "A A", "|", "•••", "***", "+", "1/5".
bool is_furniture(std::string_view text, const Shape& s) {
  if (s.words == 0) {
    return true;
  }
  if (s.arabic_letters == 0 && s.letters <= 3 && s.words <= 3) {
    return true;  // "TT", "A A", "A+ A-"
  }
  if (s.letters == 0 && s.words <= 3 && s.symbols > 0) {
    return true;  // "1/5", "12 | 3"
  }
  (void)text;
  return false;
}

bool is_email_or_url(std::string_view text, const Shape& s) {
  if (text.find(' ') != std::string_view::npos && s.words > 6) {
    return false;
  }
  return (text.find('@') != std::string_view::npos && text.find(' ') == std::string_view::npos) ||
         text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0 || text.rfind("www.", 0) == 0;
}

// "88591 - Stc", "635031 - Mobily": a service number and an operator name, nothing else.
bool is_short_code(const Shape& s) {
  return s.words == 2 && s.digits >= 4 && s.arabic_letters == 0 && s.letters >= 2 && s.letters <= 12;
}

// "Home | World | Sport | Business": two or more separators between items of a few words.
bool is_menu_line(std::string_view text, const Shape& s) {
  if (s.ends_sentence) {
    return false;
  }
  std::size_t bars = 0;  // '|' found with memchr: std::count is a byte loop at -O2, and bars are rare
  for (std::size_t j = text.find('|'); j != std::string_view::npos; j = text.find('|', j + 1)) {
    ++bars;
  }
  // Breadcrumb arrows count only with spaces around them: «…» quotes are not separators. Each
  // arrow is searched for itself (a rare byte, unlike the space before it), then its spaces checked;
  // occurrences are counted without overlap, as a find loop over " » " would.
  for (std::string_view arrow : {"\xC2\xBB", "\xE2\x80\xBA", "/", ">"}) {  // » › / >
    std::size_t next = 0;  // where the next " arrow " may start
    for (std::size_t j = text.find(arrow, 1); j != std::string_view::npos; j = text.find(arrow, j + 1)) {
      if (j - 1 >= next && text[j - 1] == ' ' && j + arrow.size() < text.size() && text[j + arrow.size()] == ' ') {
        ++bars;
        next = j + arrow.size() + 1;
      }
    }
  }
  return bars >= 2 && s.words <= 4 * (bars + 1);
}

class NavFilter final : public Filter {
 public:
  explicit NavFilter(std::shared_ptr<const RuleSet> rules) : rules_(std::move(rules)) {}
  std::string_view name() const override { return "nav"; }
  std::string_view description() const override {
    return "navigation and page furniture: phrase rules, markers, datelines, short-line runs at the edges";
  }

 protected:
  void classify(const Document& doc, Marks& marks) override {
    // Per-thread buffers, reused from document to document (the pipeline's threads share this
    // step): nav runs on every document, and three vectors per document cost as much as a rule.
    thread_local std::vector<std::size_t> kept;
    thread_local std::vector<Shape> shapes;
    thread_local std::vector<std::size_t> live;
    kept_indices(doc, kept);
    if (kept.empty()) {
      return;
    }
    shapes.assign(doc.blocks.size(), Shape{});
    for (auto i : kept) {
      shapes[i] = shape_of(doc.blocks[i]);
    }
    for (auto i : kept) {
      const auto& b = doc.blocks[i];
      const Shape& s = shapes[i];
      if (b.kind == BlockKind::k_title) {
        continue;
      }
      RuleSet::Match m;
      if (s.words <= 40 && rules_->match(s.key(), s.words, m, b.text)) {
        // Credits and related headers are other filters' business: they know position and context.
        if (m.reason != reason::k_credit && m.reason != reason::k_related_header) {
          marks.drop(i, m.reason, fmt::format("phrase \"{}\"", m.phrase));
          continue;
        }
      }
      if (s.words <= 30 && (b.text.find("\xC2\xA9") != std::string::npos ||  // ©
                            b.text.rfind("(c) ", 0) == 0 || b.text.rfind("Copyright", 0) == 0)) {
        marks.drop(i, reason::k_copyright, "copyright sign");
        continue;
      }
      if (is_furniture(b.text, s)) {
        marks.drop(i, reason::k_furniture, fmt::format("marker without words ({} letters)", s.letters));
        continue;
      }
      if (is_dateline(b.text, s)) {
        marks.drop(i, reason::k_dateline, "date or time standing alone");
        continue;
      }
      if (is_short_code(s)) {
        marks.drop(i, reason::k_app_prompt, "SMS short code and operator");
        continue;
      }
      if (is_menu_line(b.text, s)) {
        marks.drop(i, reason::k_nav, "menu: short items separated by |");
        continue;
      }
      if (is_email_or_url(b.text, s)) {
        marks.drop(i, reason::k_nav, "address standing alone");
        continue;
      }
    }
    // Bylines stand at the head (first three text blocks) or the tail (last two).
    live.clear();
    for (auto i : kept) {
      if (!marks.dropped(i)) {
        live.push_back(i);
      }
    }
    for (std::size_t k = 0; k < live.size(); ++k) {
      std::size_t i = live[k];
      bool edge = k <= 3 || k + 2 >= live.size();
      if (edge && live.size() >= 2 && doc.blocks[i].kind != BlockKind::k_title && is_byline(doc.blocks[i].text, shapes[i])) {
        marks.drop(i, reason::k_dateline, "byline standing alone");
      }
    }
    tail_run(doc, shapes, live, marks);
  }

 private:
  // The tail after the last paragraph: short lines without a sentence end are buttons, menus and
  // prompts. Needs an article before it (two prose blocks), and stops at the first prose block.
  // `live` is a buffer to fill (the caller's, reused).
  void tail_run(const Document& doc, const std::vector<Shape>& shapes, std::vector<std::size_t>& live, Marks& marks) {
    live.clear();
    std::size_t prose = 0;
    for (std::size_t i = 0; i < doc.blocks.size(); ++i) {
      if (doc.blocks[i].kept() && !marks.dropped(i)) {
        live.push_back(i);
        prose += shapes[i].prose() ? 1 : 0;
      }
    }
    if (prose < 2) {
      return;
    }
    // A list of links at the end ("most read", "more from", teaser headlines): three or more
    // headline-like lines in a row after the last paragraph, none ending a sentence and none a
    // list item of the article ("- ", "• ", "1.").
    // Headlines run to five words or more on average; a signature or an author's bio at the end
    // (name, title, office: a few words each) does not.
    std::size_t run = 0;
    std::size_t run_words = 0;
    for (std::size_t k = live.size(); k-- > 0;) {
      std::size_t i = live[k];
      const Shape& s = shapes[i];
      if (s.ends_sentence || s.words > 20 || doc.blocks[i].kind == BlockKind::k_title ||
          starts_as_list_item(doc.blocks[i].text)) {
        break;
      }
      ++run;
      run_words += s.words;
    }
    if (run >= 3 && run + 2 <= live.size() && run_words >= 5 * run) {
      for (std::size_t k = live.size() - run; k < live.size(); ++k) {
        marks.drop(live[k], reason::k_nav,
                   fmt::format("link list in the tail after the last paragraph ({} lines)", run));
      }
      return;
    }
    for (std::size_t k = live.size(); k-- > 0;) {
      std::size_t i = live[k];
      const Shape& s = shapes[i];
      if (s.prose() || s.ends_sentence || s.words > 6 || doc.blocks[i].kind == BlockKind::k_title) {
        break;
      }
      // A short line right after a dropped furniture block, or in a run of such lines.
      marks.drop(i, reason::k_nav, fmt::format("short line in the tail after the last paragraph ({} words)", s.words));
    }
  }

  std::shared_ptr<const RuleSet> rules_;
};

}  // namespace

std::unique_ptr<Step> make_nav_filter(std::shared_ptr<const RuleSet> rules) {
  return std::make_unique<NavFilter>(std::move(rules));
}

}  // namespace decruft::filters
