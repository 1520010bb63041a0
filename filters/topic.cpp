#include "filters/topic.h"

// XXH3 inlined (header-only mode of the same xxHash): these hash a few bytes at a time, where the
// library call and its length dispatch cost as much as the hash. The values are the library's.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <cstring>
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

// The stop words as a small open-addressed table of words packed into 16 bytes (every stop word
// is shorter): one multiply and a compare or two per lookup, where the unordered_set hashed the
// string and walked a bucket list. Longer words need no lookup.
class StopSet {
 public:
  static const StopSet& instance() {
    static const StopSet k_set;
    return k_set;
  }
  bool contains(std::string_view w) const {
    if (w.size() > k_max_bytes) {
      return false;
    }
    Packed p = pack(w);
    for (std::size_t i = slot(p);; i = (i + 1) & (k_slots - 1)) {
      if (used_[i] == 0) {
        return false;
      }
      if (table_[i].lo == p.lo && table_[i].hi == p.hi) {
        return true;
      }
    }
  }

 private:
  static constexpr std::size_t k_max_bytes = 16;
  static constexpr std::size_t k_slots = 1024;  // a power of two, well over twice the word count
  struct Packed {
    std::uint64_t lo = 0;
    std::uint64_t hi = 0;
  };
  static Packed pack(std::string_view w) {
    char buf[k_max_bytes] = {};
    std::memcpy(buf, w.data(), w.size());
    Packed p;
    std::memcpy(&p.lo, buf, 8);
    std::memcpy(&p.hi, buf + 8, 8);
    return p;
  }
  static std::size_t slot(const Packed& p) {
    std::uint64_t h = (p.lo * 0x9E3779B97F4A7C15ull) ^ (p.hi * 0xC2B2AE3D27D4EB4Full);
    return static_cast<std::size_t>(h >> 54) & (k_slots - 1);
  }
  StopSet() {
    for (std::string_view w : stopwords()) {
      if (w.size() > k_max_bytes) {
        std::abort();  // a stop word longer than the packing: make k_max_bytes larger
      }
      Packed p = pack(w);
      std::size_t i = slot(p);
      while (used_[i] != 0 && !(table_[i].lo == p.lo && table_[i].hi == p.hi)) {
        i = (i + 1) & (k_slots - 1);
      }
      table_[i] = p;
      used_[i] = 1;
    }
  }
  std::array<Packed, k_slots> table_{};
  std::array<std::uint8_t, k_slots> used_{};
};

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

bool starts_with(std::string_view s, std::string_view p) { return s.size() >= p.size() && s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Light stemming: strip one proclitic group and one suffix while at least three letters remain.
// `letters` is code_points(w); every affix is made of two-byte Arabic letters.
std::string_view stem(std::string_view w, std::size_t letters) {
  std::string_view s = w;
  // The first and last letters (two bytes each) tell whether any affix can match at all; most
  // words of a text need none of the comparisons below.
  auto letter_at = [](std::string_view t, std::size_t i) {
    return static_cast<unsigned>(static_cast<unsigned char>(t[i]) << 8 | static_cast<unsigned char>(t[i + 1]));
  };
  auto any_of = [](unsigned l, std::initializer_list<std::string_view> letters) {
    for (std::string_view x : letters) {
      if (l == (static_cast<unsigned>(static_cast<unsigned char>(x[0]) << 8 | static_cast<unsigned char>(x[1])))) {
        return true;
      }
    }
    return false;
  };
  if (s.size() >= 2 && any_of(letter_at(s, 0), {"و", "ب", "ك", "ف", "ل", "ا"})) {
    for (std::string_view p : {"وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف"}) {
      if (starts_with(s, p) && letters - p.size() / 2 >= 3) {
        s.remove_prefix(p.size());
        letters -= p.size() / 2;
        break;
      }
    }
  }
  if (s.size() >= 2 && any_of(letter_at(s, s.size() - 2), {"ن", "ت", "ا", "م", "ه", "ي"})) {
    for (std::string_view x : {"يون", "يين", "ات", "ون", "ين", "ان", "ها", "هم", "هما", "يه", "ه", "ي"}) {
      if (ends_with(s, x) && letters - x.size() / 2 >= 3) {
        s.remove_suffix(x.size());
        break;
      }
    }
  }
  return s;
}

// Calls f(stem) for every content term of a match key.
template <class F>
void for_each_term(std::string_view key, F&& f) {
  // One pass over the bytes finds each word's end and counts its code points (a word is a few
  // bytes: a memchr call per word cost more than the scan).
  const StopSet& stop = StopSet::instance();
  const char* p = key.data();
  const char* end = p + key.size();
  while (p < end) {
    const char* start = p;
    std::size_t letters = 0;
    for (; p < end && *p != ' '; ++p) {
      letters += (static_cast<unsigned char>(*p) & 0xC0) != 0x80 ? 1 : 0;
    }
    std::string_view w(start, static_cast<std::size_t>(p - start));
    if (p < end) {
      ++p;  // past the space
    }
    if (w.size() < 3 || letters < 3 || stop.contains(w)) {
      continue;
    }
    f(stem(w, letters));
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
