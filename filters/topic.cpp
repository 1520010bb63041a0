#include "filters/topic.h"

// XXH3 inlined (header-only mode of the same xxHash): these hash a few bytes at a time, where the
// library call and its length dispatch cost as much as the hash. The values are the library's.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <span>
#include <cstring>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include "filters/rules.h"
#include "text/key.h"
#include "text/utf8.h"

namespace decruft::filters {

// Eight bytes at a time: the space found and the UTF-8 continuation bytes (10xxxxxx) counted
// with a few operations on one number, where a byte loop was most of the terms' cost (Arabic
// words are ten bytes or so).
const char* scan_word(const char* p, const char* end, std::size_t& letters) {
  constexpr std::uint64_t k_ones = 0x0101010101010101ull;
  constexpr std::uint64_t k_highs = 0x8080808080808080ull;
  constexpr std::uint64_t k_spaces = 0x2020202020202020ull;
  while (end - p >= 8) {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    const std::uint64_t y = x ^ k_spaces;
    // High bit of each zero byte of y (a space); borrows can mark bytes after a zero byte too,
    // never before it, so the lowest mark is the first space.
    const std::uint64_t spaces = (y - k_ones) & ~y & k_highs;
    // 1 in each byte that is a continuation byte (bit 7 set, bit 6 clear), 0 elsewhere; the
    // multiply adds up the bytes into the top one (std::popcount is a library call on the
    // baseline x86-64 this is built for).
    const std::uint64_t continuation = (x & ~(x << 1) & k_highs) >> 7;
    if (spaces == 0) {
      letters += 8 - static_cast<std::size_t>((continuation * k_ones) >> 56);
      p += 8;
      continue;
    }
    const int before = std::countr_zero(spaces) / 8;  // bytes before the space
    const std::uint64_t below = (std::uint64_t{1} << (8 * before)) - 1;
    letters += static_cast<std::size_t>(before) - static_cast<std::size_t>(((continuation & below) * k_ones) >> 56);
    return p + before;
  }
  for (; p < end && *p != ' '; ++p) {
    letters += (static_cast<unsigned char>(*p) & 0xC0) != 0x80 ? 1 : 0;
  }
  return p;
}

namespace {

// The first n bytes at d (1 <= n <= 8) as a little-endian number, zero above them, read with
// loads inside them that overlap where n is not their size (overlapping bytes are the same).
// Copying n bytes into a zeroed number and reading it back stalled every call: a read of bytes
// just stored by a copy of another width waits for the store to complete.
template <class T>
T load(const char* d) {
  T v;
  std::memcpy(&v, d, sizeof v);
  return v;
}

std::uint64_t load_low(const char* d, std::size_t n) {
  if (n >= 8) {
    return load<std::uint64_t>(d);
  }
  if (n >= 4) {
    return load<std::uint32_t>(d) | std::uint64_t{load<std::uint32_t>(d + n - 4)} << (8 * (n - 4));
  }
  if (n >= 2) {
    return load<std::uint16_t>(d) | std::uint64_t{load<std::uint16_t>(d + n - 2)} << (8 * (n - 2));
  }
  return static_cast<unsigned char>(d[0]);
}


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
  // The word's bytes, zero-padded to 16 (load_low: no copy into a buffer).
  static Packed pack(std::string_view w) {
    const char* d = w.data();
    const std::size_t n = w.size();
    Packed p;
    if (n > 0) {
      p.lo = load_low(d, n);
    }
    if (n > 8) {  // the last eight bytes, the ones already in lo shifted out
      p.hi = load<std::uint64_t>(d + n - 8) >> (8 * (16 - n));
    }
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

// The table size of a bag's first term; it doubles at 3/4 full.
constexpr std::size_t k_first_slots = 32;

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
  // Starts loading the slot where a lookup of `term` begins.
  void prefetch(std::uint64_t term) const { __builtin_prefetch(&slots_[term & mask_]); }
  double weight(std::uint64_t term) const {
    for (std::size_t i = term & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].term == term) {
        return slots_[i].weight;
      }
      if (slots_[i].term == 0) {
        return max_;
      }
    }
  }

 private:
  // Built once per process, straight into the table (no map in between, no string per count):
  // its building was a few milliseconds of every run.
  Idf() {
    std::string_view c;
    for (const auto& f : embedded_rule_files()) {
      if (f.name == "idf.tsv") {
        c = f.content;
        break;
      }
    }
    std::vector<Slot> listed;  // term, document frequency: the table is sized for them
    double n = 0;
    std::size_t pos = 0;
    while (pos < c.size()) {
      std::size_t nl = c.find('\n', pos);
      std::string_view line = c.substr(pos, (nl == std::string_view::npos ? c.size() : nl) - pos);
      pos = nl == std::string_view::npos ? c.size() : nl + 1;
      std::size_t tab = line.find('\t');
      if (tab == std::string_view::npos) {
        continue;
      }
      const double count = parse_count(line.substr(tab + 1));
      if (line.rfind("# documents", 0) == 0) {
        n = count;
      } else if (line[0] != '#' && count > 0) {
        listed.push_back({term_hash(line.substr(0, tab)), count});
      }
    }
    n = std::max(n, 1.0);
    std::size_t size = 16;
    while (size * 5 < listed.size() * 8) {  // under 5/8 full
      size *= 2;
    }
    slots_.assign(size, Slot{});
    mask_ = size - 1;
    for (const Slot& l : listed) {
      std::size_t i = l.term & mask_;
      while (slots_[i].term != 0 && slots_[i].term != l.term) {
        i = (i + 1) & mask_;
      }
      if (slots_[i].term == 0) {  // the first listing of a term wins
        slots_[i] = {l.term, std::log(n / l.weight)};
      }
    }
    max_ = std::log(n * 2);  // rarer than the rarest listed term
  }
  // std::atof of the field. Digits alone (every count of the file) are a whole number, read
  // exactly; otherwise from_chars reads the same decimal number to the same double (both round
  // correctly), and what it does not read (a sign, leading space) goes to atof itself.
  static double parse_count(std::string_view field) {
    if (!field.empty() && field.size() <= 15 &&
        std::all_of(field.begin(), field.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
      std::uint64_t whole = 0;
      for (const char ch : field) {
        whole = whole * 10 + static_cast<std::uint64_t>(ch - '0');
      }
      return static_cast<double>(whole);
    }
    double v = 0;
    const auto r = std::from_chars(field.data(), field.data() + field.size(), v);
    return r.ec == std::errc() ? v : std::atof(std::string(field).c_str());
  }
  // Open addressing on the term hash's low bits: a lookup per new term of every
  // bag is the stories filter's hottest path, where the node-based map divided by a prime and
  // chased a pointer or two. Term hashes are never 0, which marks an empty slot.
  struct Slot {
    std::uint64_t term = 0;
    double weight = 0;
  };
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  double max_ = 1.0;
};

// Affixes as integers: the bytes of an affix (up to eight) read as a little-endian number, so that a
// word's first (last) eight bytes loaded into one number show whether it starts (ends) with the
// affix after one mask (shift) and compare, instead of a memcmp call per affix of the list (the
// stemmer runs on every content word). No affix byte is 0, so the zero bytes a short word is
// padded with match none.
static_assert(std::endian::native == std::endian::little, "affix codes are little-endian");

struct Affix {
  std::size_t bytes = 0;
  std::uint64_t code = 0;
};

template <std::size_t N>
constexpr std::array<Affix, N> affixes(const std::array<std::string_view, N>& list) {
  std::array<Affix, N> out{};
  for (std::size_t n = 0; n < N; ++n) {
    out[n].bytes = list[n].size();
    for (std::size_t k = 0; k < list[n].size(); ++k) {
      out[n].code |= std::uint64_t{static_cast<unsigned char>(list[n][k])} << (8 * k);
    }
  }
  return out;
}

constexpr unsigned letter_code(std::string_view t, std::size_t i) {
  return static_cast<unsigned>(static_cast<unsigned char>(t[i])) << 8 | static_cast<unsigned char>(t[i + 1]);
}

// The proclitic groups "وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف" and the
// suffixes "يون", "يين", "ات", "ون", "ين", "ان", "ها", "هم", "هما", "يه", "ه", "ي" are tried in
// this order, the first that leaves three letters wins. Only those starting (ending) with the
// word's first (last) letter can match: the lists below are these, by letter, in the same order.
constexpr auto k_prefixes_waw = affixes<3>({"وبال", "وال", "و"});
constexpr auto k_prefixes_beh = affixes<2>({"بال", "ب"});
constexpr auto k_prefixes_kaf = affixes<1>({"كال"});
constexpr auto k_prefixes_feh = affixes<2>({"فال", "ف"});
constexpr auto k_prefixes_lam = affixes<2>({"لل", "ل"});
constexpr auto k_prefixes_alef = affixes<1>({"ال"});
constexpr auto k_suffixes_noon = affixes<5>({"يون", "يين", "ون", "ين", "ان"});
constexpr auto k_suffixes_teh = affixes<1>({"ات"});
constexpr auto k_suffixes_alef = affixes<2>({"ها", "هما"});
constexpr auto k_suffixes_meem = affixes<1>({"هم"});
constexpr auto k_suffixes_heh = affixes<2>({"يه", "ه"});
constexpr auto k_suffixes_yeh = affixes<1>({"ي"});

std::span<const Affix> prefixes_for(unsigned first_letter) {
  switch (first_letter) {
    case letter_code("و", 0): return k_prefixes_waw;
    case letter_code("ب", 0): return k_prefixes_beh;
    case letter_code("ك", 0): return k_prefixes_kaf;
    case letter_code("ف", 0): return k_prefixes_feh;
    case letter_code("ل", 0): return k_prefixes_lam;
    case letter_code("ا", 0): return k_prefixes_alef;
    default: return {};
  }
}

std::span<const Affix> suffixes_for(unsigned last_letter) {
  switch (last_letter) {
    case letter_code("ن", 0): return k_suffixes_noon;
    case letter_code("ت", 0): return k_suffixes_teh;
    case letter_code("ا", 0): return k_suffixes_alef;
    case letter_code("م", 0): return k_suffixes_meem;
    case letter_code("ه", 0): return k_suffixes_heh;
    case letter_code("ي", 0): return k_suffixes_yeh;
    default: return {};
  }
}

// Light stemming: strip one proclitic group and one suffix while at least three letters remain.
// `letters` is code_points(w).
std::string_view stem(std::string_view w, std::size_t letters) {
  std::string_view s = w;
  // Most words of a text start and end with letters no affix has: no comparison at all.
  if (s.size() >= 2) {
    std::uint64_t head = 0;  // the first eight bytes, zero-padded
    std::span<const Affix> candidates = prefixes_for(letter_code(s, 0));
    if (!candidates.empty()) {
      head = load_low(s.data(), s.size());
    }
    for (const Affix& p : candidates) {
      const std::uint64_t mask = p.bytes >= 8 ? ~std::uint64_t{0} : (std::uint64_t{1} << (8 * p.bytes)) - 1;
      if ((head & mask) == p.code && letters - p.bytes / 2 >= 3) {
        s.remove_prefix(p.bytes);
        letters -= p.bytes / 2;
        break;
      }
    }
  }
  if (s.size() >= 2) {
    std::span<const Affix> candidates = suffixes_for(letter_code(s, s.size() - 2));
    // The last eight bytes in the high end, zero-padded below when the word is shorter.
    std::uint64_t tail = 0;
    if (!candidates.empty()) {
      const std::size_t n = std::min<std::size_t>(s.size(), 8);
      tail = load_low(s.data() + s.size() - n, n) << (8 * (8 - n));
    }
    for (const Affix& x : candidates) {
      if (tail >> (64 - 8 * x.bytes) == x.code && letters - x.bytes / 2 >= 3) {
        s.remove_suffix(x.bytes);
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
    p = scan_word(p, end, letters);
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

void TermBag::key_terms(std::string_view key, std::vector<std::uint64_t>& out) {
  // The prefetches overlap the IDF lookups' misses with the stemming of the terms after them:
  // the IDF table is larger than the caches keep between documents, and a lookup waiting for
  // its slot was most of a bag's cost.
  const Idf& idf = Idf::instance();
  for_each_term(key, [&](std::string_view t) {
    const std::uint64_t h = term_hash(t);
    idf.prefetch(h);
    out.push_back(h);
  });
}

void TermBag::add(std::string_view text) { add_key(text::match_key(text)); }

void TermBag::add_key(std::string_view key) {
  // Two passes: the terms' hashes first (prefetching), then the counting.
  thread_local std::vector<std::uint64_t> terms;
  terms.clear();
  key_terms(key, terms);
  add_hashes(terms);
}

void TermBag::add_terms(std::span<const std::uint64_t> terms) {
  // Terms computed earlier: their IDF slots are loaded again before the counting needs them.
  const Idf& idf = Idf::instance();
  for (const std::uint64_t h : terms) {
    idf.prefetch(h);
  }
  add_hashes(terms);
}

void TermBag::add_hashes(std::span<const std::uint64_t> terms) {
  const Idf& idf = Idf::instance();
  for (const std::uint64_t h : terms) {
    const std::size_t i = reserve_slot(h);
    if (terms_[i] == 0) {  // a new term: its weight is looked up once
      terms_[i] = h;
      weights_[i] = idf.weight(h);
      weight_ += weights_[i];
      ++size_;
    }
  }
}

void TermBag::clear() {
  // Back to a new bag's first table, not just emptied: the slot order decides the order in which
  // merge() and shared_weight() add up weights, and so the last bits of the sums.
  terms_.assign(k_first_slots, 0);
  weights_.resize(k_first_slots);
  size_ = 0;
  weight_ = 0;
}

std::size_t TermBag::find_slot(std::uint64_t term) const {
  const std::size_t mask = terms_.size() - 1;
  const std::uint64_t* t = terms_.data();
  for (std::size_t i = term & mask;; i = (i + 1) & mask) {
    if (t[i] == term || t[i] == 0) {
      return i;
    }
  }
}

bool TermBag::contains(std::uint64_t term) const {
  return !terms_.empty() && terms_[find_slot(term)] == term;
}

std::size_t TermBag::reserve_slot(std::uint64_t term) {
  if ((size_ + 1) * 4 > terms_.size() * 3) {  // keep the load under 3/4
    grow();
  }
  return find_slot(term);
}

void TermBag::grow() {
  // The old table is swapped out to spare arrays and the bag's arrays are refilled from it: no
  // copy, and a bag cleared and filled again (one paragraph after another) grows into memory
  // the spares and it already have.
  thread_local std::vector<std::uint64_t> old_terms;
  thread_local std::vector<double> old_weights;
  old_terms.swap(terms_);
  old_weights.swap(weights_);
  const std::size_t slots = old_terms.empty() ? k_first_slots : old_terms.size() * 2;
  terms_.assign(slots, 0);
  weights_.resize(slots);
  // Re-inserted in the old slot order, as a new bag grown the same way would be.
  for (std::size_t k = 0; k < old_terms.size(); ++k) {
    if (old_terms[k] != 0) {
      const std::size_t i = find_slot(old_terms[k]);
      terms_[i] = old_terms[k];
      weights_[i] = old_weights[k];
    }
  }
}

void TermBag::merge(const TermBag& other) { merge_shared(other); }

double TermBag::merge_shared(const TermBag& other) {
  // Other's terms are distinct: none of them is added before another is looked up, so "found"
  // is "held before the merge".
  double hit = 0;
  for (std::size_t k = 0; k < other.terms_.size(); ++k) {
    const std::uint64_t t = other.terms_[k];
    if (t == 0) {
      continue;
    }
    const std::size_t i = reserve_slot(t);
    if (terms_[i] == t) {
      hit += other.weights_[k];
    } else {
      terms_[i] = t;
      weights_[i] = other.weights_[k];
      weight_ += weights_[i];
      ++size_;
    }
  }
  return hit;
}

double TermBag::shared_weight(const TermBag& other) const {
  double hit = 0;
  for (std::size_t k = 0; k < terms_.size(); ++k) {
    if (terms_[k] != 0 && other.contains(terms_[k])) {
      hit += weights_[k];
    }
  }
  return hit;
}

double containment(const TermBag& part, const TermBag& reference) {
  return containment_of(part.shared_weight(reference), part.weight(), reference.weight());
}

}  // namespace decruft::filters
