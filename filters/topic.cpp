#include "filters/topic.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>
#include <unordered_set>

#include "filters/rules.h"
#include "text/key.h"
#include "text/utf8.h"

namespace decruft::filters {

namespace {

// Function words (on match keys: alef/yeh/teh marbuta already unified) and very common news verbs.
const std::unordered_set<std::string_view>& stopwords() {
  static const std::unordered_set<std::string_view> k_set = [] {
    std::unordered_set<std::string_view> s;
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

// The longest stop word, in bytes: longer words need no lookup.
std::size_t max_stopword_bytes() {
  static const std::size_t k_max = [] {
    std::size_t m = 0;
    for (std::string_view w : stopwords()) {
      m = std::max(m, w.size());
    }
    return m;
  }();
  return k_max;
}

// A term's identity in bags and in the IDF table: never 0 (0 marks an empty slot).
std::uint64_t term_hash(std::string_view term) {
  std::uint64_t h = XXH3_64bits(term.data(), term.size());
  return h == 0 ? 1 : h;
}

// Term weights: log(N / df) from the built-in document frequencies (rules/idf.tsv); a term not
// listed is rarer than any listed one and gets the top weight.
class Idf {
 public:
  static const Idf& instance() {
    static const Idf k_idf;
    return k_idf;
  }
  double weight(std::uint64_t term) const {
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
          weights_.emplace(term_hash(line.substr(0, tab)), count);
        }
      }
    }
    n = std::max(n, 1.0);
    for (auto& [t, w] : weights_) {
      w = std::log(n / w);
    }
    max_ = std::log(n * 2);  // rarer than the rarest listed term
  }
  std::unordered_map<std::uint64_t, double> weights_;
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
std::string_view stem(std::string_view w) {
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
  return s;
}

// Calls f(stem) for every content term of a match key.
template <class F>
void for_each_term(std::string_view key, F&& f) {
  std::size_t pos = 0;
  while (pos < key.size()) {
    std::size_t sp = key.find(' ', pos);
    std::string_view w = key.substr(pos, (sp == std::string_view::npos ? key.size() : sp) - pos);
    pos = sp == std::string_view::npos ? key.size() : sp + 1;
    if (w.size() < 3 || code_points(w) < 3 || (w.size() <= max_stopword_bytes() && stopwords().count(w) > 0)) {
      continue;
    }
    f(stem(w));
  }
}

}  // namespace

std::vector<std::string> content_terms(std::string_view text) {
  std::vector<std::string> out;
  for_each_term(text::match_key(text), [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

void TermBag::add(std::string_view text) { add_key(text::match_key(text)); }

void TermBag::add_key(std::string_view key) {
  for_each_term(key, [&](std::string_view t) {
    std::uint64_t h = term_hash(t);
    Slot* slot = reserve_slot(h);
    if (slot->term == 0) {  // a new term: its weight is looked up once
      slot->term = h;
      slot->weight = Idf::instance().weight(h);
      weight_ += slot->weight;
      ++size_;
    }
    ++slot->count;
  });
}

TermBag::Slot* TermBag::find_slot(std::uint64_t term) {
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = term & mask;; i = (i + 1) & mask) {
    if (slots_[i].term == term || slots_[i].term == 0) {
      return &slots_[i];
    }
  }
}

bool TermBag::contains(std::uint64_t term) const {
  if (slots_.empty()) {
    return false;
  }
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = term & mask;; i = (i + 1) & mask) {
    if (slots_[i].term == term) {
      return true;
    }
    if (slots_[i].term == 0) {
      return false;
    }
  }
}

TermBag::Slot* TermBag::reserve_slot(std::uint64_t term) {
  if ((size_ + 1) * 4 > slots_.size() * 3) {  // keep the load under 3/4
    std::vector<Slot> old(slots_.empty() ? 32 : slots_.size() * 2);
    old.swap(slots_);
    size_ = 0;
    for (const Slot& o : old) {
      if (o.term != 0) {
        Slot* to = find_slot(o.term);
        *to = o;
        ++size_;
      }
    }
  }
  return find_slot(term);
}

void TermBag::count(std::uint64_t term, std::uint32_t n, double weight) {
  Slot* slot = reserve_slot(term);
  if (slot->term == 0) {
    slot->term = term;
    slot->weight = weight;
    weight_ += weight;
    ++size_;
  }
  slot->count += n;
}

void TermBag::merge(const TermBag& other) {
  for (const Slot& o : other.slots_) {
    if (o.term != 0) {
      count(o.term, o.count, o.weight);
    }
  }
}

double TermBag::shared_weight(const TermBag& other) const {
  double hit = 0;
  for (const Slot& s : slots_) {
    if (s.term != 0 && other.contains(s.term)) {
      hit += s.weight;
    }
  }
  return hit;
}

double containment(const TermBag& part, const TermBag& reference) {
  double denom = std::min(part.weight(), reference.weight());
  return denom > 0 ? part.shared_weight(reference) / denom : 0.0;
}

}  // namespace decruft::filters
