#include "filters/topic.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include "filters/rules.h"
#include "text/key.h"
#include "text/utf8.h"

namespace decruft::filters {

namespace {

// Function words (on match keys: alef/yeh/teh marbuta already unified) and very common news verbs.
const std::unordered_set<std::string>& stopwords() {
  static const std::unordered_set<std::string> k_set = [] {
    std::unordered_set<std::string> s;
    for (const char* w :
         {"في", "من", "الى", "علي", "عن", "مع", "او", "ان", "انه", "انها", "ما", "لا", "لم", "لن", "قد", "كان", "كانت",
          "يكون", "تكون", "هذا", "هذه", "ذلك", "تلك", "هو", "هي", "هم", "هن", "نحن", "انا", "التي", "الذي", "الذين",
          "اللذين", "اللتين", "كما", "حيث", "حتي", "ثم", "بين", "بعد", "قبل", "عند", "عندما", "منذ", "خلال", "حول",
          "ضد", "دون", "غير", "كل", "بعض", "اي", "ايضا", "فقط", "اذا", "اذ", "لكن", "لكنه", "بل", "وقد", "وقال",
          "قال", "قالت", "وقالت", "واضاف", "اضاف", "واكد", "اكد", "واشار", "اشار", "وأوضح", "اوضح", "واوضح", "وبين",
          "تم", "يتم", "وتم", "الي", "عليه", "عليها", "فيه", "فيها", "منه", "منها", "له", "لها", "به", "بها", "لهم",
          "وفي", "ومن", "وهو", "وهي", "ولا", "وان", "وكان", "وكانت", "فيما", "بينما", "لدي", "لدى", "اما", "ام",
          "هناك", "هنا", "الان", "اليوم", "امس", "العام", "عام", "يوم", "امام", "وراء", "فوق", "تحت", "نحو", "مثل",
          "اكثر", "اقل", "اول", "الاول", "الاولي", "جدا", "كذلك", "وذلك", "وهذا", "وهذه", "ضمن", "عبر", "وفق",
          "وفقا", "لدي", "سوف", "ولم", "لقد", "فقد", "والتي", "والذي", "وعلي", "الا", "الي", "يا", "وما",
          "the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is", "are",
          "was", "were", "be", "been", "it", "its", "this", "that", "these", "those", "he", "she", "they", "we",
          "i", "you", "his", "her", "their", "our", "said", "says", "has", "have", "had", "not", "but", "will",
          "would", "can", "could", "also", "more", "after", "before", "about", "into", "than", "which", "who",
          "what", "when", "where", "there", "new", "one", "two", "year", "years"}) {
      s.insert(w);
    }
    return s;
  }();
  return k_set;
}

// Term weights: log(N / df) from the built-in document frequencies (rules/idf.tsv); a term not
// listed is rarer than any listed one and gets the top weight.
class Idf {
 public:
  static const Idf& instance() {
    static const Idf k_idf;
    return k_idf;
  }
  double weight(const std::string& term) const {
    auto it = weights_.find(term);
    return it == weights_.end() ? max_ : it->second;
  }

 private:
  Idf() {
    double n = 0;
    for (const auto& f : embedded_rule_files()) {
      if (f.name != "idf.tsv") {
        continue;
      }
      std::size_t pos = 0;
      std::string_view c = f.content;
      while (pos < c.size()) {
        std::size_t nl = c.find('\n', pos);
        std::string_view line = c.substr(pos, (nl == std::string_view::npos ? c.size() : nl) - pos);
        pos = nl == std::string_view::npos ? c.size() : nl + 1;
        std::size_t tab = line.find('\t');
        if (tab == std::string_view::npos) {
          continue;
        }
        double count = std::atof(std::string(line.substr(tab + 1)).c_str());
        if (line.rfind("# documents", 0) == 0) {
          n = count;
        } else if (line[0] != '#' && count > 0) {
          weights_.emplace(std::string(line.substr(0, tab)), count);
        }
      }
    }
    n = std::max(n, 1.0);
    for (auto& [t, w] : weights_) {
      w = std::log(n / w);
    }
    max_ = std::log(n * 2);  // rarer than the rarest listed term
  }
  std::unordered_map<std::string, double> weights_;
  double max_ = 1.0;
};

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

bool starts_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Light stemming: strip one proclitic group and one suffix while at least three letters remain.
std::string stem(std::string_view w) {
  std::string_view s = w;
  for (std::string_view p : {"وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف"}) {
    if (starts_with(s, p) && code_points(s) - code_points(p) >= 3) {
      s.remove_prefix(p.size());
      break;
    }
  }
  for (std::string_view x : {"يون", "يين", "ات", "ون", "ين", "ان", "ها", "هم", "هما", "يه", "ه", "ي"}) {
    if (ends_with(s, x) && code_points(s) - code_points(x) >= 3) {
      s.remove_suffix(x.size());
      break;
    }
  }
  return std::string(s);
}

}  // namespace

std::vector<std::string> content_terms(std::string_view text) {
  std::string key = text::match_key(text);
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < key.size()) {
    std::size_t sp = key.find(' ', pos);
    std::string_view w(key.data() + pos, (sp == std::string::npos ? key.size() : sp) - pos);
    pos = sp == std::string::npos ? key.size() : sp + 1;
    if (code_points(w) < 3 || stopwords().count(std::string(w)) > 0) {
      continue;
    }
    out.push_back(stem(w));
  }
  return out;
}

void TermBag::add(std::string_view text) { add_terms(content_terms(text)); }

void TermBag::count(const std::string& term, int n) {
  auto [it, inserted] = counts_.emplace(term, 0);
  if (inserted) {
    weight_ += Idf::instance().weight(term);
  }
  it->second += n;
}

void TermBag::add_terms(const std::vector<std::string>& terms) {
  for (const auto& t : terms) {
    count(t, 1);
  }
}

void TermBag::merge(const TermBag& other) {
  for (const auto& [t, n] : other.counts_) {
    count(t, n);
  }
}

double containment(const TermBag& part, const TermBag& reference) {
  double hit = 0;
  for (const auto& [t, n] : part.counts()) {
    if (reference.contains(t)) {
      hit += Idf::instance().weight(t);
    }
  }
  double denom = std::min(part.weight(), reference.weight());
  return denom > 0 ? hit / denom : 0.0;
}

}  // namespace decruft::filters
