#include "filters/rules.h"

#include <fmt/format.h>

#include <toml++/toml.h>
// XXH3 inlined (header-only mode of the same xxHash): these hash a few bytes at a time, where the
// library call and its length dispatch cost as much as the hash. The values are the library's.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <tuple>

#include "core/reasons.h"
#include "io/input.h"
#include "text/key.h"

namespace decruft::filters {

namespace {
bool starts_with_word(std::string_view key, std::string_view phrase) {
  return key.size() >= phrase.size() && key.substr(0, phrase.size()) == phrase &&
         (key.size() == phrase.size() || key[phrase.size()] == ' ');
}

std::uint64_t first_word_hash(std::string_view s) {
  std::string_view w = s.substr(0, s.find(' '));
  return XXH3_64bits(w.data(), w.size());
}

// The prefilter's bit for a word: from its length and its first eight bytes (`head`, fewer for a
// shorter word, zero above), one multiply, where the word's XXH3 was a call. Any function of the
// word serves: the bit only says whether the index may hold the word.
std::size_t prefilter_bit(std::uint64_t head, std::size_t length) {
  return static_cast<std::size_t>(((head ^ length) * 0x9E3779B97F4A7C15ull) >> 50);  // 14 bits
}

std::uint64_t head_bytes(std::string_view word) {
  std::uint64_t head = 0;
  std::memcpy(&head, word.data(), std::min<std::size_t>(word.size(), 8));
  return head;
}

// The length of the word at the start of `s` (up to the first space or the end), and its first
// eight bytes as head_bytes() reads them. Words of fewer than eight bytes, most of them, are found
// in one load: the space is the lowest zero byte of the load xor spaces.
std::size_t scan_word(std::string_view s, std::uint64_t& head) {
  if (s.size() < 8) {
    const std::size_t length = std::min(s.find(' '), s.size());
    head = head_bytes(s.substr(0, length));
    return length;
  }
  std::uint64_t load = 0;
  std::memcpy(&load, s.data(), 8);
  const std::uint64_t t = load ^ 0x2020202020202020ull;
  const std::uint64_t zero = (t - 0x0101010101010101ull) & ~t & 0x8080808080808080ull;
  if (zero != 0) {  // the lowest flagged byte is the first space (higher flags may be false)
    const std::size_t length = static_cast<std::size_t>(__builtin_ctzll(zero)) / 8;
    head = length == 0 ? 0 : load & (~std::uint64_t{0} >> (64 - 8 * length));
    return length;
  }
  head = load;
  const std::size_t sp = s.find(' ', 8);
  return sp == std::string_view::npos ? s.size() : sp;
}
}  // namespace

Result<RuleSet> RuleSet::builtin() {
  RuleSet set;
  for (const auto& f : embedded_rule_files()) {
    if (f.name.size() < 5 || f.name.substr(f.name.size() - 5) != ".toml") {
      continue;  // data files (idf.tsv) are read by their users
    }
    if (Status s = set.add_toml(f.content, f.name); !s) {
      return s;
    }
  }
  return set;
}

Status RuleSet::add_toml(std::string_view toml_text, std::string_view origin) {
  toml::table table;
  try {
    table = toml::parse(toml_text, origin);
  } catch (const toml::parse_error& e) {
    return Status::error(fmt::format("{}:{}: {}", origin, e.source().begin.line, e.description()));
  }
  for (const auto& [section, node] : table) {
    std::string reason(section.str());
    if (reason == "language" || reason == "description") {
      continue;
    }
    const toml::table* t = node.as_table();
    if (t == nullptr) {
      return Status::error(fmt::format("{}: '{}' must be a table of phrase lists", origin, reason));
    }
    if (!is_known_reason(reason)) {
      return Status::error(fmt::format("{}: unknown reason id '{}'", origin, reason));
    }
    PhraseRule rule;
    rule.reason = reason;
    for (auto [field, list] : std::initializer_list<std::pair<const char*, std::vector<std::string>*>>{
             {"exact", &rule.exact}, {"prefix", &rule.prefix}, {"contains", &rule.contains}}) {
      const toml::node* n = t->get(field);
      if (n == nullptr) {
        continue;
      }
      const toml::array* arr = n->as_array();
      if (arr == nullptr) {
        return Status::error(fmt::format("{}: [{}].{} must be an array of strings", origin, reason, field));
      }
      for (const auto& item : *arr) {
        auto v = item.value<std::string>();
        if (!v) {
          return Status::error(fmt::format("{}: [{}].{} must hold strings only", origin, reason, field));
        }
        std::string key = text::match_key(*v);
        if (!key.empty()) {
          list->push_back(std::move(key));
          if (list == &rule.prefix) {
            std::string_view raw = *v;
            while (!raw.empty() && raw.back() == ' ') {
              raw.remove_suffix(1);
            }
            rule.prefix_colon.push_back(!raw.empty() && raw.back() == ':');
          }
        }
      }
    }
    if (auto mw = t->get("max_words"); mw != nullptr) {
      auto v = mw->value<std::int64_t>();
      if (!v || *v < 1) {
        return Status::error(fmt::format("{}: [{}].max_words must be a positive integer", origin, reason));
      }
      rule.max_words = static_cast<std::size_t>(*v);
    }
    rules_.push_back(std::move(rule));
  }
  index();
  return {};
}

Status RuleSet::add_file(const std::string& path) {
  auto data = io::read_file(path);
  if (!data) {
    return data.status();
  }
  return add_toml(*data, path);
}

void RuleSet::index() {
  heads_.clear();
  entries_.clear();
  first_words_.reset();
  contains_first_words_.reset();
  contains_max_words_ = 0;
  std::vector<std::pair<std::uint64_t, Entry>> all;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const PhraseRule& rule = rules_[r];
    std::uint32_t kind = 0;
    for (const auto* list : {&rule.exact, &rule.prefix, &rule.contains}) {
      for (std::size_t p = 0; p < list->size(); ++p) {
        const std::uint64_t h = first_word_hash((*list)[p]);
        all.push_back({h == 0 ? 1 : h, {static_cast<std::uint32_t>(r), kind, static_cast<std::uint32_t>(p)}});
        const std::string_view first = std::string_view((*list)[p]).substr(0, (*list)[p].find(' '));
        first_words_.set(prefilter_bit(head_bytes(first), first.size()));
        if (kind == 2) {
          contains_first_words_.set(prefilter_bit(head_bytes(first), first.size()));
          contains_max_words_ = std::max(contains_max_words_, rule.max_words);
        }
      }
      ++kind;
    }
  }
  // Grouped by hash; match() takes the best of a group's hits, so the order inside does not matter.
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t distinct = 0;
  for (std::size_t k = 0; k < all.size(); ++k) {
    distinct += k == 0 || all[k].first != all[k - 1].first ? 1 : 0;
  }
  std::size_t size = 16;
  while (size < 2 * distinct) {
    size *= 2;
  }
  heads_.assign(size, Head{});
  entries_.reserve(all.size());
  for (std::size_t k = 0; k < all.size();) {
    const std::uint64_t h = all[k].first;
    std::size_t i = h & (size - 1);
    while (heads_[i].hash != 0) {
      i = (i + 1) & (size - 1);
    }
    heads_[i] = {h, static_cast<std::uint32_t>(entries_.size()), 0};
    for (; k < all.size() && all[k].first == h; ++k) {
      entries_.push_back(all[k].second);
    }
    heads_[i].end = static_cast<std::uint32_t>(entries_.size());
  }
}

const RuleSet::Head* RuleSet::find_first_word(std::uint64_t hash) const {
  hash = hash == 0 ? 1 : hash;
  const std::size_t mask = heads_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    if (heads_[i].hash == hash) {
      return &heads_[i];
    }
    if (heads_[i].hash == 0) {
      return nullptr;
    }
  }
}

// The rules are tried in order, and within a rule its exact phrases, then (for a block of at most
// max_words words) its prefixes, then its contained phrases, each list in order; the first match
// wins. Phrases are looked up by the words of the key instead of scanning every list: the best
// (rule, kind, phrase) among the phrases found is that first match.
namespace {
// The text before the first colon (':' or the full-width '：') has exactly this key.
bool colon_after(std::string_view text, std::string_view phrase) {
  std::size_t colon = std::min(text.find(':'), text.find("\xEF\xBC\x9A"));
  return colon != std::string_view::npos && text::match_key(text.substr(0, colon)) == phrase;
}
}  // namespace

bool RuleSet::match(std::string_view key, std::size_t words, Match& out, std::string_view text) const {
  if (key.empty() || entries_.empty()) {
    return false;
  }
  std::tuple<std::uint32_t, std::uint32_t, std::uint32_t> best{UINT32_MAX, 0, 0};
  // The candidates of the word [pos, pos + length) of the key; `head` is its first eight bytes as
  // head_bytes() reads them. Past the first word only contained phrases can match.
  // Only words whose prefilter bit is set get here (few): not inlined into the word loops.
  const auto candidates = [&](std::size_t pos, std::size_t length) __attribute__((noinline)) {
    const Head* head = find_first_word(XXH3_64bits(key.data() + pos, length));
    if (head == nullptr) {
      return;
    }
    const std::string_view rest = key.substr(pos);
    for (std::uint32_t n = head->begin; n < head->end; ++n) {
      const Entry& e = entries_[n];
      std::tuple<std::uint32_t, std::uint32_t, std::uint32_t> t{e.rule, e.kind, e.phrase};
      if (t >= best) {
        continue;
      }
      const PhraseRule& r = rules_[e.rule];
      if (e.kind != 0 && words > r.max_words) {
        continue;
      }
      bool hit = false;
      if (e.kind == 0) {
        hit = pos == 0 && key == r.exact[e.phrase];
      } else if (e.kind == 1) {
        hit = pos == 0 && starts_with_word(key, r.prefix[e.phrase]) &&
              (text.empty() || !r.prefix_colon[e.phrase] || colon_after(text, r.prefix[e.phrase]));
      } else {
        hit = starts_with_word(rest, r.contains[e.phrase]);
      }
      if (hit) {
        best = t;
      }
    }
  };
  if (words > contains_max_words_) {
    // A block longer than every rule with contained phrases allows: its first word alone.
    std::uint64_t head = 0;
    const std::size_t length = scan_word(key, head);
    if (first_words_.test(prefilter_bit(head, length))) {
      candidates(0, length);
    }
  } else {
    // Every word, as [start, next space). The key is copied into a per-thread buffer with 16 zero
    // bytes after it, so every load below is a whole one; the spaces are found 16 bytes a round
    // (SSE2 compares; eight with exact byte compares in a 64-bit word elsewhere), and each word's
    // first eight bytes come from one load. scan_word called memchr for every word of eight bytes
    // or more (most Arabic words).
    const std::size_t n = key.size();
    thread_local std::string padded;
    padded.assign(key);
    padded.append(16, '\0');
    const char* data = padded.data();
    std::size_t start = 0;
    const auto visit_word = [&](std::size_t length) {
      std::uint64_t head = 0;
      std::memcpy(&head, data + start, 8);
      head = length >= 8 ? head : head & ~(~std::uint64_t{0} << (8 * length));
      if ((start == 0 ? first_words_ : contains_first_words_).test(prefilter_bit(head, length))) {
        candidates(start, length);
      }
    };
#if defined(__SSE2__)
    constexpr std::size_t k_round = 16;
    const __m128i space = _mm_set1_epi8(' ');
#else
    constexpr std::size_t k_round = 8;
#endif
    for (std::size_t base = 0; base < n; base += k_round) {
#if defined(__SSE2__)
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + base));
      std::uint64_t spaces = static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space)));
      constexpr std::size_t k_bit = 1;  // a bit per byte
#else
      std::uint64_t x = 0;
      std::memcpy(&x, data + base, 8);
      x ^= 0x2020202020202020ull;  // a space is a zero byte
      const std::uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
      std::uint64_t spaces = ~(((x & low7) + low7) | x | low7);  // exact: no carries between bytes
      constexpr std::size_t k_bit = 8;  // the high bit of each byte
#endif
      for (; spaces != 0; spaces &= spaces - 1) {  // the zero padding holds no space
        const std::size_t at = base + static_cast<std::size_t>(__builtin_ctzll(spaces)) / k_bit;
        visit_word(at - start);
        start = at + 1;
      }
    }
    if (start < n) {
      visit_word(n - start);
    }
  }
  auto [r, kind, p] = best;
  if (r == UINT32_MAX) {
    return false;
  }
  const PhraseRule& rule = rules_[r];
  out = {rule.reason, kind == 0 ? rule.exact[p] : kind == 1 ? rule.prefix[p] : rule.contains[p]};
  return true;
}

}  // namespace decruft::filters
